/** `GET /stats/v1/public` through the real app: after a data call and a rollup, aggregates only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp } from '../../test/helpers/test-app.ts';
import { rollupStats } from './rollup.ts';
import { PUBLIC_STATS_PATH } from './public-stats-route.ts';

const C2S =
  '/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE' +
  '&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';

test('public statistics count the successful call and name no token', async () => {
  const t = await testApp();
  try {
    const token = await t.token();
    const jti = (await t.app.services.tokens.list())[0]?.jti as string;
    assert.equal((await t.app.server.inject({ url: C2S, headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
    await t.app.services.journal.drain(); // spooled rows are moved in batches (ADR 0171)
    await rollupStats(t.database.db, { now: new Date(Date.now() + 1000) });
    const res = await t.app.server.inject({ url: PUBLIC_STATS_PATH });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=60');
    const body = res.json() as { paperProofsAvoided: { calls: number }; operations: Array<{ calls: number }> };
    assert.equal(body.paperProofsAvoided.calls, 1);
    assert.equal(body.operations[0]?.calls, 1);
    assert.ok(!res.body.includes(jti) && !res.body.includes('13002526500013'));
  } finally {
    await t.close();
  }
});
