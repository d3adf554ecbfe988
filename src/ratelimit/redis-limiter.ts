/**
 * GCRA shared by every instance through Redis (docs/adr/0008-rate-limits.md): one Lua script per
 * decision, atomic, timed by the Redis server's clock so instances with skewed clocks agree.
 * When Redis does not answer within `commandTimeoutMs`, the limiter fails open (decides with the
 * in-process limiter, so each instance still limits) or closed (the call gets a 503), as configured.
 */
import { Redis } from 'ioredis';
import { redisSettled } from '../infra/redis-ready.ts';
import type { RateDecision, RateLimiter } from './limiter.ts';
import { RateLimiterUnavailable } from './limiter.ts';
import { LocalRateLimiter } from './local-limiter.ts';
import { emissionIntervalMs, type RatePolicy } from './policy.ts';

/**
 * KEYS[1]: the key; ARGV[1]: emission interval (µs); ARGV[2]: burst.
 * Returns {allowed (0|1), remaining, retry_after_us, reset_us}. Same arithmetic as `gcra.ts`.
 */
const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local next_tat = tat + interval
local allow_at = next_tat - burst * interval
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
return {1, math.floor((now - allow_at) / interval), 0, next_tat - now}
`;

export type FailureMode = 'open' | 'closed';

interface GcraRedis extends Redis {
  apipGcra(key: string, intervalUs: number, burst: number): Promise<[number, number, number, number]>;
}

export interface RedisRateLimiterOptions {
  url: string;
  failure: FailureMode;
  now: () => number;
  /** Beyond this, a decision is taken without Redis (fail open) or refused (fail closed). */
  commandTimeoutMs?: number;
  keyPrefix?: string;
  onFailure?: (error: unknown) => void;
}

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: GcraRedis;
  readonly #fallback: LocalRateLimiter;
  readonly #options: RedisRateLimiterOptions;
  readonly #prefix: string;

  constructor(options: RedisRateLimiterOptions) {
    this.#options = options;
    this.#prefix = options.keyPrefix ?? 'apip:rl:';
    this.#fallback = new LocalRateLimiter({ now: options.now });
    const redis = new Redis(options.url, {
      commandTimeout: options.commandTimeoutMs ?? 100,
      enableAutoPipelining: true,
      // A down Redis must not queue calls: fail at once and let the failure mode decide.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: false,
    });
    redis.on('error', () => {
      // Connection errors surface on each command; the listener only keeps them from crashing the process.
    });
    redis.defineCommand('apipGcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
    this.#redis = redis as GcraRedis;
  }

  async take(key: string, policy: RatePolicy): Promise<RateDecision> {
    const at = this.#options.now();
    try {
      const intervalUs = Math.round(emissionIntervalMs(policy) * 1000);
      const [allowed, remaining, retryAfterUs, resetUs] = await this.#redis.apipGcra(`${this.#prefix}${policy.name}:${key}`, intervalUs, policy.burst);
      return { policy, allowed: allowed === 1, remaining, retryAfterMs: retryAfterUs / 1000, resetMs: resetUs / 1000, at };
    } catch (error) {
      this.#options.onFailure?.(error);
      if (this.#options.failure === 'closed') throw new RateLimiterUnavailable(error);
      return this.#fallback.take(key, policy);
    }
  }

  ready(timeoutMs: number): Promise<void> {
    return redisSettled(this.#redis, timeoutMs);
  }

  async close(): Promise<void> {
    await this.#fallback.close();
    this.#redis.disconnect();
  }
}
