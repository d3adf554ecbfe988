/**
 * The contract's response cache (CONTRACT §1.1, §7): on routes that declare a lifetime, a second
 * identical call by the same caller is served from memory without calling the provider, with
 * `X-Response-Cached: true` and `X-Cache-Expires-in: <seconds left>`. `Cache-Control: no-cache`
 * bypasses it (and refreshes it). Only successful, already masked answers are kept — never errors —
 * and only in memory: cached personal data never touches the disk. Bounded, least recently used
 * evicted first, dropped at expiry.
 */
import { BoundedMap } from '../infra/bounded-map.ts';

export interface CachedAnswer {
  body: unknown;
  expiresAt: number;
}

export class ResponseCache {
  readonly #entries: BoundedMap<string, CachedAnswer>;
  readonly #now: () => number;

  constructor(options: { max: number; now: () => Date }) {
    this.#now = () => options.now().getTime();
    this.#entries = new BoundedMap<string, CachedAnswer>(options.max);
  }

  get(key: string): CachedAnswer | undefined {
    return this.#entries.get(key, this.#now(), true);
  }

  set(key: string, body: unknown, ttlSeconds: number): CachedAnswer {
    const entry = { body, expiresAt: this.#now() + ttlSeconds * 1000 };
    this.#entries.set(key, entry, entry.expiresAt);
    return entry;
  }

  /** `get` as the pipeline's `AnswerCache` (src/gateway/shared-state.ts). */
  lookup(key: string): Promise<CachedAnswer | undefined> {
    return Promise.resolve(this.get(key));
  }

  /** `set` as the pipeline's `AnswerCache`. */
  store(key: string, body: unknown, ttlSeconds: number): Promise<CachedAnswer> {
    return Promise.resolve(this.set(key, body, ttlSeconds));
  }

  secondsLeft(entry: CachedAnswer): number {
    return Math.max(0, Math.ceil((entry.expiresAt - this.#now()) / 1000));
  }

  /** Forgets everything, e.g. when the sandbox cases the entries came from are reloaded. */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** `Cache-Control: no-cache` (or `no-store`, `max-age=0`) asks for fresh data. */
export function wantsFresh(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && /(^|,)\s*(no-cache|no-store|max-age=0)\s*(,|$)/i.test(cacheControl);
}
