import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { gcra } from './gcra.ts';
import { LocalRateLimiter } from './local-limiter.ts';
import { emissionIntervalMs, type RatePolicy } from './policy.ts';

const twentyPerSecond: RatePolicy = { name: 'token', limit: 20, windowSeconds: 1, burst: 20 };

/** Replays arrival instants (ms, ascending) through one key; returns the admitted instants. */
function admitted(policy: RatePolicy, arrivals: readonly number[]): number[] {
  let tat: number | undefined;
  const out: number[] = [];
  for (const at of arrivals) {
    const decision = gcra(tat, at, policy);
    if (decision.allowed) {
      tat = decision.tat;
      out.push(at);
    }
  }
  return out;
}

describe('GCRA', () => {
  test('admits a burst of B at once, then refuses with the wait until the next slot', () => {
    let tat: number | undefined;
    for (let i = 0; i < 20; i++) {
      const d = gcra(tat, 1_000, twentyPerSecond);
      assert.equal(d.allowed, true, `call ${i + 1}`);
      assert.equal(d.remaining, 19 - i);
      tat = d.tat;
    }
    const refused = gcra(tat, 1_000, twentyPerSecond);
    assert.deepEqual(refused, { allowed: false, tat, remaining: 0, retryAfterMs: 50, resetMs: 1_000 });
    // 50 ms later exactly one more call fits.
    const next = gcra(tat, 1_050, twentyPerSecond);
    assert.equal(next.allowed, true);
    assert.equal(next.remaining, 0);
    assert.equal(gcra(next.tat, 1_050, twentyPerSecond).allowed, false);
  });

  test('a caller pacing itself at the sustained rate is never refused', () => {
    const arrivals = Array.from({ length: 2_000 }, (_, i) => i * emissionIntervalMs(twentyPerSecond));
    assert.equal(admitted(twentyPerSecond, arrivals).length, 2_000);
  });

  test('an idle key recovers its whole burst', () => {
    const first = admitted(twentyPerSecond, Array.from({ length: 30 }, () => 0));
    assert.equal(first.length, 20);
    let tat: number | undefined;
    for (let i = 0; i < 20; i++) tat = gcra(tat, 0, twentyPerSecond).tat;
    assert.equal(gcra(tat, 1_000, twentyPerSecond).remaining, 19);
  });

  test('property: over any interval of length t, at most B + t/T calls are admitted', () => {
    const policy = fc.record({
      limit: fc.integer({ min: 1, max: 200 }),
      windowSeconds: fc.constantFrom(1, 2, 60),
      burst: fc.integer({ min: 1, max: 50 }),
    });
    const gaps = fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(policy, gaps, (p, deltas) => {
        const rp: RatePolicy = { name: 'token', ...p };
        const arrivals: number[] = [];
        let at = 1_700_000_000_000;
        for (const d of deltas) arrivals.push((at += d));
        const ok = admitted(rp, arrivals);
        const interval = emissionIntervalMs(rp);
        for (let i = 0; i < ok.length; i++) {
          for (let j = i; j < ok.length; j++) {
            const span = (ok[j] as number) - (ok[i] as number);
            const bound = rp.burst + span / interval + 1e-6;
            if (j - i + 1 > bound) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  test('property: a call is refused only when the bound would otherwise be exceeded (never too strict)', () => {
    // A refused call at instant t means B calls were admitted in (t - (B-1)·T - T, t] at the
    // sustained spacing: equivalently, admitting it would have put the arrival time beyond now + B·T - T.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 200 }), (deltas) => {
        let tat: number | undefined;
        let at = 0;
        for (const d of deltas) {
          at += d;
          const decision = gcra(tat, at, twentyPerSecond);
          const backlog = (tat === undefined ? 0 : Math.max(0, tat - at)) + emissionIntervalMs(twentyPerSecond);
          const fits = backlog <= twentyPerSecond.burst * emissionIntervalMs(twentyPerSecond) + 1e-6;
          if (decision.allowed !== fits) return false;
          if (decision.allowed) tat = decision.tat;
        }
        return true;
      }),
    );
  });
});

describe('LocalRateLimiter', () => {
  test('keeps one arrival time per key, on the injected clock', async () => {
    let now = 5_000;
    const limiter = new LocalRateLimiter({ now: () => now });
    const policy: RatePolicy = { name: 'token', limit: 2, windowSeconds: 1, burst: 2 };
    assert.equal((await limiter.take('a', policy)).allowed, true);
    assert.equal((await limiter.take('a', policy)).allowed, true);
    const refused = await limiter.take('a', policy);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterMs, 500);
    assert.equal(refused.at, 5_000);
    assert.equal((await limiter.take('b', policy)).allowed, true, 'another key has its own budget');
    now += 500;
    assert.equal((await limiter.take('a', policy)).allowed, true);
  });
});
