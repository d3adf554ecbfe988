/**
 * Two instances of one deployment (same PostgreSQL-like database, same keys, same Redis) share the
 * 409 lock, the response cache and revocations (issue 6, item 4). Redis holds no personal data in
 * clear. With Redis unreachable, each instance falls back to its own lock and cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { ProviderDriver } from '../src/core/driver.ts';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const cases = writeCaseDir([{ operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY }]);
const ENV = {
  SANDBOX_DATA_DIRS: cases,
  REDIS_URL,
  TOKEN_SIGNING_KEYS: `k1:${'a'.repeat(40)}`,
  JOURNAL_PSEUDONYM_KEY: 'p'.repeat(40),
  TOKEN_CACHE_TTL_MS: '60000',
};

describe('two instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let release: (() => void) | undefined;
  let blocking = false;
  const blockingDriver: ProviderDriver = {
    call: () =>
      new Promise((resolve) => {
        release = () => resolve({ kind: 'data', data: OK_BODY.data, meta: {} });
      }),
  };
  before(async () => {
    a = await testApp({ env: ENV, overrides: { driverFor: () => (blocking ? blockingDriver : undefined) } });
    b = await testApp({ env: ENV, database: a.database });
  });
  after(async () => {
    await b.close();
    await a.close();
  });
  const call = (t: TestApp, token: string, query = leaQuery(), headers: Record<string, string> = {}) =>
    t.app.server.inject({ url: `${ROUTE}?${query}`, headers: { authorization: `Bearer ${token}`, ...headers } });

  test('a revocation made on one instance is refused by the other within a second, despite a 60 s cache', async () => {
    const { token, record } = await a.app.services.tokens.create({ allScopes: true });
    assert.equal((await call(b, token)).statusCode, 200, 'b has verified and cached the token');
    await a.app.services.tokens.revoke(record.jti);
    const deadline = Date.now() + 1_000;
    let code: string | undefined;
    while (Date.now() < deadline) {
      const res = await call(b, token, leaQuery({ nomUsage: String(Date.now()) }));
      code = res.statusCode === 401 ? res.json<{ errors: Array<{ code: string }> }>().errors[0]?.code : undefined;
      if (code !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(code, '00105');
  });

  test('the 409 lock spans instances: the same call on b while a still waits for the provider → 00015', async () => {
    const token = await a.token();
    blocking = true;
    const first = call(a, token, leaQuery({ nomUsage: 'LOCK' }));
    while (release === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await call(b, token, leaQuery({ nomUsage: 'LOCK' }));
    assert.equal(second.statusCode, 409);
    assert.equal(second.json<{ errors: Array<{ code: string }> }>().errors[0]?.code, '00015');
    release();
    release = undefined;
    blocking = false;
    assert.equal((await first).statusCode, 200);
    assert.equal((await call(b, token, leaQuery({ nomUsage: 'LOCK' }), { 'cache-control': 'no-cache' })).statusCode, 200, 'released for everyone');
  });

  test('an answer cached by one instance is served by the other, sealed in Redis', async () => {
    const token = await a.token();
    const query = leaQuery({ nomUsage: 'CACHE' });
    const fresh = await call(a, token, query);
    assert.equal(fresh.headers['x-response-cached'], 'false');
    const cached = await call(b, token, query);
    assert.equal(cached.statusCode, 200);
    assert.equal(cached.headers['x-response-cached'], 'true');
    assert.deepEqual(cached.json(), OK_BODY);
    assert.ok(Number(cached.headers['x-cache-expires-in']) > 3500);

    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys('apip:rc:*');
      assert.ok(keys.length > 0);
      for (const key of keys) {
        assert.equal(/ROCHEFORT|CACHE|1300252/.test(key), false, `key ${key}`);
        const value = (await redis.getBuffer(key))?.toString('latin1') ?? '';
        assert.equal(/est_beneficiaire|date_debut_droit|2024-02-01/.test(value), false, 'values are sealed');
      }
    } finally {
      redis.disconnect();
    }
  });
});

describe('Redis unreachable', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ env: { ...ENV, REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  after(async () => t.close());

  test('the lock and the cache fall back to this instance; revocation still applies here at once', async () => {
    const { token, record } = await t.app.services.tokens.create({ allScopes: true });
    const first = await t.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(first.statusCode, 200);
    const second = await t.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(second.headers['x-response-cached'], 'true', 'served from the local cache');
    await t.app.services.tokens.revoke(record.jti);
    const revoked = await t.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(revoked.statusCode, 401);
  });
});
