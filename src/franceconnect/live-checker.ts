/**
 * Live FranceConnect checker: the gateway acts as a FranceConnect v2 *data provider*
 * (docs/adr/0120-franceconnect-live-checker.md). For each citizen access token it
 *
 * 1. POSTs `token`, `client_id`, `client_secret` (form-encoded) to FranceConnect's `checktoken`;
 * 2. verifies the answer — a JWT (`application/token-introspection+jwt`, ES256 or RS256) — against
 *    FranceConnect's JWKS: cached for `jwksCacheTtlMs`, refetched once on an unknown `kid` but at
 *    most once per `jwksCooldownMs` (jose's remote key set does both);
 * 3. checks `aud` (our client id), `iss` when configured, `token_introspection.active` and `exp`;
 * 4. caches the positive answer until the token's `exp` (bounded LRU, {@link IntrospectionCache}).
 *
 * Failures are data (STYLE §3):
 * - the citizen's token is unknown, inactive or expired → `undefined`, which the pipeline answers
 *   401 `00101` (CONTRACT §5.2 step 1);
 * - FranceConnect unreachable, slow, answering 5xx, refusing our credentials, or an answer that
 *   cannot be verified (bad signature, `kid` absent from the JWKS even after a refetch, wrong
 *   `aud`/`iss`, malformed) → {@link ApiError} 504 `00501`: not the citizen's fault, so never a 401
 *   that would send the service provider to log the citizen in again. The operator gets a log line
 *   naming the reason, never the token nor the identity.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import type { FranceConnectChecker } from './checker.ts';
import type { FranceConnectConfig } from './franceconnect-config.ts';
import { IntrospectionCache } from './introspection-cache.ts';
import { parseIntrospection, type FranceConnectIntrospection } from './introspection.ts';

/** Why a checktoken call could not be trusted; logged for the operator. */
export type CheckTokenFailure =
  | 'unreachable'
  | 'timeout'
  | 'upstream-status'
  | 'credentials-refused'
  | 'unknown-kid'
  | 'bad-signature'
  | 'jwks-unavailable'
  | 'claims'
  | 'malformed';

/** A pino-compatible logger (the app passes `server.log`). */
export interface CheckerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LiveFranceConnectCheckerOptions extends Omit<FranceConnectConfig, 'cacheMax' | 'cacheTtlMs'> {
  cacheMax: number;
  cacheTtlMs: number;
  now?: () => Date;
  log?: CheckerLog;
}

/** Signature algorithms FranceConnect v2 uses for its answers. */
const ALGORITHMS = ['ES256', 'RS256'];
const RETRY_IN_SECONDS = 10;

class CheckTokenError extends Error {
  constructor(readonly reason: CheckTokenFailure, readonly info: Record<string, unknown> = {}) {
    super(reason);
  }
}

function failureOf(error: unknown): CheckTokenError {
  if (error instanceof CheckTokenError) return error;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new CheckTokenError('unknown-kid');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new CheckTokenError('bad-signature');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return new CheckTokenError('jwks-unavailable');
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new CheckTokenError('claims', { claim: error.claim });
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new CheckTokenError('malformed', { why: 'alg' });
  if (error instanceof joseErrors.JOSEError) return new CheckTokenError('malformed', { why: error.code });
  // fetch() of the JWKS failing at the network level surfaces as a TypeError.
  if (error instanceof TypeError) return new CheckTokenError('jwks-unavailable');
  return new CheckTokenError('malformed');
}

/**
 * Builds the live checker from the FranceConnect config slice.
 * @example
 * const checker = createLiveFranceConnectChecker({ ...config.franceConnect, log: server.log });
 * await checker.introspect(accessToken); // the checked answer, or undefined for a dead token
 */
export function createLiveFranceConnectChecker(options: LiveFranceConnectCheckerOptions): FranceConnectChecker & { cache: IntrospectionCache } {
  const now = options.now ?? (() => new Date());
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.jwksCooldownMs,
    cacheMaxAge: options.jwksCacheTtlMs,
  });
  const cache = new IntrospectionCache({ max: options.cacheMax, maxTtlMs: options.cacheTtlMs, now });

  async function callCheckToken(accessToken: string): Promise<string> {
    let response: Response;
    try {
      response = await fetch(options.checkTokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/token-introspection+jwt' },
        body: new URLSearchParams({ token: accessToken, client_id: options.clientId, client_secret: options.clientSecret }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new CheckTokenError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
    }
    const body = await response.text().catch(() => {
      throw new CheckTokenError('unreachable');
    });
    if (response.status === 401 || response.status === 403) throw new CheckTokenError('credentials-refused', { status: response.status });
    if (response.status !== 200) throw new CheckTokenError('upstream-status', { status: response.status });
    return body.trim();
  }

  async function verifiedAnswer(jws: string): Promise<JWTPayload> {
    // A JWE (5 parts) means FranceConnect encrypts answers for us: not supported (ADR 0120).
    if (jws.split('.').length !== 3) throw new CheckTokenError('malformed', { why: 'not a JWS' });
    const { payload } = await jwtVerify(jws, keys, {
      algorithms: ALGORITHMS,
      audience: options.clientId,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      currentDate: now(),
    });
    return payload;
  }

  async function check(accessToken: string): Promise<FranceConnectIntrospection | undefined> {
    const payload = await verifiedAnswer(await callCheckToken(accessToken));
    const claims = payload.token_introspection as { active?: unknown; exp?: unknown } | undefined;
    if (typeof claims !== 'object' || claims === null) throw new CheckTokenError('malformed', { why: 'no token_introspection' });
    if (claims.active !== true) return undefined;
    const parsed = parseIntrospection(payload);
    // parseIntrospection's message names paths only, never values (personal data).
    if ('error' in parsed) throw new CheckTokenError('malformed', { why: parsed.error });
    if (parsed.token_introspection.exp * 1000 <= now().getTime()) return undefined;
    cache.set(accessToken, parsed);
    return parsed;
  }

  return {
    cache,
    introspect: async (accessToken) => {
      const cached = cache.get(accessToken);
      if (cached !== undefined) return cached;
      try {
        return await check(accessToken);
      } catch (error) {
        const failure = failureOf(error);
        const serious = failure.reason === 'bad-signature' || failure.reason === 'unknown-kid' || failure.reason === 'claims' || failure.reason === 'credentials-refused';
        (serious ? options.log?.error : options.log?.warn)?.call(options.log, { franceConnect: failure.reason, ...failure.info }, 'FranceConnect checktoken failed');
        throw ApiError.of(gatewayErrors.networkError, {
          meta: { retry_in: RETRY_IN_SECONDS },
          detail:
            "La vérification du jeton auprès de FranceConnect n'a pas abouti. Le jeton n'est pas en cause ; réessayez dans quelques instants.",
        });
      }
    },
  };
}
