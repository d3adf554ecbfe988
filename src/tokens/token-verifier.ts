/**
 * Turns a bearer string into a verified token record, or the contract's 401 (CONTRACT §2):
 * 00101 missing/invalid/unknown, 00103 expired, 00105 revoked.
 *
 * Verification (HMAC + a row lookup) costs ~0.2 ms plus a query, so results are cached by the SHA-256
 * of the bearer, in a bounded LRU with a short lifetime: a revocation takes effect within that
 * lifetime (TOKEN_CACHE_TTL_MS, 5 s by default), an expiry at once.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
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
  readonly #cache: LRUCache<string, TokenRecord> | undefined;

  constructor(options: TokenVerifierOptions) {
    this.#options = options;
    this.#cache =
      options.cacheTtlMs > 0 ? new LRUCache<string, TokenRecord>({
            max: options.cacheMax,
            ttl: options.cacheTtlMs,
            // The injected clock drives expiry too, so tests can move time instead of sleeping.
            perf: { now: () => options.now().getTime() },
            // Read the clock on every access: the default 1 ms memo can serve a stale instant.
            ttlResolution: 0,
          }) : undefined;
  }

  /** @throws ApiError 401 with 00101, 00103 or 00105. */
  async verify(bearer: string | undefined): Promise<TokenRecord> {
    if (bearer === undefined || bearer === '') throw invalid();
    const now = this.#options.now();
    const cacheKey = createHash('sha256').update(bearer).digest('base64url');
    const cached = this.#cache?.get(cacheKey);
    const record = cached ?? (await this.#verifyUncached(bearer, now));
    if (cached === undefined) this.#cache?.set(cacheKey, record);
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
