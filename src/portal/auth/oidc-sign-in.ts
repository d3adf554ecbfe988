/**
 * Sign-in with OpenID Connect through openid-client (issue 5 item 2): authorization code + PKCE,
 * state and nonce, RS256 ID token and signed userinfo as ProConnect answers them. The same code
 * serves ProConnect (OIDC_ISSUER) and the embedded identity provider (src/idp/). Discovery happens
 * at the first sign-in and is retried after a failure, so a provider down at boot does not stop
 * the service. docs/adr/0101-portal-sign-in.md.
 */
import * as client from 'openid-client';
import type { AgentClaims } from '../users/portal-users.ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What the browser must carry from the start of a sign-in to its return. */
export interface SignInChecks {
  state: string;
  nonce: string;
  verifier: string;
}

/** A sign-in that could not complete; `reason` is for logs (never holds a token or a claim value). */
export class SignInError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`OIDC sign-in failed: ${reason}`);
    this.name = 'SignInError';
    this.reason = reason;
  }
}

export const SIGN_IN_SCOPES = 'openid email given_name usual_name siret idp_id';

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export class OidcSignIn {
  readonly #settings: OidcSettings;
  #configuration: Promise<client.Configuration> | undefined;

  constructor(settings: OidcSettings) {
    this.#settings = settings;
  }

  #config(): Promise<client.Configuration> {
    if (this.#configuration === undefined) {
      const issuer = new URL(this.#settings.issuer);
      const loopbackHttp = issuer.protocol === 'http:';
      this.#configuration = client
        .discovery(
          issuer,
          this.#settings.clientId,
          { id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' },
          client.ClientSecretBasic(this.#settings.clientSecret),
          // http is accepted by the config only on loopback (the embedded identity provider).
          loopbackHttp ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
        )
        .catch((error: unknown) => {
          this.#configuration = undefined;
          throw new SignInError(`discovery: ${(error as Error).message}`);
        });
    }
    return this.#configuration;
  }

  /** Where to send the browser, and the checks to keep in its session. */
  async start(redirectUri: string): Promise<{ url: string; checks: SignInChecks }> {
    const config = await this.#config();
    const checks: SignInChecks = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SIGN_IN_SCOPES,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, checks };
  }

  /** Exchanges the code of the return URL, checks state, nonce and PKCE, and reads the agent's claims. */
  async finish(returnUrl: URL, checks: SignInChecks, redirectUri: string): Promise<{ claims: AgentClaims; idToken: string | undefined }> {
    const config = await this.#config();
    try {
      // The redirect_uri sent to the token endpoint must be the one of the authorization request.
      const current = new URL(redirectUri);
      current.search = returnUrl.search;
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: checks.verifier, expectedState: checks.state, expectedNonce: checks.nonce });
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw new SignInError('no ID token');
      const info = (await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)) as Record<string, unknown>;
      const email = stringClaim(info, 'email');
      if (email === undefined) throw new SignInError('userinfo without email');
      return {
        claims: {
          sub: idClaims.sub,
          email: email.toLowerCase(),
          given_name: stringClaim(info, 'given_name') ?? '',
          usual_name: stringClaim(info, 'usual_name') ?? stringClaim(info, 'family_name') ?? '',
          siret: stringClaim(info, 'siret'),
          idp_id: stringClaim(info, 'idp_id') ?? (typeof idClaims.idp_id === 'string' ? idClaims.idp_id : undefined),
        },
        idToken: tokens.id_token,
      };
    } catch (error) {
      if (error instanceof SignInError) throw error;
      const e = error as { code?: string; error?: string; message?: string };
      throw new SignInError(`${e.code ?? 'error'} ${e.error ?? ''}`.trim());
    }
  }

  /** The identity provider's end-session URL, when it has one. */
  async endSessionUrl(idToken: string | undefined, postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.#config().catch(() => undefined);
    if (config?.serverMetadata().end_session_endpoint === undefined) return undefined;
    const params: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirectUri };
    if (idToken !== undefined) params.id_token_hint = idToken;
    return client.buildEndSessionUrl(config, params).href;
  }
}
