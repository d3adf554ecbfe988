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

/** Every code point `\s` matches in a JavaScript regular expression (a test enumerates them). */
export const WHITESPACE = [
  '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006',
  '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff',
];
const BEARER_PREFIX = /^Bearer +/i;
const ONLY_WHITESPACE = /^\s*$/;

/**
 * The credential of an `Authorization: Bearer <token>` header: what `/^Bearer[ ]+([^\s]+)\s*$/i`
 * captures (a property test holds the two together). The token's end is found with `indexOf` per
 * whitespace character, which the engine scans natively: the regular expression walked a token of
 * kilobytes (one with every scope) character by character, and showed in the benchmark profile.
 */
export function bearerOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const prefix = BEARER_PREFIX.exec(authorization);
  if (prefix === null) return undefined;
  const start = prefix[0].length;
  let end = authorization.length;
  for (const space of WHITESPACE) {
    const at = authorization.indexOf(space, start);
    if (at !== -1 && at < end) end = at;
  }
  if (end === start) return undefined;
  if (end < authorization.length && !ONLY_WHITESPACE.test(authorization.slice(end))) return undefined;
  return authorization.slice(start, end);
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
