/**
 * Which token record answers for a FranceConnect client id (ADR 0004). Looked up on every
 * FranceConnect call, so cached like token verifications: bounded, for the same short lifetime, so a
 * revocation or a new registration takes effect within `TOKEN_CACHE_TTL_MS`.
 */
import { LRUCache } from 'lru-cache';
import { tokenState, type TokenRecord } from './token-record.ts';
import type { TokenRepository } from './token-repository.ts';

export class FranceConnectClients {
  readonly #repository: TokenRepository;
  readonly #now: () => Date;
  readonly #cache: LRUCache<string, { record: TokenRecord | null }> | undefined;

  constructor(options: { repository: TokenRepository; now: () => Date; cacheTtlMs: number; cacheMax: number }) {
    this.#repository = options.repository;
    this.#now = options.now;
    this.#cache =
      options.cacheTtlMs > 0
        ? new LRUCache({ max: options.cacheMax, ttl: options.cacheTtlMs, ttlResolution: 0, perf: { now: () => options.now().getTime() } })
        : undefined;
  }

  /** Drops cached lookups, e.g. after a revocation. */
  forget(): void {
    this.#cache?.clear();
  }

  /** The newest active record that registered this client id, or undefined. */
  async recordFor(clientId: string): Promise<TokenRecord | undefined> {
    const now = this.#now();
    let entry = this.#cache?.get(clientId);
    if (entry === undefined) {
      entry = { record: (await this.#repository.findByFranceConnectClientId(clientId, now))[0] ?? null };
      this.#cache?.set(clientId, entry);
    }
    // A cached record may have expired or reached a scheduled revocation since: check against now.
    return entry.record !== null && tokenState(entry.record, now) === 'active' ? entry.record : undefined;
  }
}
