/** Builds the rate limits from the configuration: in-process by default, shared through Redis with `REDIS_URL`. */
import type { Config } from '../config/config.ts';
import { LocalRateLimiter } from './local-limiter.ts';
import { RateLimits } from './rate-limits.ts';
import { RedisRateLimiter } from './redis-limiter.ts';

export function createRateLimits(config: Pick<Config, 'rateLimits' | 'redisUrl'>, now: () => number, onRedisFailure?: (error: unknown) => void): RateLimits {
  const limiter =
    config.redisUrl === undefined
      ? new LocalRateLimiter({ now })
      : new RedisRateLimiter({ url: config.redisUrl, failure: config.rateLimits.redisFailure, now, ...(onRedisFailure ? { onFailure: onRedisFailure } : {}) });
  return new RateLimits(limiter, config.rateLimits);
}
