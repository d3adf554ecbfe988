/**
 * Revocation notices (docs/adr/0008-rate-limits.md § "Shared state"): when a token is revoked — or its
 * rate limit changes (ADR 0117) — every instance drops its cached verifications at once instead of
 * waiting for their lifetime (`TOKEN_CACHE_TTL_MS`, which stays the upper bound should a notice be lost).
 * In process by default; through Redis pub/sub with `REDIS_URL`, so a revocation made on one
 * instance, or by the CLI on the database, reaches all of them.
 */
import { Redis } from 'ioredis';
import { redisSettled } from '../infra/redis-ready.ts';

export const REVOCATION_CHANNEL = 'apip:token-revocations';

/**
 * The notice of a change to several tokens at once: a habilitation's revocation or its new rate
 * limit (docs/adr/0117-habilitation-rate-limit.md). Every notice empties the caches whatever it names.
 */
export const ANY_TOKEN = '*';

export interface RevocationNotices {
  /** Tells every instance (this one included) that `jti` (or {@link ANY_TOKEN}) was revoked or changed. Never throws. */
  publish(jti: string): Promise<void>;
  /** `onRevoked` runs for every notice, from any instance. */
  subscribe(onRevoked: (jti: string) => void): void;
  /** Resolves once notices from other instances can be received (or after `timeoutMs`). */
  ready(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** One process: a notice is a direct call. */
export class LocalRevocationNotices implements RevocationNotices {
  readonly #handlers: Array<(jti: string) => void> = [];

  publish(jti: string): Promise<void> {
    for (const handler of this.#handlers) handler(jti);
    return Promise.resolve();
  }

  subscribe(onRevoked: (jti: string) => void): void {
    this.#handlers.push(onRevoked);
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#handlers.length = 0;
    return Promise.resolve();
  }
}

/** Several instances: Redis pub/sub on one channel; a subscriber connection only when someone listens. */
export class RedisRevocationNotices implements RevocationNotices {
  readonly #url: string;
  readonly #publisher: Redis;
  readonly #local = new LocalRevocationNotices();
  readonly #onError: (error: unknown) => void;
  #subscriber: Redis | undefined;
  #subscribed: Promise<void> | undefined;

  constructor(url: string, onError: (error: unknown) => void = () => {}) {
    this.#url = url;
    this.#onError = onError;
    this.#publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 });
    this.#publisher.on('error', () => {});
  }

  async publish(jti: string): Promise<void> {
    // This instance learns it directly, whatever Redis does.
    await this.#local.publish(jti);
    try {
      if (this.#publisher.status !== 'ready') await redisSettled(this.#publisher, 1_000);
      await this.#publisher.publish(REVOCATION_CHANNEL, jti);
    } catch (error) {
      // The other instances will still see the revocation when their cache entry expires.
      this.#onError(error);
    }
  }

  subscribe(onRevoked: (jti: string) => void): void {
    this.#local.subscribe(onRevoked);
    if (this.#subscriber !== undefined) return;
    const subscriber = new Redis(this.#url, { maxRetriesPerRequest: null });
    subscriber.on('error', () => {});
    subscriber.on('message', (channel: string, jti: string) => {
      if (channel === REVOCATION_CHANNEL) void this.#local.publish(jti);
    });
    // ioredis re-subscribes by itself after a reconnection.
    this.#subscribed = subscriber.subscribe(REVOCATION_CHANNEL).then(
      () => undefined,
      (error: unknown) => this.#onError(error),
    );
    this.#subscriber = subscriber;
  }

  async ready(timeoutMs: number): Promise<void> {
    if (this.#subscribed === undefined || this.#subscriber === undefined) return;
    // Subscribed, or Redis refused the first connection, or the timeout: start either way.
    await Promise.race([this.#subscribed, redisSettled(this.#subscriber, timeoutMs).then(() => (this.#subscriber?.status === 'ready' ? this.#subscribed : undefined))]);
  }

  async close(): Promise<void> {
    await this.#local.close();
    this.#publisher.disconnect();
    this.#subscriber?.disconnect();
  }

}

export function createRevocationNotices(redisUrl: string | undefined, onError?: (error: unknown) => void): RevocationNotices {
  return redisUrl === undefined ? new LocalRevocationNotices() : new RedisRevocationNotices(redisUrl, onError);
}
