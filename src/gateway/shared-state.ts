/**
 * The 409 lock and the response cache shared by every instance through Redis (issue 6, item 4;
 * docs/adr/0008-rate-limits.md § "Shared state"). Redis never sees personal data in clear: keys are
 * SHA-256 digests of the lock or cache key (which hold the params), cached answers are sealed with
 * AES-256-GCM under a key derived from the journal's pseudonym key, which every instance shares.
 * When Redis fails, both fall back to this instance's own lock and cache: a duplicate provider call
 * or a cache miss is better than refusing the citizen's administration.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisSettled } from '../infra/redis-ready.ts';
import type { CachedAnswer, ResponseCache } from './response-cache.ts';
import type { InFlightLock } from './in-flight-lock.ts';
import { PROVIDER_CALL_LIMIT_MS } from './provider-call-limit.ts';

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

function connect(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 100, enableAutoPipelining: true });
  redis.on('error', () => {});
  return redis;
}

export class RedisRequestLock implements RequestLock {
  readonly #redis: LockRedis;
  readonly #fallback: InFlightLock;
  readonly #holdMs: number;
  readonly #onError: (error: unknown) => void;

  /** @param holdMs the longest a lock may outlive a crashed holder: the provider call's outer limit. */
  constructor(options: { url: string; fallback: InFlightLock; holdMs: number; onError?: (error: unknown) => void }) {
    this.#redis = connect(options.url) as LockRedis;
    this.#redis.defineCommand('apipRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.#fallback = options.fallback;
    this.#holdMs = options.holdMs;
    this.#onError = options.onError ?? (() => {});
  }

  async acquire(key: string): Promise<Release | undefined> {
    const redisKey = `apip:lock:${digest(key)}`;
    const owner = randomBytes(12).toString('base64url');
    let taken: string | null;
    try {
      taken = await this.#redis.set(redisKey, owner, 'PX', this.#holdMs, 'NX');
    } catch (error) {
      this.#onError(error);
      return this.#fallback.tryAcquire(key);
    }
    if (taken === null) return undefined;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Only the holder deletes its lock; if Redis fails here, the lock expires after holdMs.
      this.#redis.apipRelease(redisKey, owner).catch((error: unknown) => this.#onError(error));
    };
  }

  ready(timeoutMs: number): Promise<void> {
    return redisSettled(this.#redis, timeoutMs);
  }

  close(): void {
    this.#redis.disconnect();
  }
}

export class RedisAnswerCache implements AnswerCache {
  readonly #redis: Redis;
  readonly #local: ResponseCache;
  readonly #key: Buffer;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;

  /** @param secret shared by every instance (the journal's pseudonym key): it seals the cached answers. */
  constructor(options: { url: string; local: ResponseCache; secret: string; now: () => number; onError?: (error: unknown) => void }) {
    this.#redis = connect(options.url);
    this.#local = options.local;
    this.#key = Buffer.from(hkdfSync('sha256', options.secret, 'api-particulier', 'response-cache v1', 32));
    this.#now = options.now;
    this.#onError = options.onError ?? (() => {});
  }

  async lookup(key: string): Promise<CachedAnswer | undefined> {
    try {
      const sealed = await this.#redis.getBuffer(redisKeyOf(key));
      if (sealed === null) return undefined;
      const entry = this.#open(sealed);
      return entry.expiresAt > this.#now() ? entry : undefined;
    } catch (error) {
      this.#onError(error);
      return this.#local.get(key);
    }
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

  ready(timeoutMs: number): Promise<void> {
    return redisSettled(this.#redis, timeoutMs);
  }

  close(): void {
    this.#redis.disconnect();
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
  lock: RedisRequestLock;
  cache: RedisAnswerCache;
  ready(timeoutMs: number): Promise<void>;
  close(): void;
}

/**
 * The Redis-backed lock and cache of a deployment with several instances.
 * @param options.log resolves the logger lazily (the server is built after these).
 */
export function createSharedState(
  url: string,
  options: { lock: InFlightLock; localCache: ResponseCache; secret: string; now: () => number; log: () => { warn(obj: object, msg: string): void } },
): SharedState {
  // Redis failures are logged without the error's message, which may quote a key.
  const onError = (what: string) => (error: unknown) => options.log().warn({ redis: what, code: (error as { code?: string }).code ?? (error as Error).name }, 'redis unavailable: falling back to this instance');
  const lock = new RedisRequestLock({ url, fallback: options.lock, holdMs: PROVIDER_CALL_LIMIT_MS + 5_000, onError: onError('lock') });
  const cache = new RedisAnswerCache({ url, local: options.localCache, secret: options.secret, now: options.now, onError: onError('response cache') });
  return {
    lock,
    cache,
    ready: async (timeoutMs) => {
      await Promise.all([lock.ready(timeoutMs), cache.ready(timeoutMs)]);
    },
    close: () => {
      lock.close();
      cache.close();
    },
  };
}
