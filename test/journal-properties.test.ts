/**
 * Property (issue 6 "done when"): exactly one journal row per data call — whatever the route, the
 * credentials (valid, missing, garbage, wrong scopes), the params (valid or junk) and however many
 * calls run at once. Each row has the answer's status; a 200 is never without its row.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allEndpoints } from '../src/providers/index.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const C2S =
  '/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE' +
  '&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
const PATHS = [...new Set(allEndpoints().map((e) => e.endpoint.path))];

let t: TestApp;
let tokens: Record<'all' | 'narrow', string>;
before(async () => {
  t = await testApp({ env: { RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_IP_PER_SECOND: '0' } });
  tokens = { all: await t.token(), narrow: await t.token({ scopes: ['complementaire_sante_solidaire'], modalities: ['identite'] }) };
});
after(async () => t?.close());

const callSpec = fc.record({
  url: fc.oneof(
    fc.constant(C2S),
    fc.string({ maxLength: 8 }).map((name) => C2S.replace('LEROY', `LEROY${encodeURIComponent(name)}`)),
    fc.tuple(fc.constantFrom(...PATHS), fc.dictionary(fc.constantFrom('recipient', 'nomNaissance', 'codeCogInseePaysNaissance', 'x'), fc.string({ maxLength: 12 }), { maxKeys: 3 })).map(
      ([path, params]) => `${path}?${new URLSearchParams(params).toString()}`,
    ),
  ),
  credential: fc.constantFrom('all', 'narrow', 'none', 'garbage'),
});

let run = 0;
test('exactly one journal row per data call, with the answer status', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(callSpec, { minLength: 1, maxLength: 25 }), async (calls) => {
      run += 1;
      const ids = calls.map((_, i) => `prop-${run}-${i}`);
      const responses = await Promise.all(
        calls.map((c, i) => {
          const authorization = c.credential === 'none' ? undefined : c.credential === 'garbage' ? 'Bearer not.a.jwt' : `Bearer ${tokens[c.credential]}`;
          return t.app.server.inject({ url: c.url, headers: { 'x-request-id': ids[i] as string, ...(authorization ? { authorization } : {}) } });
        }),
      );
      await t.app.services.journal.drain();
      const rows = await t.database.db.selectFrom('access_journal').select(['request_id', 'status']).where('request_id', 'like', `prop-${run}-%`).execute();
      const byId = new Map<string, number[]>();
      for (const row of rows) byId.set(row.request_id, [...(byId.get(row.request_id) ?? []), row.status]);
      responses.forEach((res, i) => {
        assert.deepEqual(byId.get(ids[i] as string), [res.statusCode], `${calls[i]?.credential} ${calls[i]?.url}`);
      });
      assert.equal(rows.length, calls.length);
    }),
    { numRuns: 40 },
  );
});
