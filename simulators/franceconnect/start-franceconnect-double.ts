/**
 * A FranceConnect v2 double on loopback (docs/adr/0121-franceconnect-double.md): a hand-written
 * OpenID provider speaking the real protocol, so the gateway's live checker and a service provider
 * talk to it exactly as they would to FranceConnect's integration platform.
 *
 * - citizen login with the authorization-code flow: `/authorize` → a page listing the synthetic
 *   cast → consent → redirect with `code`; `/token` (client_secret_post or basic) issues an opaque
 *   access token and an ES256 ID token; `/userinfo` answers a signed JWT; `/jwks`, discovery;
 * - the data-provider `checktoken`: `token`, `client_id`, `client_secret` form-encoded → a signed
 *   `application/token-introspection+jwt` whose `token_introspection` carries the identity pivot;
 * - test controls: {@link FranceConnectDouble.issueAccessToken} (skip the browser),
 *   {@link FranceConnectDouble.rotateKey}, {@link FranceConnectDouble.setFault}, a shiftable clock;
 * - with `demo`, a demo service provider under `/demo` (see `demo-service-provider.ts`).
 *
 * @example
 * const fc = await startFranceConnectDouble({});
 * // gateway: MODE=live plus fc.gatewayEnv (FRANCECONNECT_CHECKTOKEN_URL, …)
 * await fc.close();
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { loadCast, type CastMember, type IdentityPivot } from './cast.ts';
import { registerDemoServiceProvider, type DemoOptions } from './demo-service-provider.ts';
import { DoubleKeys, type SignatureFault } from './double-keys.ts';
import { consentPage, errorPage, loginPage } from './pages.ts';

/** A registered FranceConnect client (service provider or data provider). */
export interface DoubleClient {
  clientId: string;
  clientSecret: string;
  /** Service providers only: where `/authorize` may send the citizen back. */
  redirectUris?: string[];
  /** Shown on the login and consent pages. */
  name?: string;
}

export type DoubleFault = SignatureFault | 'unavailable';

/** What a data provider needs to check citizens' tokens at this double (as at FranceConnect). */
export interface DataProviderAccess {
  checkTokenUrl: string;
  jwksUrl: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface FranceConnectDoubleOptions {
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  serviceProviders?: DoubleClient[];
  /** Data providers allowed on `checktoken`; default: one, `api-particulier-double`, with a random secret. */
  dataProviders?: DoubleClient[];
  /** Default: the sandbox cast (`src/sandbox/cases/france_connect/`). */
  cast?: CastMember[];
  /** Access-token lifetime; FranceConnect's is 60 s. */
  accessTokenTtlSeconds?: number;
  now?: () => Date;
  /** Serve the demo service provider under `/demo` (it is registered as a service provider). */
  demo?: DemoOptions;
}

export interface FranceConnectDouble {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `${url}/api/v2`: the `iss` of every JWT the double signs. */
  issuer: string;
  checkTokenUrl: string;
  jwksUrl: string;
  /** The first data provider's credentials (the gateway's). */
  dataProvider: DoubleClient;
  /** `FRANCECONNECT_*` variables pointing a gateway at this double. */
  gatewayEnv: Record<string, string>;
  /** The cast the login page offers. */
  cast: readonly CastMember[];
  /**
   * Registers another data provider allowed on `checktoken` (random secret), e.g. the DSS "API des
   * prestations" simulator, which checks `/fc/` tokens itself (docs/adr/0085-franceconnect-token-to-drivers.md).
   */
  registerDataProvider(clientId: string): DataProviderAccess;
  /** Mints an access token as `/token` would, without the browser steps (tests). */
  issueAccessToken(input: { person: string; clientId: string; scope: string; ttlSeconds?: number }): string;
  /** Publishes and signs with a new key; `retireOld` drops the others from the JWKS. Returns the new `kid`. */
  rotateKey(options?: { retireOld?: boolean }): Promise<string>;
  /** Makes `checktoken` misbehave until cleared with `undefined`. */
  setFault(fault: DoubleFault | undefined): void;
  /** Moves the double's clock (token expiry). */
  advanceClock(ms: number): void;
  /** Requests seen, per endpoint. */
  readonly stats: { jwks: number; checktoken: number; token: number };
  close(): Promise<void>;
}

interface Interaction {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string;
  acr: string;
  person?: string;
  expiresAt: number;
}

interface IssuedToken {
  person: string;
  clientId: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  acr: string;
}

const PIVOT: readonly (keyof IdentityPivot)[] = ['gender', 'family_name', 'given_name', 'given_name_array', 'birthdate', 'birthplace', 'birthcountry', 'preferred_username'];
const INTERACTION_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 60_000;

function randomId(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** Client credentials from `client_secret_basic` or `client_secret_post`. */
function credentialsOf(request: FastifyRequest, body: Record<string, string | undefined>): { id: string; secret: string } | undefined {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1] !== undefined) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    if (id !== undefined && secret !== undefined) return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  if (body.client_id !== undefined && body.client_secret !== undefined) return { id: body.client_id, secret: body.client_secret };
  return undefined;
}

function authenticateClient(clients: ReadonlyMap<string, DoubleClient>, creds: { id: string; secret: string } | undefined): DoubleClient | undefined {
  const client = creds === undefined ? undefined : clients.get(creds.id);
  return client !== undefined && creds !== undefined && sameSecret(client.clientSecret, creds.secret) ? client : undefined;
}

/** Starts the double; resolves once it listens. */
export async function startFranceConnectDouble(options: FranceConnectDoubleOptions = {}): Promise<FranceConnectDouble> {
  let offsetMs = 0;
  const baseNow = options.now ?? (() => new Date());
  const nowMs = (): number => baseNow().getTime() + offsetMs;
  const seconds = (): number => Math.floor(nowMs() / 1000);
  const cast = options.cast ?? (await loadCast());
  const people = new Map(cast.map((p) => [p.id, p]));
  const keys = await DoubleKeys.create();
  const ttl = options.accessTokenTtlSeconds ?? 60;
  const serviceProviders = new Map((options.serviceProviders ?? []).map((c) => [c.clientId, c]));
  const dataProviders = new Map(
    (options.dataProviders ?? [{ clientId: 'api-particulier-double', clientSecret: randomId() }]).map((c) => [c.clientId, c]),
  );
  const interactions = new Map<string, Interaction>();
  const codes = new Map<string, Interaction & { person: string }>();
  const accessTokens = new Map<string, IssuedToken>();
  const stats = { jwks: 0, checktoken: 0, token: 0 };
  let fault: DoubleFault | undefined;

  const server = Fastify({ logger: false });
  await server.register(formbody);
  // Known once listening (port 0 picks a free one); handlers read them at request time.
  let url = '';
  let issuer = '';

  function mint(person: string, clientId: string, scope: string, acr: string, lifetime = ttl): string {
    const token = randomId(32);
    const iat = seconds();
    accessTokens.set(token, { person, clientId, scope, iat, exp: iat + lifetime, jti: randomId(16), acr });
    return token;
  }
  const pairwiseSub = (person: string, clientId: string): string => `${createHash('sha256').update(`${person}\u0000${clientId}`).digest('hex')}v1`;
  /** The pivot claims a scope list releases (`identite_pivot` or the individual claim scopes). */
  function pivotClaims(identity: IdentityPivot, scopes: readonly string[]): Partial<IdentityPivot> {
    const all = scopes.includes('identite_pivot');
    const claims: Record<string, unknown> = {};
    for (const claim of PIVOT) {
      const wanted = all || scopes.includes(claim) || (claim === 'given_name_array' && scopes.includes('given_name'));
      if (wanted && identity[claim] !== undefined) claims[claim] = identity[claim];
    }
    return claims as Partial<IdentityPivot>;
  }
  const liveToken = (token: string | undefined): IssuedToken | undefined => {
    const issued = token === undefined ? undefined : accessTokens.get(token);
    return issued !== undefined && issued.exp > seconds() ? issued : undefined;
  };
  const oauthError = (reply: FastifyReply, status: number, error: string, description: string): FastifyReply =>
    reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });

  server.get('/api/v2/.well-known/openid-configuration', async () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    end_session_endpoint: `${issuer}/session/end`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['ES256'],
    userinfo_signing_alg_values_supported: ['ES256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    scopes_supported: ['openid', 'identite_pivot', ...PIVOT],
    acr_values_supported: ['eidas1'],
  }));

  server.get('/api/v2/jwks', async () => {
    stats.jwks += 1;
    return keys.jwks();
  });

  server.get('/api/v2/authorize', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const client = serviceProviders.get(q.client_id ?? '');
    // OIDC Core §3.1.2.6: an unknown client or redirect_uri is shown, never redirected to.
    if (client === undefined || q.redirect_uri === undefined || !(client.redirectUris ?? []).includes(q.redirect_uri)) {
      return reply.code(400).type('text/html').send(errorPage('Client inconnu ou redirect_uri non enregistrée.'));
    }
    const back = new URL(q.redirect_uri);
    const scopes = (q.scope ?? '').split(/\s+/).filter((s) => s !== '');
    const problem =
      q.response_type !== 'code' ? 'unsupported_response_type' : !scopes.includes('openid') || scopes.some((s) => !/^[a-z0-9_]+$/.test(s)) ? 'invalid_scope' : q.state === undefined || q.nonce === undefined ? 'invalid_request' : undefined;
    if (problem !== undefined) {
      back.searchParams.set('error', problem);
      if (q.state !== undefined) back.searchParams.set('state', q.state);
      return reply.redirect(back.toString());
    }
    const id = randomId();
    interactions.set(id, { clientId: client.clientId, redirectUri: q.redirect_uri, scopes, state: q.state as string, nonce: q.nonce as string, acr: q.acr_values ?? 'eidas1', expiresAt: nowMs() + INTERACTION_TTL_MS });
    return reply.type('text/html').send(loginPage(id, client.name ?? client.clientId, cast));
  });

  const openInteraction = (id: string | undefined): Interaction | undefined => {
    const interaction = id === undefined ? undefined : interactions.get(id);
    return interaction !== undefined && interaction.expiresAt > nowMs() ? interaction : undefined;
  };

  server.post('/api/v2/login', async (request, reply) => {
    const body = request.body as Record<string, string | undefined>;
    const interaction = openInteraction(body.interaction);
    const person = people.get(body.person ?? '');
    if (interaction === undefined || person === undefined) return reply.code(400).type('text/html').send(errorPage('Session de connexion expirée ou personne inconnue.'));
    interaction.person = person.id;
    const client = serviceProviders.get(interaction.clientId) as DoubleClient;
    return reply.type('text/html').send(consentPage(body.interaction as string, client.name ?? client.clientId, person, interaction.scopes));
  });

  server.post('/api/v2/consent', async (request, reply) => {
    const body = request.body as Record<string, string | undefined>;
    const interaction = openInteraction(body.interaction);
    if (interaction?.person === undefined) return reply.code(400).type('text/html').send(errorPage('Session de connexion expirée.'));
    interactions.delete(body.interaction as string);
    const back = new URL(interaction.redirectUri);
    back.searchParams.set('state', interaction.state);
    if (body.decision !== 'accept') {
      back.searchParams.set('error', 'access_denied');
      return reply.redirect(back.toString());
    }
    const code = randomId();
    codes.set(code, { ...interaction, person: interaction.person, expiresAt: nowMs() + CODE_TTL_MS });
    back.searchParams.set('code', code);
    return reply.redirect(back.toString());
  });

  server.post('/api/v2/token', async (request, reply) => {
    stats.token += 1;
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const client = authenticateClient(serviceProviders, credentialsOf(request, body));
    if (client === undefined) return oauthError(reply, 401, 'invalid_client', 'client authentication failed');
    if (body.grant_type !== 'authorization_code') return oauthError(reply, 400, 'unsupported_grant_type', 'authorization_code only');
    const grant = codes.get(body.code ?? '');
    codes.delete(body.code ?? ''); // single use, even when the rest is wrong
    if (grant === undefined || grant.expiresAt <= nowMs() || grant.clientId !== client.clientId || grant.redirectUri !== body.redirect_uri) {
      return oauthError(reply, 400, 'invalid_grant', 'unknown, expired or mismatched code');
    }
    const scope = grant.scopes.join(' ');
    const accessToken = mint(grant.person, client.clientId, scope, grant.acr);
    const iat = seconds();
    const idToken = await keys.sign({ iss: issuer, aud: client.clientId, sub: pairwiseSub(grant.person, client.clientId), iat, exp: iat + ttl, nonce: grant.nonce, acr: grant.acr, auth_time: iat, amr: ['pwd'] }, 'JWT');
    return reply.header('cache-control', 'no-store').send({ access_token: accessToken, token_type: 'Bearer', expires_in: ttl, id_token: idToken, scope });
  });

  server.get('/api/v2/userinfo', async (request, reply) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const issued = liveToken(bearer);
    if (issued === undefined) return reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'invalid_token' });
    const person = people.get(issued.person) as CastMember;
    const claims = { iss: issuer, aud: issued.clientId, sub: pairwiseSub(issued.person, issued.clientId), ...pivotClaims(person.identity, issued.scope.split(' ')) };
    return reply.type('application/jwt').send(await keys.sign(claims, 'JWT'));
  });

  server.post('/api/v2/checktoken', async (request, reply) => {
    stats.checktoken += 1;
    if (fault === 'unavailable') return reply.code(503).send({ error: 'temporarily_unavailable' });
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const dataProvider = authenticateClient(dataProviders, credentialsOf(request, body));
    if (dataProvider === undefined) return oauthError(reply, 401, 'invalid_client', 'data provider authentication failed');
    if (body.token === undefined || body.token === '') return oauthError(reply, 400, 'invalid_request', 'token is required');
    const issued = liveToken(body.token);
    let tokenIntrospection: Record<string, unknown> = { active: false };
    if (issued !== undefined) {
      const person = people.get(issued.person) as CastMember;
      tokenIntrospection = {
        active: true,
        aud: issued.clientId,
        sub: pairwiseSub(issued.person, issued.clientId),
        iat: issued.iat,
        exp: issued.exp,
        acr: issued.acr,
        jti: issued.jti,
        scope: issued.scope,
        ...pivotClaims(person.identity, issued.scope.split(' ')),
      };
    }
    const jwt = await keys.sign({ iss: issuer, aud: dataProvider.clientId, iat: seconds(), token_introspection: tokenIntrospection }, 'token-introspection+jwt', fault);
    return reply.header('cache-control', 'no-store').type('application/token-introspection+jwt').send(jwt);
  });

  const demoClient = options.demo === undefined ? undefined : registerDemoServiceProvider(server, { ...options.demo, issuer: () => issuer });
  url = (await server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 })).replace('[::1]', '127.0.0.1');
  issuer = `${url}/api/v2`;
  if (demoClient !== undefined) serviceProviders.set(demoClient.clientId, { ...demoClient, redirectUris: [`${url}/demo/callback`] });

  const dataProvider = dataProviders.values().next().value as DoubleClient;
  return {
    url,
    issuer,
    checkTokenUrl: `${issuer}/checktoken`,
    jwksUrl: `${issuer}/jwks`,
    dataProvider,
    gatewayEnv: {
      FRANCECONNECT_CHECKTOKEN_URL: `${issuer}/checktoken`,
      FRANCECONNECT_JWKS_URL: `${issuer}/jwks`,
      FRANCECONNECT_CLIENT_ID: dataProvider.clientId,
      FRANCECONNECT_CLIENT_SECRET: dataProvider.clientSecret,
      FRANCECONNECT_ISSUER: issuer,
    },
    cast,
    registerDataProvider: (clientId) => {
      if (dataProviders.has(clientId)) throw new TypeError(`data provider already registered: ${clientId}`);
      const client = { clientId, clientSecret: randomId() };
      dataProviders.set(clientId, client);
      return { checkTokenUrl: `${issuer}/checktoken`, jwksUrl: `${issuer}/jwks`, issuer, ...client };
    },
    issueAccessToken: ({ person, clientId, scope, ttlSeconds }) => {
      if (!people.has(person)) throw new TypeError(`unknown cast member: ${person}`);
      return mint(person, clientId, scope, 'eidas1', ttlSeconds);
    },
    rotateKey: (rotation) => keys.rotate(rotation),
    setFault: (next) => {
      fault = next;
    },
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    stats,
    close: () => server.close(),
  };
}
