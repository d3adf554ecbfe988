/**
 * A call's admission in one Redis round trip (docs/adr/0172-one-redis-round-trip-per-call.md): one
 * Lua script decides the per-IP cap and the token's limit (GCRA, docs/adr/0008-rate-limits.md), then
 * reads the cached answer or takes the 409 lock — atomically, timed by the Redis server's clock so
 * instances with skewed clocks agree. Key formats and lifetimes are those of the separate commands
 * it replaces: `apip:rl:<policy>:<key>`, `apip:rc:<digest>`, `apip:lock:<digest>`.
 *
 * When Redis does not answer within the connection's command timeout, the gate fails open (this
 * instance's limiter, lock and cache decide) or closed (a 503), as `RATE_LIMIT_REDIS_FAILURE` says.
 */
import type { Redis } from 'ioredis';
import type { RateLimitConfig } from '../config/config.ts';
import { RateLimiterUnavailable } from '../ratelimit/limiter.ts';
import type { RatePolicy } from '../ratelimit/policy.ts';
import type { RateLimits } from '../ratelimit/rate-limits.ts';
import { decisionOf, GCRA_LUA, gcraArgs } from '../ratelimit/redis-gcra.ts';
import type { Admission, CallGate, GateRequest, LockEntry } from './call-gate.ts';
import type { LockClaim, RedisAnswerCache, RedisRequestLock } from './shared-state.ts';

/**
 * KEYS: the n limits' keys in order, then the lock's key and the cached answer's key when asked.
 * ARGV: n, then each limit's emission interval (µs) and burst, then the lock's owner and hold (ms).
 * Returns, per limit decided, {allowed, remaining, retry_after_us, reset_us} — stopping after a
 * refusal — then, when a lock was asked for: 1 (taken), 0 (held elsewhere) or 2 and the sealed answer.
 * One MGET reads the limits' arrival times and the cached answer.
 */
const ADMIT_SCRIPT = `${GCRA_LUA}
local n = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local probe = #KEYS == n + 2
local reads = {}
for i = 1, n do reads[i] = KEYS[i] end
if probe then reads[n + 1] = KEYS[n + 2] end
local stored = {}
if #reads > 0 then stored = redis.call('MGET', unpack(reads)) end
local out = {}
for i = 1, n do
  local allowed, remaining, retry, reset = gcra(KEYS[i], stored[i], now, tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]))
  out[#out + 1] = allowed
  out[#out + 1] = remaining
  out[#out + 1] = retry
  out[#out + 1] = reset
  if allowed == 0 then return out end
end
if #KEYS > n then
  if probe and stored[n + 1] then
    out[#out + 1] = 2
    out[#out + 1] = stored[n + 1]
    return out
  end
  if redis.call('SET', KEYS[n + 1], ARGV[2 * n + 2], 'NX', 'PX', ARGV[2 * n + 3]) then out[#out + 1] = 1 else out[#out + 1] = 0 end
end
return out
`;

const TAKEN = 1;
const CACHED = 2;

interface GateRedis extends Redis {
  apipAdmitBuffer(...keysAndArgs: Array<string | number>): Promise<unknown[]>;
}

export interface RedisCallGateOptions {
  /** The shared connection: the lock's release goes over it too, after the script that took the lock. */
  redis: Redis;
  /** The policies, and the in-process limiter of the fallback. */
  limits: RateLimits;
  failure: RateLimitConfig['redisFailure'];
  now: () => number;
  lock: RedisRequestLock;
  cache: RedisAnswerCache;
  /** Decides when Redis fails open: this instance's limiter, lock and cache. */
  fallback: CallGate;
  onError?: (error: unknown) => void;
}

export class RedisCallGate implements CallGate {
  readonly remote = true;
  readonly #redis: GateRedis;
  readonly #options: RedisCallGateOptions;

  constructor(options: RedisCallGateOptions) {
    this.#options = options;
    options.redis.defineCommand('apipAdmit', { lua: ADMIT_SCRIPT });
    this.#redis = options.redis as GateRedis;
  }

  async admit(request: GateRequest): Promise<Admission> {
    const { limits, lock, cache } = this.#options;
    const policies: RatePolicy[] = [];
    const keys: string[] = [];
    const args: Array<string | number> = [];
    const ipPolicy = request.ip === undefined ? undefined : limits.ipPolicy;
    if (ipPolicy !== undefined) {
      policies.push(ipPolicy);
      keys.push(`apip:rl:ip:${request.ip}`);
      args.push(...gcraArgs(ipPolicy));
    }
    if (request.token !== undefined) {
      const policy = limits.tokenPolicy(request.token.perSecond);
      policies.push(policy);
      keys.push(`apip:rl:token:${request.token.jti}`);
      args.push(...gcraArgs(policy));
    }
    let claim: LockClaim | undefined;
    if (request.lock !== undefined) {
      claim = lock.claim(request.lock.key);
      keys.push(claim.redisKey);
      if (request.lock.cacheKey !== undefined) keys.push(cache.redisKeyOf(request.lock.cacheKey));
      args.push(claim.owner, claim.holdMs);
    }
    if (keys.length === 0) return { rates: [] };

    const at = this.#options.now();
    let reply: unknown[];
    try {
      reply = await this.#redis.apipAdmitBuffer(keys.length, ...keys, policies.length, ...args);
    } catch (error) {
      this.#options.onError?.(error);
      if (this.#options.failure === 'closed' && policies.length > 0) throw new RateLimiterUnavailable(error);
      return this.#options.fallback.admit(request);
    }

    const admission: Admission = { rates: [] };
    for (const [i, policy] of policies.entries()) {
      const decision = decisionOf(policy, reply, i * 4, at);
      admission.rates.push(decision);
      if (!decision.allowed) {
        admission.refusedBy = policy.name;
        return admission;
      }
    }
    if (request.lock !== undefined && claim !== undefined) admission.entry = await this.#entryOf(request.lock, claim, reply, policies.length * 4);
    return admission;
  }

  async #entryOf(asked: NonNullable<GateRequest['lock']>, claim: LockClaim, reply: unknown[], offset: number): Promise<LockEntry> {
    const { lock, cache } = this.#options;
    const status = reply[offset];
    if (status === TAKEN) return { kind: 'taken', release: lock.releaser(claim) };
    if (status !== CACHED || asked.cacheKey === undefined) return { kind: 'held' };
    const answer = cache.opened(asked.cacheKey, reply[offset + 1] as Buffer);
    if (answer !== undefined) return { kind: 'cached', answer };
    // An answer in Redis this instance cannot use (expired by its clock, or sealed under another
    // key): a miss, so the lock is taken by itself — a second round trip on this rare path.
    const release = await lock.acquire(asked.key);
    return release === undefined ? { kind: 'held' } : { kind: 'taken', release };
  }
}
