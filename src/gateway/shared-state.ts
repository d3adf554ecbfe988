/**
 * The 409 lock and the response cache shared by every instance through Redis (issue 6, item 4;
 * docs/adr/0008-rate-limits.md § "Shared state"). Redis never sees personal data in clear: keys are
 * SHA-256 digests of the lock or cache key (which hold the params), cached answers are sealed with
 * AES-256-GCM under a key derived from the journal's pseudonym key, which every instance shares.
 * When Redis fails, both fall back to this instance's own lock and cache: a duplicate provider call
 * or a cache miss is better than refusing the citizen's administration.
 *
 * One connection carries them and the rate limits: a call's limits, cache lookup and lock are one
 * script (`RedisCallGate`, docs/adr/0172-one-redis-round-trip-per-call.md), and its release follows on
 * the same connection, so Redis runs it before the next call this instance sends for the same key.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisSettled } from '../infra/redis-ready.ts';
import type { RateLimitConfig } from '../config/config.ts';
import type { RateLimits } from '../ratelimit/rate-limits.ts';
import { LocalCallGate } from './call-gate.ts';
import type { CachedAnswer, ResponseCache } from './response-cache.ts';
import type { InFlightLock } from './in-flight-lock.ts';
import { PROVIDER_CALL_LIMIT_MS } from './provider-call-limit.ts';
import { RedisCallGate } from './redis-call-gate.ts';

export type Release = () => void;

/** The pipeline's view of the 409 lock. */
export interface RequestLock {
  acquire(key: string): Promise<Release | undefined>;
}

/** The pipeline's view of the response cache. */
export interface AnswerCache {
  lookup(key: string): Promise<CachedAnswer | undefined>;
  store(key: string, body: unknown, ttlSeconds: number): Promise<CachedAnswer>;
  secondsLeft(entry: CachedAnswer): number;
  clear(): void;
}

const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

const digest = (key: string): string => createHash('sha256').update(key).digest('base64url');
const CACHE_PREFIX = 'apip:rc:';
const redisKeyOf = (key: string): string => `${CACHE_PREFIX}${digest(key)}`;

interface LockRedis extends Redis {
  apipRelease(key: string, owner: string): Promise<number>;
}

/** The deployment's connection for the per-call state: no offline queue, 100 ms per command (a down Redis fails at once). */
function connect(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 100, enableAutoPipelining: true });
  redis.on('error', () => {
    // Connection errors surface on each command; the listener only keeps them from crashing the process.
  });
  return redis;
}

/** A lock about to be taken: its Redis key, a fresh owner, how long it may outlive a crashed holder. */
export interface LockClaim {
  redisKey: string;
  owner: string;
  holdMs: number;
}

export class RedisRequestLock implements RequestLock {
  readonly #redis: LockRedis;
  readonly #fallback: InFlightLock;
  readonly #holdMs: number;
  readonly #onError: (error: unknown) => void;

  /** @param holdMs the longest a lock may outlive a crashed holder: the provider call's outer limit. */
  constructor(options: { redis: Redis; fallback: InFlightLock; holdMs: number; onError?: (error: unknown) => void }) {
    this.#redis = options.redis as LockRedis;
    this.#redis.defineCommand('apipRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.#fallback = options.fallback;
    this.#holdMs = options.holdMs;
    this.#onError = options.onError ?? (() => {});
  }

  claim(key: string): LockClaim {
    return { redisKey: `apip:lock:${digest(key)}`, owner: randomBytes(12).toString('base64url'), holdMs: this.#holdMs };
  }

  async acquire(key: string): Promise<Release | undefined> {
    const claim = this.claim(key);
    let taken: string | null;
    try {
      taken = await this.#redis.set(claim.redisKey, claim.owner, 'PX', claim.holdMs, 'NX');
    } catch (error) {
      this.#onError(error);
      return this.#fallback.tryAcquire(key);
    }
    return taken === null ? undefined : this.releaser(claim);
  }

  /** The release of a lock taken under `claim` (here or by the call gate's script): not awaited by anyone. */
  releaser(claim: LockClaim): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Only the holder deletes its lock; if Redis fails here, the lock expires after holdMs.
      this.#redis.apipRelease(claim.redisKey, claim.owner).catch((error: unknown) => this.#onError(error));
    };
  }
}

export class RedisAnswerCache implements AnswerCache {
  readonly #redis: Redis;
  readonly #local: ResponseCache;
  readonly #key: Buffer;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;

  /** @param secret shared by every instance (the journal's pseudonym key): it seals the cached answers. */
  constructor(options: { redis: Redis; local: ResponseCache; secret: string; now: () => number; onError?: (error: unknown) => void }) {
    this.#redis = options.redis;
    this.#local = options.local;
    this.#key = Buffer.from(hkdfSync('sha256', options.secret, 'api-particulier', 'response-cache v1', 32));
    this.#now = options.now;
    this.#onError = options.onError ?? (() => {});
  }

  /** The Redis key of an answer. */
  redisKeyOf(key: string): string {
    return redisKeyOf(key);
  }

  async lookup(key: string): Promise<CachedAnswer | undefined> {
    let sealed: Buffer | null;
    try {
      sealed = await this.#redis.getBuffer(redisKeyOf(key));
    } catch (error) {
      this.#onError(error);
      return this.#local.get(key);
    }
    return sealed === null ? undefined : this.opened(key, sealed);
  }

  /**
   * An answer read from Redis (by `lookup` or the call gate's script), if still alive by this
   * instance's clock. One that cannot be opened counts as Redis failing: this instance's cache answers.
   */
  opened(key: string, sealed: Buffer): CachedAnswer | undefined {
    let entry: CachedAnswer;
    try {
      entry = this.#open(sealed);
    } catch (error) {
      this.#onError(error);
      return this.#local.get(key);
    }
    return entry.expiresAt > this.#now() ? entry : undefined;
  }

  async store(key: string, body: unknown, ttlSeconds: number): Promise<CachedAnswer> {
    const entry: CachedAnswer = { body, expiresAt: this.#now() + ttlSeconds * 1000 };
    try {
      await this.#redis.set(redisKeyOf(key), this.#seal(entry), 'PX', ttlSeconds * 1000);
    } catch (error) {
      this.#onError(error);
      return this.#local.set(key, body, ttlSeconds);
    }
    return entry;
  }

  secondsLeft(entry: CachedAnswer): number {
    return this.#local.secondsLeft(entry);
  }

  /** Forgets every shared answer (sandbox reload), in the background. */
  clear(): void {
    this.#local.clear();
    const stream = this.#redis.scanStream({ match: `${CACHE_PREFIX}*`, count: 500 });
    stream.on('data', (keys: string[]) => {
      if (keys.length > 0) this.#redis.unlink(...keys).catch((error: unknown) => this.#onError(error));
    });
    stream.on('error', (error: unknown) => this.#onError(error));
  }

  #seal(entry: CachedAnswer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  }

  #open(sealed: Buffer): CachedAnswer {
    const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')) as CachedAnswer;
  }
}


export interface SharedState {
  /** The call's limits, cache lookup and 409 lock in one script (docs/adr/0172-one-redis-round-trip-per-call.md). */
  gate: RedisCallGate;
  cache: RedisAnswerCache;
  ready(timeoutMs: number): Promise<void>;
  close(): void;
}

/**
 * The Redis-backed limits, lock and cache of a deployment with several instances.
 * @param options.limits the policies, and the in-process limiter that decides when Redis fails open.
 * @param options.log resolves the logger lazily (the server is built after these).
 */
export function createSharedState(
  url: string,
  options: {
    lock: InFlightLock;
    localCache: ResponseCache;
    limits: RateLimits;
    failure: RateLimitConfig['redisFailure'];
    secret: string;
    now: () => number;
    log: () => { warn(obj: object, msg: string): void };
  },
): SharedState {
  // Redis failures are logged without the error's message, which may quote a key.
  const onError = (what: string) => (error: unknown) => options.log().warn({ redis: what, code: (error as { code?: string }).code ?? (error as Error).name }, 'redis unavailable: falling back to this instance');
  const redis = connect(url);
  const lock = new RedisRequestLock({ redis, fallback: options.lock, holdMs: PROVIDER_CALL_LIMIT_MS + 5_000, onError: onError('lock') });
  const cache = new RedisAnswerCache({ redis, local: options.localCache, secret: options.secret, now: options.now, onError: onError('response cache') });
  const gate = new RedisCallGate({
    redis,
    limits: options.limits,
    failure: options.failure,
    now: options.now,
    lock,
    cache,
    // Redis failing open: this instance's limiter, lock and cache decide, as each did on its own before.
    fallback: new LocalCallGate(options.limits, options.lock, options.localCache),
    onError: onError('call gate'),
  });
  return {
    gate,
    cache,
    ready: (timeoutMs) => redisSettled(redis, timeoutMs),
    close: () => redis.disconnect(),
  };
}
