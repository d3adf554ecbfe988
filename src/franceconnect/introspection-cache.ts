/**
 * Bounded cache of FranceConnect's positive checktoken answers (docs/adr/0120-franceconnect-live-checker.md).
 * An answer is kept until the earlier of the access token's `exp` and `maxTtlMs` (so a token
 * revoked at FranceConnect stops working within that bound), and the LRU bound caps memory — the
 * former implementation's unbounded, never-expiring token cache is what STYLE warns against.
 * Keys are SHA-256 digests of the access tokens: the bearer strings themselves are not kept.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { FranceConnectIntrospection } from './introspection.ts';

export interface IntrospectionCacheOptions {
  max: number;
  /** Upper bound on an entry's life, whatever the token's `exp`; 0 disables the cache. */
  maxTtlMs: number;
  now: () => Date;
}

interface Entry {
  introspection: FranceConnectIntrospection;
  /** Epoch ms after which the entry is dead (token `exp` or the TTL bound, the earlier). */
  until: number;
}

function keyOf(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

export class IntrospectionCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #maxTtlMs: number;
  readonly #now: () => Date;

  constructor(options: IntrospectionCacheOptions) {
    this.#entries = new LRUCache({ max: options.max });
    this.#maxTtlMs = options.maxTtlMs;
    this.#now = options.now;
  }

  /** The cached answer for this token, if it is still alive by the injected clock. */
  get(accessToken: string): FranceConnectIntrospection | undefined {
    const key = keyOf(accessToken);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now().getTime() >= entry.until) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.introspection;
  }

  /** Keeps an active answer until its token's `exp` (seconds) or the TTL bound, whichever comes first. */
  set(accessToken: string, introspection: FranceConnectIntrospection): void {
    if (this.#maxTtlMs <= 0) return;
    const now = this.#now().getTime();
    const until = Math.min(introspection.token_introspection.exp * 1000, now + this.#maxTtlMs);
    if (until <= now) return;
    this.#entries.set(keyOf(accessToken), { introspection, until });
  }

  get size(): number {
    return this.#entries.size;
  }
}
