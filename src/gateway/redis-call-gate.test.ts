/**
 * The call gate against the machine's real Redis (CI starts one; docs/adr/0172-one-redis-round-trip-per-call.md):
 * instances share the budgets, the lock and the cache; one script decides in the pipeline's order (a
 * refusal leaves the later limits uncounted and the lock free); a Redis that does not answer fails
 * open (this instance decides) or closed, as configured.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { RateLimiterUnavailable } from '../ratelimit/limiter.ts';
import { LocalRateLimiter } from '../ratelimit/local-limiter.ts';
import { RateLimits } from '../ratelimit/rate-limits.ts';
import type { Admission, LockEntry } from './call-gate.ts';
import { InFlightLock } from './in-flight-lock.ts';
import { ResponseCache } from './response-cache.ts';
import { createSharedState, type SharedState } from './shared-state.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A port nothing listens on: connection refused at once. */
const DEAD_REDIS = 'redis://127.0.0.1:1';
const SECRET = 'g'.repeat(40);

/** Token: 5 at once, then one a second; IP: 3 at once, then one a second — nothing refills during a test. */
const settings = { token: { perSecond: 1, burst: 5 }, ip: { perSecond: 1, burst: 3 } };

const unique = (): string => randomBytes(8).toString('hex');

function taken(entry: LockEntry | undefined): () => void {
  assert.equal(entry?.kind, 'taken');
  return entry.release;
}

describe('RedisCallGate', () => {
  const states: SharedState[] = [];
  const warnings: object[] = [];
  const open = (url: string, failure: 'open' | 'closed', secret = SECRET): SharedState => {
    const limits = new RateLimits(new LocalRateLimiter({ now: Date.now }), settings);
    const state = createSharedState(url, {
      lock: new InFlightLock(),
      localCache: new ResponseCache({ max: 100, now: () => new Date() }),
      limits,
      failure,
      secret,
      now: Date.now,
      log: () => ({ warn: (obj: object) => warnings.push(obj) }),
    });
    states.push(state);
    return state;
  };
  const ready = async (state: SharedState): Promise<SharedState> => {
    await state.ready(2_000);
    return state;
  };
  after(() => {
    for (const s of states) s.close();
  });

  test('two instances share one budget: burst 5 in all, then 429 with the wait', async () => {
    const a = await ready(open(REDIS_URL, 'closed'));
    const b = await ready(open(REDIS_URL, 'closed'));
    const jti = unique();
    const admissions = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).gate.admit({ token: { jti, perSecond: null } })));
    const decisions = admissions.map((x) => x.rates[0]).filter((d) => d !== undefined);
    assert.equal(decisions.length, 8);
    assert.equal(decisions.filter((d) => d.allowed).length, 5);
    const refused = admissions.filter((x) => x.refusedBy === 'token').map((x) => x.rates[0]);
    assert.equal(refused.length, 3);
    for (const d of refused) {
      assert.ok(d !== undefined && d.retryAfterMs > 0 && d.retryAfterMs <= 1_000, `retry after ${d?.retryAfterMs} ms`);
      assert.equal(d.remaining, 0);
    }
    assert.deepEqual(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort(), [0, 1, 2, 3, 4]);
  });

  test("a token's own limit is its burst, and the budget refills at its rate", async () => {
    const gate = (await ready(open(REDIS_URL, 'closed'))).gate;
    const jti = unique();
    const token = { jti, perSecond: 10 };
    for (let i = 0; i < 10; i++) assert.equal((await gate.admit({ token })).refusedBy, undefined, `call ${i + 1}`);
    const refused = await gate.admit({ token });
    assert.equal(refused.refusedBy, 'token');
    assert.deepEqual(refused.rates[0]?.policy, { name: 'token', limit: 10, windowSeconds: 1, burst: 10 });
    await new Promise((resolve) => setTimeout(resolve, 130));
    assert.equal((await gate.admit({ token })).refusedBy, undefined, 'one slot every 100 ms');
  });

  test('the IP cap decides first: refused, the token is not counted and the lock not taken', async () => {
    const gate = (await ready(open(REDIS_URL, 'closed'))).gate;
    const ip = `10.${unique()}`;
    const token = { jti: unique(), perSecond: null };
    const lock = { key: unique() };
    for (let i = 0; i < 3; i++) {
      const admission = await gate.admit({ ip, token, lock });
      assert.deepEqual(admission.rates.map((d) => [d.policy.name, d.remaining]), [['ip', 2 - i], ['token', 4 - i]]);
      taken(admission.entry)();
    }
    const refused = await gate.admit({ ip, token, lock });
    assert.equal(refused.refusedBy, 'ip');
    assert.deepEqual(refused.rates.map((d) => d.policy.name), ['ip']);
    assert.equal(refused.entry, undefined);
    // From another address: the token has lost only the 3 admitted calls, and the lock is free.
    const next = await gate.admit({ ip: `10.${unique()}`, token, lock });
    assert.equal(next.rates[1]?.remaining, 1);
    taken(next.entry)();
  });

  test("the token's limit decides before the lock: refused, the lock is not taken", async () => {
    const gate = (await ready(open(REDIS_URL, 'closed'))).gate;
    const token = { jti: unique(), perSecond: 1 };
    const lock = { key: unique() };
    taken((await gate.admit({ token, lock })).entry)();
    const refused = await gate.admit({ token, lock });
    assert.equal(refused.refusedBy, 'token');
    assert.equal(refused.entry, undefined);
    taken((await gate.admit({ token: { jti: unique(), perSecond: null }, lock })).entry)();
  });

  test('the 409 lock spans instances; released, it is free at once for the next call of the same instance', async () => {
    const a = await ready(open(REDIS_URL, 'closed'));
    const b = await ready(open(REDIS_URL, 'closed'));
    const token = { jti: unique(), perSecond: null };
    const lock = { key: unique() };
    const release = taken((await a.gate.admit({ token, lock })).entry);
    assert.equal((await b.gate.admit({ token, lock })).entry?.kind, 'held');
    assert.equal((await a.gate.admit({ token, lock })).entry?.kind, 'held');
    release();
    // Not awaited by anyone, but sent before the next script on the same connection.
    taken((await a.gate.admit({ token, lock })).entry)();
  });

  test('a cached answer is read in the same script, and the lock is then not taken', async () => {
    const a = await ready(open(REDIS_URL, 'closed'));
    const b = await ready(open(REDIS_URL, 'closed'));
    const token = { jti: unique(), perSecond: null };
    const cacheKey = unique();
    const lock = { key: unique(), cacheKey };
    assert.equal((await b.gate.admit({ token, lock })).entry?.kind, 'taken', 'nothing cached yet');
    await a.cache.store(cacheKey, { data: { ok: true } }, 60);
    const hit: Admission = await b.gate.admit({ token, lock: { key: unique(), cacheKey } });
    assert.equal(hit.entry?.kind, 'cached');
    assert.deepEqual(hit.entry.kind === 'cached' ? hit.entry.answer.body : undefined, { data: { ok: true } });
  });

  test('an answer this instance cannot open is a miss: the lock is taken instead', async () => {
    const other = await ready(open(REDIS_URL, 'closed', 'another secret, another deployment'));
    const gate = (await ready(open(REDIS_URL, 'closed'))).gate;
    const cacheKey = unique();
    await other.cache.store(cacheKey, { data: { ok: true } }, 60);
    const lock = { key: unique(), cacheKey };
    const token = { jti: unique(), perSecond: null };
    warnings.length = 0;
    taken((await gate.admit({ token, lock })).entry);
    assert.equal((await gate.admit({ token, lock })).entry?.kind, 'held');
    assert.deepEqual(warnings.map((w) => (w as { redis: string }).redis), ['response cache', 'response cache']);
  });

  test('fail open: an unreachable Redis still limits and locks, in process', async () => {
    warnings.length = 0;
    const gate = open(DEAD_REDIS, 'open').gate;
    const token = { jti: unique(), perSecond: null };
    const decisions = [];
    for (let i = 0; i < 7; i++) decisions.push((await gate.admit({ token })).refusedBy === undefined);
    assert.deepEqual(decisions, [true, true, true, true, true, false, false]);
    assert.equal(warnings.length, 7);
    const other = { jti: unique(), perSecond: null };
    taken((await gate.admit({ token: other, lock: { key: 'k' } })).entry);
    assert.equal((await gate.admit({ token: other, lock: { key: 'k' } })).entry?.kind, 'held');
  });

  test('fail closed: an unreachable Redis refuses to decide a limit; with nothing to decide, nothing is asked', async () => {
    const gate = open(DEAD_REDIS, 'closed').gate;
    await assert.rejects(gate.admit({ token: { jti: 'k', perSecond: null } }), RateLimiterUnavailable);
    assert.deepEqual(await gate.admit({}), { rates: [] });
  });
});
