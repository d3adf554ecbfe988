/**
 * A rate-limit policy: `limit` calls per `windowSeconds`, of which `burst` may arrive at once.
 * Enforced with GCRA (docs/adr/0008-rate-limits.md): one "theoretical arrival time" per key, no
 * counters, no timers, exact at every instant.
 */
export type PolicyName = 'token' | 'ip';

export interface RatePolicy {
  /** Named in the IETF `RateLimit-Policy` / `RateLimit` headers (USERS U22: say which limit applies). */
  name: PolicyName;
  limit: number;
  windowSeconds: number;
  burst: number;
}

/** Milliseconds between two calls at the sustained rate (GCRA's T). */
export function emissionIntervalMs(policy: RatePolicy): number {
  return (policy.windowSeconds * 1000) / policy.limit;
}

/** Calls per minute at the sustained rate: what the contract's `RateLimit-Limit` counts (CONTRACT §1.1). */
export function perMinute(policy: RatePolicy): number {
  return Math.floor((policy.limit * 60) / policy.windowSeconds);
}
