/**
 * The Redis GCRA against the machine's real Redis (CI starts one): instances share one budget,
 * the script's arithmetic matches the in-process one, and a Redis that does not answer fails open
 * or closed as configured.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { RateLimiterUnavailable } from './limiter.ts';
import type { RatePolicy } from './policy.ts';
import { RedisRateLimiter } from './redis-limiter.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A port nothing listens on: connection refused at once. */
const DEAD_REDIS = 'redis://127.0.0.1:1';

const policy: RatePolicy = { name: 'token', limit: 5, windowSeconds: 1, burst: 5 };

describe('RedisRateLimiter', () => {
  const prefix = `apip:test:${randomBytes(4).toString('hex')}:`;
  const limiters: RedisRateLimiter[] = [];
  const open = (url: string, failure: 'open' | 'closed', onFailure?: (e: unknown) => void): RedisRateLimiter => {
    const limiter = new RedisRateLimiter({ url, failure, now: () => Date.now(), keyPrefix: prefix, ...(onFailure ? { onFailure } : {}) });
    limiters.push(limiter);
    return limiter;
  };
  const ready = async (limiter: RedisRateLimiter): Promise<RedisRateLimiter> => {
    await limiter.ready(2_000);
    return limiter;
  };
  after(async () => {
    for (const l of limiters) await l.close();
  });

  test('two instances share one budget: burst 5 in all, then 429 with the wait', async () => {
    const a = await ready(open(REDIS_URL, 'closed'));
    const b = await ready(open(REDIS_URL, 'closed'));
    const key = randomBytes(8).toString('hex');
    const decisions = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).take(key, policy)));
    assert.equal(decisions.filter((d) => d.allowed).length, 5);
    const refused = decisions.filter((d) => !d.allowed);
    assert.equal(refused.length, 3);
    for (const d of refused) {
      assert.ok(d.retryAfterMs > 0 && d.retryAfterMs <= 200, `retry after ${d.retryAfterMs} ms`);
      assert.equal(d.remaining, 0);
    }
    const remainings = decisions.filter((d) => d.allowed).map((d) => d.remaining).sort();
    assert.deepEqual(remainings, [0, 1, 2, 3, 4]);
  });

  test('the budget refills at the sustained rate', async () => {
    const limiter = await ready(open(REDIS_URL, 'closed'));
    const key = randomBytes(8).toString('hex');
    for (let i = 0; i < 5; i++) await limiter.take(key, policy);
    assert.equal((await limiter.take(key, policy)).allowed, false);
    await new Promise((resolve) => setTimeout(resolve, 230));
    assert.equal((await limiter.take(key, policy)).allowed, true, 'one slot every 200 ms');
  });

  test('fail open: an unreachable Redis still limits, in process', async () => {
    const failures: unknown[] = [];
    const limiter = open(DEAD_REDIS, 'open', (e) => failures.push(e));
    const key = randomBytes(8).toString('hex');
    const decisions = [];
    for (let i = 0; i < 7; i++) decisions.push(await limiter.take(key, policy));
    assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, true, true, false, false]);
    assert.equal(failures.length, 7);
  });

  test('fail closed: an unreachable Redis refuses to decide', async () => {
    const limiter = open(DEAD_REDIS, 'closed');
    await assert.rejects(limiter.take('k', policy), RateLimiterUnavailable);
  });
});
