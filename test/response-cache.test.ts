/**
 * The response cache of the DSS routes (CONTRACT §1.1, §7; conformance check 2's headers): a second
 * identical call by the same token is served without calling the provider.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProviderDriver } from '../src/core/driver.ts';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
let clock = new Date('2026-11-23T10:00:00Z');
let providerCalls = 0;
let t: TestApp;

before(async () => {
  const cases = writeCaseDir([
    {
      operationId: C2S_IDENTITE,
      file: 'lea.yaml',
      params: LEA,
      status: 200,
      body: { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} },
    },
  ]);
  let sandbox: ProviderDriver | undefined;
  t = await testApp({
    env: { SANDBOX_DATA_DIRS: cases },
    overrides: {
      now: () => clock,
      // Count provider calls, then let the real sandbox driver answer.
      driverFor: (endpoint) => ({
        call: async (call) => {
          providerCalls += 1;
          sandbox ??= (await import('../src/sandbox/sandbox-driver.ts')).createSandboxDriver(t.app.services.sandbox);
          return sandbox.call({ ...call, endpoint });
        },
      }),
    },
  });
});
after(async () => t.close());

const get = (token: string, headers: Record<string, string> = {}, query = leaQuery()) =>
  t.app.server.inject({ url: `${ROUTE}?${query}`, headers: { authorization: `Bearer ${token}`, ...headers } });

test('first call: from the provider, cached for 1 h; second call: from the cache, same body', async () => {
  const token = await t.token();
  providerCalls = 0;
  const first = await get(token);
  assert.equal(first.statusCode, 200);
  assert.equal(first.headers['x-response-cached'], 'false');
  assert.equal(first.headers['x-cache-expires-in'], '3600');
  clock = new Date(clock.getTime() + 600_000);
  const second = await get(token);
  assert.equal(second.headers['x-response-cached'], 'true');
  assert.equal(second.headers['x-cache-expires-in'], '3000');
  assert.deepEqual(second.json(), first.json());
  assert.equal(providerCalls, 1);
});

test('Cache-Control: no-cache goes to the provider (and refreshes the cache)', async () => {
  const token = await t.token();
  providerCalls = 0;
  await get(token);
  const fresh = await get(token, { 'cache-control': 'no-cache' });
  assert.equal(fresh.headers['x-response-cached'], 'false');
  assert.equal(providerCalls, 2);
});

test('the cache is per token and per params, and expires', async () => {
  const a = await t.token();
  const b = await t.token();
  providerCalls = 0;
  await get(a);
  assert.equal((await get(b)).headers['x-response-cached'], 'false');
  assert.equal((await get(a, {}, leaQuery({ nomUsage: 'AUTRE' }))).headers['x-response-cached'], 'false');
  clock = new Date(clock.getTime() + 3600_000 + 1);
  assert.equal((await get(a)).headers['x-response-cached'], 'false');
  assert.equal(providerCalls, 4);
});

test('errors are not cached and carry the headers with an empty lifetime', async () => {
  const token = await t.token();
  const bad = await get(token, {}, leaQuery({ sexeEtatCivil: 'Z' }));
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.headers['x-response-cached'], 'false');
  assert.equal(bad.headers['x-cache-expires-in'], '');
});

test('a cached answer is still journaled', async () => {
  const token = await t.token();
  await get(token, { 'x-request-id': 'cache-1' });
  await get(token, { 'x-request-id': 'cache-2' });
  await t.app.services.journal.drain();
  const rows = await t.database.db.selectFrom('access_journal').select(['request_id', 'status']).where('request_id', 'in', ['cache-1', 'cache-2']).execute();
  assert.equal(rows.length, 2);
});
