/**
 * Rate limits through the real app (docs/adr/0008-rate-limits.md): 20 calls per second per token
 * by default or the token's own limit, a per-IP cap checked before authentication, the contract's
 * 429 body, the per-minute and IETF headers, a journal row for every refused call — in process on
 * a frozen clock, and shared by two instances through the machine's Redis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const TOO_MANY = { errors: [{ code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', source: null, meta: {} }] };
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const cases = writeCaseDir([{ operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY }]);

async function journalRows(t: TestApp, requestIds: string[]): Promise<Array<{ status: number; error_code: string | null; token_jti: string | null }>> {
  await t.app.services.journal.drain();
  const result = await sql<{ status: number; error_code: string | null; token_jti: string | null }>`
    select status, error_code, token_jti from access_journal where request_id = any(${requestIds}) order by id`.execute(t.database.db);
  return result.rows;
}

describe('in process, on a frozen clock', () => {
  // 2026-11-23T10:00:45Z: 15 s before the end of a minute, for the per-minute headers.
  let clock = new Date('2026-11-23T10:00:45.000Z');
  let t: TestApp;
  before(async () => {
    t = await testApp({
      env: { SANDBOX_DATA_DIRS: cases, RATE_LIMIT_PER_SECOND: '20', RATE_LIMIT_BURST: '20', RATE_LIMIT_IP_PER_SECOND: '50', RATE_LIMIT_IP_BURST: '60' },
      overrides: { now: () => clock },
    });
  });
  after(async () => t.close());
  /** Lets every budget refill between tests. */
  const rest = () => {
    clock = new Date(clock.getTime() + 60_000);
  };
  const call = (token: string, requestId?: string): Promise<LightMyRequestResponse> =>
    t.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${token}`, ...(requestId ? { 'x-request-id': requestId } : {}) } });

  test('20 calls at once pass, the 21st gets the contract 429 with Retry-After, and 50 ms later one more passes', async () => {
    rest();
    const token = await t.token();
    for (let i = 0; i < 20; i++) {
      const res = await call(token);
      assert.equal(res.statusCode, 200, `call ${i + 1}`);
      assert.equal(res.headers['ratelimit-limit'], '1200');
      assert.equal(res.headers.ratelimit, `"ip";r=${59 - i};t=1, "token";r=${19 - i};t=1`);
      assert.equal(res.headers['ratelimit-policy'], '"ip";q=50;w=1, "token";q=20;w=1');
      assert.equal(res.headers['retry-after'], undefined);
    }
    const refused = await call(token, 'rl-refused-1');
    assert.equal(refused.statusCode, 429);
    assert.deepEqual(refused.json(), TOO_MANY);
    assert.equal(refused.headers['retry-after'], '1');
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    assert.equal(refused.headers['ratelimit-reset'], String(Math.ceil(clock.getTime() / 60_000) * 60));
    assert.equal(refused.headers['x-request-id'], 'rl-refused-1');

    clock = new Date(clock.getTime() + 50);
    const next = await call(token);
    assert.equal(next.statusCode, 200);
    assert.deepEqual(next.json(), OK_BODY);
    assert.equal((await call(token)).statusCode, 429, 'one slot per 50 ms');

    const [row] = await journalRows(t, ['rl-refused-1']);
    const jti = (await t.app.services.verifier.verify(token)).jti;
    assert.deepEqual(row, { status: 429, error_code: '00429', token_jti: jti });
  });

  test("each token has its own budget, and a token's own limit (set by its habilitation) replaces the default", async () => {
    rest();
    const slow = (await t.app.services.tokens.create({ allScopes: true, rateLimitPerSecond: 2 })).token;
    const other = await t.token();
    assert.equal((await call(slow)).statusCode, 200);
    const second = await call(slow);
    assert.equal(second.statusCode, 200);
    assert.equal(second.headers['ratelimit-policy'], '"ip";q=50;w=1, "token";q=2;w=1');
    assert.equal(second.headers['ratelimit-limit'], '120');
    const third = await call(slow);
    assert.equal(third.statusCode, 429);
    assert.equal(third.headers['retry-after'], '1');
    assert.equal((await call(other)).statusCode, 200, 'another token is not affected');
  });

  test('the IP cap applies before authentication: guessing tokens is throttled too, each refusal journaled', async () => {
    rest();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await call('not-a-token', `rl-ip-${i}`);
      ids.push(`rl-ip-${i}`);
      assert.equal(res.statusCode, 401, `call ${i + 1}`);
      assert.equal(res.headers.ratelimit, `"ip";r=${59 - i};t=${Math.ceil(((i + 1) * 20) / 1000)}`);
    }
    const refused = await call('not-a-token', 'rl-ip-60');
    ids.push('rl-ip-60');
    assert.equal(refused.statusCode, 429);
    assert.deepEqual(refused.json(), TOO_MANY);
    assert.equal(refused.headers['ratelimit-policy'], '"ip";q=50;w=1');
    assert.equal(refused.headers['retry-after'], '1');
    // A valid token is refused as well while the IP is over its cap.
    assert.equal((await call(await t.token())).statusCode, 429);

    const rows = await journalRows(t, ids);
    assert.equal(rows.length, 61, 'exactly one journal row per call');
    assert.deepEqual(rows.at(-1), { status: 429, error_code: '00429', token_jti: null });
  });

  test("tokens rest at their own pace: after a second idle the whole burst is back", async () => {
    rest();
    const token = await t.token();
    for (let i = 0; i < 20; i++) await call(token);
    assert.equal((await call(token)).statusCode, 429);
    clock = new Date(clock.getTime() + 1_000);
    const res = await call(token);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers.ratelimit), /"token";r=19;t=1$/);
  });
});

describe('shared through Redis by two instances', () => {
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    // Two instances of one deployment: same database, same signing keys, same Redis.
    const env = {
      SANDBOX_DATA_DIRS: cases,
      REDIS_URL,
      RATE_LIMIT_IP_PER_SECOND: '0',
      RATE_LIMIT_REDIS_FAILURE: 'closed',
      TOKEN_SIGNING_KEYS: `k1:${'s'.repeat(40)}`,
    };
    a = await testApp({ env });
    b = await testApp({ env, database: a.database });
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  test('one token, two instances, one budget', async () => {
    const { token, record } = await a.app.services.tokens.create({ allScopes: true, rateLimitPerSecond: 1 });
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? a : b;
      const res = await app.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${token}` } });
      statuses.push(res.statusCode);
    }
    const elapsed = Date.now() - started;
    const admitted = statuses.filter((s) => s === 200).length;
    assert.ok(statuses.every((s) => s === 200 || s === 429), statuses.join(','));
    assert.ok(admitted >= 1 && admitted <= 1 + Math.floor(elapsed / 1000), `${admitted} admitted in ${elapsed} ms for ${record.jti}`);
    assert.ok(statuses.slice(1).includes(429));
  });
});

describe('fail closed when Redis is unreachable', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ env: { SANDBOX_DATA_DIRS: cases, REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_REDIS_FAILURE: 'closed' } });
  });
  after(async () => t.close());

  test('503 00504 with retry_in, no data, and the call journaled', async () => {
    const res = await t.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${await t.token()}`, 'x-request-id': 'rl-closed' } });
    assert.equal(res.statusCode, 503);
    const body = res.json<{ errors: Array<{ code: string; meta: unknown }> }>();
    assert.equal(body.errors[0]?.code, '00504');
    assert.deepEqual(body.errors[0]?.meta, { retry_in: 1 });
    assert.equal(JSON.stringify(body).includes('est_beneficiaire'), false);
    const [row] = await journalRows(t, ['rl-closed']);
    assert.equal(row?.status, 503);
  });
});
