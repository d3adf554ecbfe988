/**
 * Credential strategies (DESIGN §3, STYLE §7). Both yield a typed `Caller`:
 * - API token (JWT) on `/identite`, `/ine`, `/identifiant` routes;
 * - a citizen's FranceConnect access token on `/france_connect` routes, honoured only for the token
 *   record that registered the FranceConnect client id (`aud`), with the scopes both grant
 *   (DESIGN §2.7, CONTRACT §5.2; docs/adr/0004-franceconnect-callers.md).
 */
import type { EndpointDefinition, QueryParams } from '../core/endpoint.ts';
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import type { FranceConnectChecker } from '../franceconnect/checker.ts';
import { civilityParamsFromIdentity, identityFromIntrospection } from '../franceconnect/identity.ts';
import type { TokenRecord } from '../tokens/token-record.ts';
import type { FranceConnectClients } from '../tokens/franceconnect-clients.ts';
import type { TokenVerifier } from '../tokens/token-verifier.ts';

export interface Caller {
  kind: 'api_token' | 'france_connect';
  /** The token record the call is attributed to (journal, limits, 409 lock). */
  token: TokenRecord;
  /** Effective scopes: the token's, or FranceConnect's ∩ the registered record's. */
  scopes: ReadonlySet<string>;
  /** FranceConnect only: the citizen's civil status, as provider params (CONTRACT §5.2). */
  identityParams?: QueryParams;
  /** FranceConnect only: the citizen's pairwise subject. */
  franceConnectSub?: string;
  /**
   * FranceConnect only: the citizen's access token, handed to the driver of a FranceConnect-modality
   * route (docs/adr/0085-franceconnect-token-to-drivers.md). Redacted from logs; keys use `franceConnectSub`.
   */
  franceConnectAccessToken?: string;
}

export interface AuthenticateDeps {
  verifier: TokenVerifier;
  franceConnectClients: FranceConnectClients;
  franceConnect: FranceConnectChecker;
  /** Sandbox only: the record that answers for FranceConnect client ids nobody registered. */
  franceConnectFallback: () => Promise<TokenRecord | undefined>;
}

const tokenSource = { source: { parameter: 'token' } };

/** The verifier hands out the same record object while it is cached: build its scope set once. */
const scopeSets = new WeakMap<TokenRecord, ReadonlySet<string>>();
function scopeSetOf(token: TokenRecord): ReadonlySet<string> {
  let scopes = scopeSets.get(token);
  if (scopes === undefined) {
    scopes = new Set(token.scopes);
    scopeSets.set(token, scopes);
  }
  return scopes;
}

export function bearerOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
  return match?.[1];
}

export async function authenticate(endpoint: EndpointDefinition, authorization: string | undefined, deps: AuthenticateDeps): Promise<Caller> {
  const bearer = bearerOf(authorization);
  if (endpoint.modality !== 'france_connect') {
    const token = await deps.verifier.verify(bearer);
    return { kind: 'api_token', token, scopes: scopeSetOf(token) };
  }

  if (bearer === undefined) throw ApiError.of(gatewayErrors.invalidToken, tokenSource);
  const introspection = await deps.franceConnect.introspect(bearer);
  if (introspection === undefined) {
    throw ApiError.of(gatewayErrors.invalidToken, {
      ...tokenSource,
      detail: "Votre jeton FranceConnect n'est pas valide, a expiré ou n'est pas renseigné",
    });
  }
  const identity = identityFromIntrospection(introspection);
  const token = (await deps.franceConnectClients.recordFor(identity.clientId)) ?? (await deps.franceConnectFallback());
  if (token === undefined) {
    throw ApiError.of(gatewayErrors.invalidToken, {
      ...tokenSource,
      detail:
        "Le fournisseur de service FranceConnect de ce jeton n'est rattaché à aucune habilitation API Particulier active",
    });
  }
  const granted = new Set(token.scopes);
  const scopes = new Set(identity.scopes.filter((scope) => granted.has(scope)));
  return {
    kind: 'france_connect',
    token,
    scopes,
    identityParams: civilityParamsFromIdentity(identity),
    franceConnectSub: identity.sub,
    franceConnectAccessToken: bearer,
  };
}
