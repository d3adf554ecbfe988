/**
 * What the gateway asks of a rate limiter. This process's (`LocalRateLimiter`) decides alone, or as
 * the fallback of the Redis call gate, which decides a call's limits and lock in one script
 * (src/gateway/redis-call-gate.ts, docs/adr/0172-one-redis-round-trip-per-call.md).
 */
import type { RatePolicy } from './policy.ts';

export interface RateDecision {
  policy: RatePolicy;
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
  resetMs: number;
  /** Epoch milliseconds the decision was taken at (the contract's `RateLimit-Reset` is absolute). */
  at: number;
}

export interface RateLimiter {
  /** Counts one call for `key` under `policy` and says whether it is admitted. */
  take(key: string, policy: RatePolicy): Promise<RateDecision>;
  close(): Promise<void>;
}

/** The limiter could not decide (Redis unreachable and fail-closed configured). */
export class RateLimiterUnavailable extends Error {
  constructor(cause: unknown) {
    super('rate limiter unavailable', { cause });
    this.name = 'RateLimiterUnavailable';
  }
}
