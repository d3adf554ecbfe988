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
 *
 * A token in use is re-read before its entry lapses: the first call past the entry's refresh instant
 * starts a re-read in the background and is answered from the entry, still valid. Without that, every
 * call of a busy token arriving while its lapsed entry was re-verified ran its own HMAC and query
 * (about three per lapse in the in-process benchmark, a third of the gateway's CPU per call). A call
 * that finds the entry lapsed while its re-read is still under way (a slow database) waits for that
 * re-read rather than starting another. The revocation bound is unchanged: no call is answered from a
 * read begun more than the lifetime before it.
 *
 * A re-read reads the row only, and so does the first call after an entry's record has lapsed (a
 * token used now and then): the entry keeps the JWT's verification for an hour after its last read (or
 * until the JWT's `exp`, or its eviction), only its record is answered for no longer than the lifetime. The JWT was verified when
 * its entry was first made, and the bearer and the keyring (fixed at start) cannot have changed since:
 * of `jwtVerify`'s checks only the expiry depends on the time, and it is made again here the same way
 * (a JWT with `nbf` is verified in full). jose's HS256 check costs 80–250 µs (WebCrypto, a key import
 * per call); 200 tokens coming back together held the event loop ~15 ms.
 *
 * Rows are read through `BatchedReads`: one query in flight per lane (calls, re-reads), the reads asked meanwhile in the
 * next one, and a re-read waiting a few milliseconds for others. On the embedded database a query costs
 * ~0.5 ms of CPU whatever it reads, ten rows together ~0.2 ms each; a burst of tokens not seen for a
 * while (a restart, a spike waking idle clients) once queued one query each and held calls 100–300 ms.
 * Calls arriving together with the same unseen bearer share one verification.
 */
import { BoundedMap } from '../infra/bounded-map.ts';
import { BatchedReads } from './batched-reads.ts';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
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

/** What a verified JWT says that a re-read needs: the row to read, and the `exp` to check again. */
interface Claims {
  jti: string;
  /** Seconds since the epoch, as in the JWT. */
  exp: number | undefined;
}

interface Verified {
  record: TokenRecord;
  /** Undefined when the JWT must be verified in full again (it has `nbf`). */
  claims: Claims | undefined;
}

interface CacheEntry extends Verified {
  bearer: string;
  /** Until this instant (ms) the record is answered as is; after it, the row is read again before answering. */
  freshUntil: number;
  /** From this instant (ms) the first call re-reads the token in the background; `Infinity` once it has. */
  refreshAt: number;
}

/** A re-read waits this long (ms) for others to share its query: a fiftieth of the lifetime, 50 ms at most. */
const batchWindowOf = (ttlMs: number): number => Math.min(50, ttlMs / 50);

/** How long after its last read a bearer's JWT verification is kept (see `#remember`). */
const KEEP_VERIFIED_MS = 3_600_000;

export class TokenVerifier {
  readonly #options: TokenVerifierOptions;
  readonly #cache: BoundedMap<string, CacheEntry> | undefined;
  /** Verifications under way (first ones and background re-reads), by cache key. */
  readonly #verifying = new Map<string, { bearer: string; startedAt: number; verified: Promise<Verified> }>();
  /** Bumped by `forget()`: a background re-read begun before it may have read a row since revoked. */
  #generation = 0;
  readonly #rows: BatchedReads<string, TokenRecord>;

  constructor(options: TokenVerifierOptions) {
    this.#options = options;
    this.#cache = options.cacheTtlMs > 0 ? new BoundedMap(options.cacheMax) : undefined;
    this.#rows = new BatchedReads({ readMany: (jtis) => options.repository.findByJtis(jtis), windowMs: batchWindowOf(options.cacheTtlMs) });
  }

  /** @throws ApiError 401 with 00101, 00103 or 00105. */
  async verify(bearer: string | undefined): Promise<TokenRecord> {
    if (bearer === undefined || bearer === '') throw invalid();
    // The injected clock drives the cache's expiry too, so tests can move time instead of sleeping.
    const now = this.#options.now();
    const nowMs = now.getTime();
    const cacheKey = bearer.slice(bearer.lastIndexOf('.') + 1);
    const hit = this.#cache?.get(cacheKey, nowMs);
    const known = hit !== undefined && hit.bearer === bearer ? hit : undefined;
    let record: TokenRecord;
    if (known !== undefined && nowMs < known.freshUntil) {
      record = known.record;
      if (nowMs >= known.refreshAt) this.#refresh(cacheKey, known, now);
    } else {
      const verifying = this.#verifying.get(cacheKey);
      if (verifying !== undefined && verifying.bearer === bearer && nowMs - verifying.startedAt < this.#options.cacheTtlMs) {
        record = (await verifying.verified).record;
      } else {
        // A bearer verified before needs its row only (see the file's comment); another, the full check.
        const verified = known?.claims !== undefined ? this.#reread(known.claims, now, true) : this.#verifyUncached(bearer, now);
        record = (await this.#track(cacheKey, bearer, now, verified, known)).record;
      }
    }
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
    this.#verifying.clear();
    this.#generation += 1;
  }

  #remember(cacheKey: string, bearer: string, verified: Verified, readAtMs: number): void {
    // The re-read starts between three quarters and nineteen twentieths of the lifetime, at random:
    // tokens first seen together (a restart, a burst) would otherwise be re-read in one burst of
    // database queries — the benchmark's p99 showed it. Late in the lifetime, so that a busy token
    // costs about one read per lifetime; a re-read still under way when the entry lapses is waited
    // for, not repeated (verify()).
    const ttl = this.#options.cacheTtlMs;
    // The entry outlives its record: a bearer whose JWT was verified keeps that verification for an hour
    // after its last read (or until the JWT's `exp`, or eviction), so that once its record lapses only the
    // row is read again. The hour bounds the memory to the tokens in use (a bearer is kilobytes).
    const freshUntil = readAtMs + ttl;
    const keepVerified = freshUntil + KEEP_VERIFIED_MS;
    const keepUntil = verified.claims === undefined ? freshUntil : Math.max(freshUntil, Math.min(keepVerified, (verified.claims.exp ?? Number.POSITIVE_INFINITY) * 1000));
    this.#cache?.set(cacheKey, { ...verified, bearer, freshUntil, refreshAt: readAtMs + ttl * (0.75 + Math.random() * 0.2) }, keepUntil);
  }

  /** Re-reads a token whose entry nears its end, once; a failure drops the entry, so the next call verifies (and fails) itself. */
  #refresh(cacheKey: string, entry: CacheEntry, now: Date): void {
    entry.refreshAt = Number.POSITIVE_INFINITY;
    const verified = entry.claims === undefined ? this.#verifyUncached(entry.bearer, now) : this.#reread(entry.claims, now, false);
    void this.#track(cacheKey, entry.bearer, now, verified, entry).catch(() => undefined);
  }

  /**
   * Makes `verified` the verification under way for `cacheKey` until it settles, then caches its
   * result, unless `forget()` came in between (the row may have been read before a revocation). On a
   * failure, the entry it was re-reading (if any, and still there) is dropped.
   */
  #track(cacheKey: string, bearer: string, now: Date, verified: Promise<Verified>, replacing: CacheEntry | undefined): Promise<Verified> {
    const generation = this.#generation;
    const verifying = { bearer, startedAt: now.getTime(), verified };
    this.#verifying.set(cacheKey, verifying);
    const settled = (): boolean => {
      if (this.#verifying.get(cacheKey) === verifying) this.#verifying.delete(cacheKey);
      return generation === this.#generation;
    };
    return verified.then(
      (fresh) => {
        if (settled()) this.#remember(cacheKey, bearer, fresh, now.getTime());
        return fresh;
      },
      (error: unknown) => {
        if (settled() && replacing !== undefined && this.#cache?.get(cacheKey, now.getTime()) === replacing) this.#cache.delete(cacheKey);
        throw error;
      },
    );
  }

  /** What `#verifyUncached` would give for a bearer it verified before (see the file's comment). */
  async #reread(claims: Claims, now: Date, urgent: boolean): Promise<Verified> {
    // jwtVerify's test: `exp` at or before the current second is expired.
    if (claims.exp !== undefined && claims.exp <= Math.floor(now.getTime() / 1000)) throw expired();
    const record = await this.#rows.read(claims.jti, urgent);
    if (record === undefined) throw invalid();
    return { record, claims };
  }

  async #verifyUncached(bearer: string, now: Date): Promise<Verified> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(bearer);
      kid = typeof header.kid === 'string' ? header.kid : undefined;
    } catch {
      throw invalid();
    }
    const key = kid === undefined ? undefined : this.#options.keyring.find(kid);
    if (key === undefined) throw invalid();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(bearer, key, { algorithms: ['HS256'], currentDate: now }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw expired();
      throw invalid();
    }
    const jti = payload.jti;
    if (jti === undefined) throw invalid();
    const record = await this.#rows.read(jti, true);
    if (record === undefined) throw invalid();
    return { record, claims: payload.nbf === undefined ? { jti, exp: payload.exp } : undefined };
  }
}
