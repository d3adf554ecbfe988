/**
 * A small OpenID Connect provider for the embedded default (docs/adr/0101-portal-sign-in.md): it
 * listens on loopback so that `npm start` gives a working sign-in without ProConnect. It speaks the
 * subset the portal uses, like ProConnect: discovery, authorization code with PKCE (S256 only),
 * `client_secret_basic`/`client_secret_post`, RS256 ID tokens, RS256-signed userinfo, end session.
 * Codes and access tokens live in memory for a minute; nothing here is for production.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { loginPage } from './login-page.ts';
import { agentClaims, syntheticAgents, type SyntheticAgent } from './synthetic-agents.ts';

export interface LocalIdpOptions {
  /** Loopback port; 0 = any free port. */
  port: number;
  clientId: string;
  clientSecret: string;
  /** Whether a redirect URI sent by the client is registered. */
  redirectUriAllowed: (uri: string) => boolean;
  agents?: readonly SyntheticAgent[];
  now?: () => Date;
}

/** A running local identity provider. */
export interface LocalIdp {
  issuer: string;
  close(): Promise<void>;
}

interface PendingCode {
  agent: SyntheticAgent;
  redirectUri: string;
  nonce: string | undefined;
  codeChallenge: string;
  expiresAt: number;
}

const LIFETIME_MS = 60_000;
const dsfrDist = path.join(path.dirname(createRequire(import.meta.url).resolve('@gouvfr/dsfr/package.json')), 'dist');

function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).send({ error, error_description: description });
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** Client credentials from `Authorization: Basic` (RFC 6749 §2.3.1, form-urlencoded parts) or the body. */
function clientCredentials(request: FastifyRequest, body: Record<string, string>): { id?: string; secret?: string } {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    return { id: decodeURIComponent(decoded.slice(0, at)), secret: decodeURIComponent(decoded.slice(at + 1)) };
  }
  return { id: body.client_id, secret: body.client_secret };
}

/**
 * Starts the provider on 127.0.0.1.
 * @example
 * const idp = await startLocalIdp({ port: 0, clientId: 'portal', clientSecret, redirectUriAllowed: (u) => u === callback });
 */
export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  const agents = options.agents ?? syntheticAgents;
  const now = options.now ?? (() => new Date());
  // Keys are made at the first use: most app starts (tests, CLI) never sign anyone in.
  const kid = randomBytes(8).toString('hex');
  let keys: Promise<{ privateKey: CryptoKey; jwk: JWK }> | undefined;
  const signingKeys = (): Promise<{ privateKey: CryptoKey; jwk: JWK }> =>
    (keys ??= generateKeyPair('RS256').then(async ({ privateKey, publicKey }) => ({ privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } })));
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, { agent: SyntheticAgent; expiresAt: number }>();

  const server = Fastify({ logger: false });
  await server.register(formbody);
  await server.register(fastifyStatic, { root: dsfrDist, prefix: '/dsfr/', decorateReply: false });
  let issuer = '';

  const sign = async (claims: Record<string, unknown>, audience: string): Promise<string> => {
    const seconds = Math.floor(now().getTime() / 1000);
    const { privateKey } = await signingKeys();
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(issuer).setAudience(audience).setIssuedAt(seconds).setExpirationTime(seconds + 300).sign(privateKey);
  };
  const sweep = (): void => {
    const t = now().getTime();
    for (const [k, v] of codes) if (v.expiresAt < t) codes.delete(k);
    for (const [k, v] of accessTokens) if (v.expiresAt < t) accessTokens.delete(k);
  };

  server.get('/.well-known/openid-configuration', () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    end_session_endpoint: `${issuer}/session/end`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    userinfo_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'email', 'given_name', 'usual_name', 'siret', 'idp_id'],
    claims_supported: ['sub', 'email', 'given_name', 'usual_name', 'siret', 'idp_id'],
  }));
  server.get('/jwks', async () => ({ keys: [(await signingKeys()).jwk] }));

  /** Checks an authorization request (GET query or POST body); returns a problem in French or the request. */
  const checkAuthorization = (q: Record<string, string | undefined>): string | { redirectUri: string; state: string | undefined } => {
    if (q.client_id !== options.clientId) return 'client_id inconnu';
    if (!q.redirect_uri || !options.redirectUriAllowed(q.redirect_uri)) return 'redirect_uri non enregistrée';
    if (q.response_type !== 'code') return 'response_type doit valoir code';
    if (!(q.scope ?? '').split(' ').includes('openid')) return 'le scope openid est requis';
    if (!q.code_challenge || q.code_challenge_method !== 'S256') return 'PKCE S256 requis';
    return { redirectUri: q.redirect_uri, state: q.state };
  };

  server.get('/authorize', (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const checked = checkAuthorization(q);
    if (typeof checked === 'string') return reply.code(400).type('text/plain; charset=utf-8').send(`Requête d’autorisation invalide : ${checked}`);
    const hidden: Record<string, string> = {};
    for (const name of ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method']) {
      const value = q[name];
      if (value !== undefined) hidden[name] = value;
    }
    return reply.type('text/html; charset=utf-8').send(loginPage(agents, hidden));
  });

  server.post('/authorize', (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const checked = checkAuthorization(body);
    if (typeof checked === 'string') return reply.code(400).type('text/plain; charset=utf-8').send(`Requête d’autorisation invalide : ${checked}`);
    const agent = agents.find((a) => a.sub === body.agent);
    if (agent === undefined) return reply.code(400).type('text/plain; charset=utf-8').send('Agent inconnu');
    sweep();
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { agent, redirectUri: checked.redirectUri, nonce: body.nonce, codeChallenge: body.code_challenge as string, expiresAt: now().getTime() + LIFETIME_MS });
    const target = new URL(checked.redirectUri);
    target.searchParams.set('code', code);
    if (checked.state !== undefined) target.searchParams.set('state', checked.state);
    target.searchParams.set('iss', issuer);
    return reply.code(303).redirect(target.href);
  });

  server.post('/token', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    const client = clientCredentials(request, body);
    if (client.id !== options.clientId || client.secret === undefined || !sameSecret(client.secret, options.clientSecret)) {
      return oauthError(reply, 401, 'invalid_client', 'client authentication failed');
    }
    if (body.grant_type !== 'authorization_code') return oauthError(reply, 400, 'unsupported_grant_type', 'only authorization_code');
    const pending = codes.get(body.code ?? '');
    codes.delete(body.code ?? ''); // single use, even when the exchange fails
    if (pending === undefined || pending.expiresAt < now().getTime()) return oauthError(reply, 400, 'invalid_grant', 'unknown or expired code');
    if (pending.redirectUri !== body.redirect_uri) return oauthError(reply, 400, 'invalid_grant', 'redirect_uri mismatch');
    const challenge = createHash('sha256').update(body.code_verifier ?? '').digest('base64url');
    if (challenge !== pending.codeChallenge) return oauthError(reply, 400, 'invalid_grant', 'PKCE verification failed');
    const accessToken = randomBytes(24).toString('base64url');
    accessTokens.set(accessToken, { agent: pending.agent, expiresAt: now().getTime() + LIFETIME_MS });
    const idToken = await sign(
      { sub: pending.agent.sub, idp_id: pending.agent.idp_id, acr: 'eidas1', amr: ['pwd'], auth_time: Math.floor(now().getTime() / 1000), ...(pending.nonce ? { nonce: pending.nonce } : {}) },
      options.clientId,
    );
    void reply.header('cache-control', 'no-store');
    return { access_token: accessToken, token_type: 'Bearer', expires_in: LIFETIME_MS / 1000, id_token: idToken, scope: 'openid email given_name usual_name siret idp_id' };
  });

  server.get('/userinfo', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const grant = header.startsWith('Bearer ') ? accessTokens.get(header.slice(7)) : undefined;
    if (grant === undefined || grant.expiresAt < now().getTime()) {
      void reply.header('www-authenticate', 'Bearer error="invalid_token"');
      return oauthError(reply, 401, 'invalid_token', 'unknown or expired access token');
    }
    // ProConnect answers a signed JWT (userinfo_signed_response_alg RS256): so do we.
    return reply.type('application/jwt').send(await sign(agentClaims(grant.agent), options.clientId));
  });

  server.get('/session/end', (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const back = q.post_logout_redirect_uri;
    if (back !== undefined && URL.canParse(back) && options.redirectUriAllowed(new URL('/connexion/retour', back).href)) return reply.code(303).redirect(back);
    return reply.type('text/plain; charset=utf-8').send('Vous êtes déconnecté du fournisseur d’identité local.');
  });

  const address = await server.listen({ host: '127.0.0.1', port: options.port });
  issuer = address.replace('localhost', '127.0.0.1');
  return { issuer, close: () => server.close() };
}
