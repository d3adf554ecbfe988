/**
 * The FranceConnect `sub` in the journal (issue 6 §1): a keyed pseudonym of it, stable for one
 * citizen, never the `sub` itself; absent on API-token calls.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './helpers/test-app.ts';

const FC_ROUTE = '/v3/dss/complementaire_sante_solidaire/france_connect?recipient=13002526500013';

let t: TestApp;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
});
after(async () => t?.close());

test('FranceConnect calls carry a stable keyed pseudonym of the sub; API-token calls none', async () => {
  const first = await t.app.server.inject({ url: FC_ROUTE, headers: { authorization: 'Bearer camille_c2s', 'x-request-id': 'fc-1', 'cache-control': 'no-cache' } });
  const second = await t.app.server.inject({ url: FC_ROUTE, headers: { authorization: 'Bearer camille_c2s', 'x-request-id': 'fc-2', 'cache-control': 'no-cache' } });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(second.statusCode, 200, second.body);
  const noFc = await t.app.server.inject({ url: FC_ROUTE.replace('france_connect?', 'identite?'), headers: { authorization: `Bearer ${await t.token()}`, 'x-request-id': 'api-1' } });
  assert.ok(noFc.statusCode < 500);

  await t.app.services.journal.drain();
  const rows = await t.database.db.selectFrom('access_journal').select(['request_id', 'fc_sub_pseudonym', 'person_pseudonym']).where('request_id', 'in', ['fc-1', 'fc-2', 'api-1']).orderBy('request_id').execute();
  const byId = Object.fromEntries(rows.map((r) => [r.request_id, r]));
  const pseudonym = byId['fc-1']?.fc_sub_pseudonym;
  assert.match(pseudonym ?? '', /^[\w-]{43}$/, 'an HMAC-SHA-256 in base64url');
  assert.equal(byId['fc-2']?.fc_sub_pseudonym, pseudonym, 'stable for one citizen');
  assert.notEqual(pseudonym, byId['fc-1']?.person_pseudonym, 'not the civil-status pseudonym');
  assert.equal(byId['api-1']?.fc_sub_pseudonym, null);
});
