/**
 * A bounded key → value map for the request path's caches (verified tokens, rate-limit arrival
 * times): a plain `Map` whose insertion order is its eviction order. `set` moves a key to the end,
 * so the key dropped when the map is full is the one written longest ago. Entries may carry an
 * expiry instant, checked against the caller's clock on `get` (tests move a fake clock instead of
 * sleeping).
 *
 * Why not `lru-cache`: it showed at 3–5 % of the gateway's CPU in the benchmark profile
 * (docs/benchmarks.md) for features these caches do not need (recency on read, size accounting,
 * timers). Written-order eviction is enough here: every entry either expires within seconds or, once
 * evicted, only costs a recomputation.
 */
export class BoundedMap<K, V> {
  readonly #max: number;
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`BoundedMap max must be a positive integer, got ${max}`);
    this.#max = max;
  }

  /**
   * The value, unless absent or expired at `now` (an expired entry is dropped). With `renew`, a hit
   * moves the key to the end as a write would (least-recently-used eviction instead of oldest-write).
   */
  get(key: K, now = 0, renew = false): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    if (renew) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry.value;
  }

  /** Stores `value` until `expiresAt` (never expires when omitted), evicting the oldest write when full. */
  set(key: K, value: V, expiresAt = Number.POSITIVE_INFINITY): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
