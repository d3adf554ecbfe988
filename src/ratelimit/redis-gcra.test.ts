/**
 * The Lua GCRA decides as `gcra.ts` does: random policies and arrivals replayed through both (the Lua
 * inside the machine's real Redis, with the arrival instants given instead of Redis's clock) give
 * the same decisions, remaining calls and waits.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { gcra } from './gcra.ts';
import type { RatePolicy } from './policy.ts';
import { GCRA_LUA, gcraArgs } from './redis-gcra.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** KEYS[1]; ARGV: interval (µs), burst, then the arrival instants (µs): every decision, four numbers each. */
const REPLAY = `${GCRA_LUA}
local out = {}
for i = 3, #ARGV do
  local allowed, remaining, retry, reset = gcra(KEYS[1], redis.call('GET', KEYS[1]), tonumber(ARGV[i]), tonumber(ARGV[1]), tonumber(ARGV[2]))
  out[#out + 1] = allowed
  out[#out + 1] = remaining
  out[#out + 1] = retry
  out[#out + 1] = reset
end
redis.call('DEL', KEYS[1])
return out
`;

/** Limits whose emission interval is a whole number of microseconds, as the scripts send it. */
const LIMITS = [1, 2, 4, 5, 8, 10, 16, 20, 25, 40, 50, 80, 100, 125, 200, 250, 400, 500, 1000];

describe('GCRA in Lua', () => {
  const redis = new Redis(REDIS_URL);
  after(() => redis.disconnect());

  test('property: the Lua function and gcra.ts take the same decisions over any arrivals', async () => {
    const policy = fc.record({ limit: fc.constantFrom(...LIMITS), burst: fc.integer({ min: 1, max: 50 }) });
    const gaps = fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 1, maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(policy, gaps, async (p, deltas) => {
        const rp: RatePolicy = { name: 'token', windowSeconds: 1, ...p };
        const arrivals: number[] = [];
        let at = 1_000_000;
        for (const d of deltas) arrivals.push((at += d));
        const key = `apip:test:gcra:${randomBytes(6).toString('hex')}`;
        const reply = (await redis.eval(REPLAY, 1, key, ...gcraArgs(rp), ...arrivals)) as number[];
        let tat: number | undefined;
        for (const [i, us] of arrivals.entries()) {
          const expected = gcra(tat, us / 1000, rp);
          if (expected.allowed) tat = expected.tat;
          const [allowed, remaining, retryUs, resetUs] = reply.slice(i * 4, i * 4 + 4) as [number, number, number, number];
          assert.equal(allowed === 1, expected.allowed, `call ${i + 1} at ${us} µs`);
          assert.equal(remaining, expected.remaining);
          assert.ok(Math.abs(retryUs / 1000 - expected.retryAfterMs) < 1e-6, `retry ${retryUs} µs, ${expected.retryAfterMs} ms`);
          assert.ok(Math.abs(resetUs / 1000 - expected.resetMs) < 1e-6, `reset ${resetUs} µs, ${expected.resetMs} ms`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
