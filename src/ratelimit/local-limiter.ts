/**
 * In-process GCRA: one arrival time per key in a bounded map (the least recently written key goes first). The default for the embedded
 * mode and a single instance; the fallback of the Redis limiter when it fails open.
 */
import { BoundedMap } from '../infra/bounded-map.ts';
import { gcra } from './gcra.ts';
import type { RateDecision, RateLimiter } from './limiter.ts';
import type { RatePolicy } from './policy.ts';

export class LocalRateLimiter implements RateLimiter {
  readonly #tats: BoundedMap<string, number>;
  readonly #now: () => number;

  /**
   * @param max keys kept; an evicted key starts afresh, which only ever admits a key that has been
   *   idle longer than all the others, i.e. one whose arrival time has most likely passed already.
   */
  constructor(options: { now: () => number; max?: number }) {
    this.#now = options.now;
    this.#tats = new BoundedMap(options.max ?? 100_000);
  }

  takeSync(key: string, policy: RatePolicy): RateDecision {
    const now = this.#now();
    const previous = this.#tats.get(key);
    const decision = gcra(previous, now, policy);
    // A refused key is written back too, so a key under pressure is the last to be evicted.
    if (decision.allowed) this.#tats.set(key, decision.tat);
    else if (previous !== undefined) this.#tats.set(key, previous);
    return { policy, allowed: decision.allowed, remaining: decision.remaining, retryAfterMs: decision.retryAfterMs, resetMs: decision.resetMs, at: now };
  }

  take(key: string, policy: RatePolicy): Promise<RateDecision> {
    return Promise.resolve(this.takeSync(key, policy));
  }

  close(): Promise<void> {
    this.#tats.clear();
    return Promise.resolve();
  }
}
