/**
 * Builds the rate limits from the configuration: their policies and this process's limiter. Alone,
 * it decides (the embedded mode, a single instance); with `REDIS_URL`, the decisions are taken in
 * Redis by the call gate (src/gateway/redis-call-gate.ts) and this limiter is its fallback when
 * Redis fails open (docs/adr/0172-one-redis-round-trip-per-call.md).
 */
import type { Config } from '../config/config.ts';
import { LocalRateLimiter } from './local-limiter.ts';
import { RateLimits } from './rate-limits.ts';

export function createRateLimits(config: Pick<Config, 'rateLimits'>, now: () => number): RateLimits {
  return new RateLimits(new LocalRateLimiter({ now }), config.rateLimits);
}
