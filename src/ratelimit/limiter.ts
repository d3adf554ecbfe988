/**
 * What the gateway asks of a rate limiter, whatever holds the state (this process or Redis).
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
  /** Resolves once the limiter can decide (Redis connected), or after `timeoutMs` whatever the state. */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The limiter could not decide (Redis unreachable and fail-closed configured). */
export class RateLimiterUnavailable extends Error {
  constructor(cause: unknown) {
    super('rate limiter unavailable', { cause });
    this.name = 'RateLimiterUnavailable';
  }
}
