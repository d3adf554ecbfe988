/**
 * How the DSS "API des prestations" simulator checks the `X-FranceConnect-Token` of its `/fc/` forms
 * (docs/adr/0085-franceconnect-token-to-drivers.md). The real DSS is a FranceConnect data provider:
 * it asks FranceConnect's `checktoken` who the citizen is, as the gateway does. So does the
 * simulator when it is given a FranceConnect (the double on loopback, registered as a second data
 * provider); otherwise it reads the cast's fake tokens, which is what a gateway wired to the
 * sandbox's FranceConnect checker accepts.
 */
import { civilityParamsFromIdentity, identityFromIntrospection } from '../../src/franceconnect/identity.ts';
import { createLiveFranceConnectChecker } from '../../src/franceconnect/live-checker.ts';
import type { Cast } from '../cast.ts';
import type { DataProviderAccess } from '../franceconnect/start-franceconnect-double.ts';

/** FranceConnect's verdict on a citizen's token, as the DSS needs it. */
export type TokenCheck =
  /** The token is active: the citizen's civil status, as the public contract's params. */
  | { kind: 'active'; params: Record<string, unknown> }
  /** Unknown, expired or inactive. */
  | { kind: 'inactive' }
  /** FranceConnect could not be asked, or its answer could not be trusted. */
  | { kind: 'unavailable' };

export type FranceConnectTokenCheck = (accessToken: string) => Promise<TokenCheck>;

/** The cast's fake tokens (the sandbox's FranceConnect, CONTRACT §5.3). */
export function castTokenCheck(cast: Cast): FranceConnectTokenCheck {
  return (accessToken) => {
    const params = cast.franceConnectParams(accessToken);
    return Promise.resolve(params === undefined ? { kind: 'inactive' } : { kind: 'active', params });
  };
}

/**
 * FranceConnect's `checktoken`, as a data provider: the answer's signature is verified against the
 * JWKS, its `aud` and `iss` checked (the gateway's own checker, reused). No cache: every `/fc/` call
 * asks, so a token that expired or was revoked since the gateway checked it is refused here.
 */
export function checkTokenAtFranceConnect(access: DataProviderAccess): FranceConnectTokenCheck {
  const checker = createLiveFranceConnectChecker({
    ...access,
    timeoutMs: 2_000,
    cacheTtlMs: 0,
    cacheMax: 1,
    jwksCacheTtlMs: 600_000,
    jwksCooldownMs: 0,
  });
  return async (accessToken) => {
    try {
      const introspection = await checker.introspect(accessToken);
      if (introspection === undefined) return { kind: 'inactive' };
      return { kind: 'active', params: civilityParamsFromIdentity(identityFromIntrospection(introspection)) };
    } catch {
      return { kind: 'unavailable' };
    }
  };
}
