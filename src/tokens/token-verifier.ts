/**
 * Turns a bearer string into a verified token record, or the contract's 401 (CONTRACT §2):
 * 00101 missing/invalid/unknown, 00103 expired, 00105 revoked.
 *
 * Verification (HMAC + a row lookup) costs ~0.2 ms plus a query, so results are cached in a bounded
 * map with a short lifetime: a revocation takes effect within that lifetime (TOKEN_CACHE_TTL_MS, 5 s
 * by default) — at once when the revocation notice reaches this process — and an expiry at once.
 * The map is keyed by the JWT's signature segment (short, and unique per token) and a hit must match
 * the whole bearer: hashing the whole bearer per call (a SHA-256 in an earlier version, then the
 * string itself as the key) showed in the benchmark profile, tokens with many scopes being kilobytes.
 */
import { BoundedMap } from '../infra/bounded-map.ts';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import type { Keyring } from './keyring.ts';
import { tokenState, type TokenRecord } from './token-record.ts';
import type { TokenRepository } from './token-repository.ts';

export interface TokenVerifierOptions {
  repository: TokenRepository;
  keyring: Keyring;
  now: () => Date;
  cacheTtlMs: number;
  cacheMax: number;
}

const invalid = (): ApiError => ApiError.of(gatewayErrors.invalidToken, { source: { parameter: 'token' } });
const expired = (): ApiError => ApiError.of(gatewayErrors.expiredToken, { source: { parameter: 'token' } });
const revoked = (): ApiError => ApiError.of(gatewayErrors.blacklistedToken, { source: { parameter: 'token' } });

export class TokenVerifier {
  readonly #options: TokenVerifierOptions;
  readonly #cache: BoundedMap<string, { bearer: string; record: TokenRecord }> | undefined;

  constructor(options: TokenVerifierOptions) {
    this.#options = options;
    this.#cache = options.cacheTtlMs > 0 ? new BoundedMap(options.cacheMax) : undefined;
  }

  /** @throws ApiError 401 with 00101, 00103 or 00105. */
  async verify(bearer: string | undefined): Promise<TokenRecord> {
    if (bearer === undefined || bearer === '') throw invalid();
    // The injected clock drives the cache's expiry too, so tests can move time instead of sleeping.
    const now = this.#options.now();
    const nowMs = now.getTime();
    const cacheKey = bearer.slice(bearer.lastIndexOf('.') + 1);
    const hit = this.#cache?.get(cacheKey, nowMs);
    const cached = hit !== undefined && hit.bearer === bearer ? hit.record : undefined;
    const record = cached ?? (await this.#verifyUncached(bearer, now));
    // Each entry lives between half and all of the lifetime, at random: tokens first seen together
    // (a restart, a burst) would otherwise all expire together and be re-verified in one burst of
    // database queries — the benchmark's p99 showed it. The revocation bound stays the full lifetime.
    if (cached === undefined) this.#cache?.set(cacheKey, { bearer, record }, nowMs + this.#options.cacheTtlMs * (0.5 + Math.random() * 0.5));
    // Expiry first, as the uncached path does (the JWT's `exp` is checked before the row is read): a
    // token both revoked and expired gets the same 00103 whether its check was cached or not.
    if (record.expiresAt.getTime() <= nowMs) throw expired();
    switch (tokenState(record, now)) {
      case 'revoked':
        throw revoked();
      case 'expired':
        throw expired();
      case 'active':
        return record;
    }
  }

  /** Drops cached verifications, e.g. after a revocation made in this process. */
  forget(): void {
    this.#cache?.clear();
  }

  async #verifyUncached(bearer: string, now: Date): Promise<TokenRecord> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(bearer);
      kid = typeof header.kid === 'string' ? header.kid : undefined;
    } catch {
      throw invalid();
    }
    const key = kid === undefined ? undefined : this.#options.keyring.find(kid);
    if (key === undefined) throw invalid();
    let jti: string | undefined;
    try {
      const { payload } = await jwtVerify(bearer, key, { algorithms: ['HS256'], currentDate: now });
      jti = payload.jti;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw expired();
      throw invalid();
    }
    if (jti === undefined) throw invalid();
    const record = await this.#options.repository.findByJti(jti);
    if (record === undefined) throw invalid();
    return record;
  }
}
