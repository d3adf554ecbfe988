/**
 * The demo service provider (docs/adr/0122-franceconnect-demo-page.md): a plain page, served by the
 * FranceConnect double under `/demo`, that runs a citizen's path end to end —
 * "S'identifier avec FranceConnect" → the double's login and consent → `/demo/callback` exchanges the
 * code for an access token (server-side, client_secret_post), checks the ID token's signature and
 * nonce, calls the gateway's `/v3/…/france_connect` route with the access token, and shows the masked
 * JSON answer. Everything a real service provider keeps secret stays on the server.
 *
 * The gateway must attribute the demo's client id to a token record (`fcClientIds`), as for any
 * service provider in live mode (docs/adr/0004-franceconnect-callers.md).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { DoubleClient } from './start-franceconnect-double.ts';
import { escapeHtml, franceConnectButton, layout } from './pages.ts';

export interface DemoOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:3000`; a function when it is known only later. */
  gatewayUrl: string | (() => string);
  /** Default: the C2S FranceConnect route. */
  route?: string;
  /** Data scopes asked for, besides `openid identite_pivot`. Default: `complementaire_sante_solidaire`. */
  scopes?: string[];
  /** SIRET sent as `recipient`. */
  recipient?: string;
  clientId?: string;
  clientSecret?: string;
}

const BANNER = 'Démo — un fournisseur de service appelle API Particulier avec FranceConnect';
const PENDING_TTL_MS = 10 * 60_000;
const COOKIE = 'demo_fc_state';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * Registers `/demo`, `/demo/login` and `/demo/callback` on the double's server and returns the
 * demo's client registration (the double adds it to its service providers).
 */
export function registerDemoServiceProvider(server: FastifyInstance, options: DemoOptions & { issuer: () => string }): DoubleClient {
  const client: DoubleClient = {
    clientId: options.clientId ?? 'demo-service-provider',
    clientSecret: options.clientSecret ?? randomBytes(24).toString('base64url'),
    name: 'la démo API Particulier',
  };
  // The double listens after routes are registered: the issuer, hence the redirect URI, is read per request.
  const redirectUri = (): string => `${options.issuer().replace(/\/api\/v2$/, '')}/demo/callback`;
  const route = options.route ?? '/v3/dss/complementaire_sante_solidaire/france_connect';
  const scopes = ['openid', 'identite_pivot', ...(options.scopes ?? ['complementaire_sante_solidaire'])];
  const recipient = options.recipient ?? '13002526500013';
  const gatewayUrl = (): string => (typeof options.gatewayUrl === 'function' ? options.gatewayUrl() : options.gatewayUrl);
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const pending = new Map<string, { nonce: string; expiresAt: number }>();

  const page = (body: string): string => layout('Démo FranceConnect — API Particulier', BANNER, body);

  server.get('/demo', async (_request, reply) =>
    reply.type('text/html').send(
      page(`<h1>Votre complémentaire santé solidaire en un clic</h1>
<p>Ce service fictif vérifie vos droits à la C2S auprès d’API Particulier, sans vous demander de justificatif :
identifiez-vous avec FranceConnect, acceptez la transmission, et la réponse de l’API s’affiche.</p>
<p>Route appelée : <code>${escapeHtml(route)}</code></p>
${franceConnectButton('/demo/login')}`),
    ),
  );

  server.get('/demo/login', async (_request, reply) => {
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    pending.set(state, { nonce, expiresAt: Date.now() + PENDING_TTL_MS });
    const authorize = new URL(`${options.issuer()}/authorize`);
    for (const [key, value] of Object.entries({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: redirectUri(),
      scope: scopes.join(' '),
      state,
      nonce,
      acr_values: 'eidas1',
    })) authorize.searchParams.set(key, value);
    // The state is bound to this browser by a cookie: a callback from another browser is refused.
    return reply.header('set-cookie', `${COOKIE}=${state}; Path=/demo; HttpOnly; SameSite=Lax`).redirect(authorize.toString());
  });

  server.get('/demo/callback', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const state = q.state ?? '';
    const expected = pending.get(state);
    pending.delete(state);
    const fail = (status: number, message: string) => reply.code(status).type('text/html').send(page(`<h1>Échec</h1><p id="error">${escapeHtml(message)}</p><p><a href="/demo">Recommencer</a></p>`));
    if (expected === undefined || expected.expiresAt < Date.now() || cookieValue(request.headers.cookie, COOKIE) !== state) return fail(400, 'État de connexion inconnu ou expiré.');
    if (q.error !== undefined || q.code === undefined) return fail(400, `Connexion FranceConnect interrompue (${q.error ?? 'pas de code'}).`);

    const tokenResponse = await fetch(`${options.issuer()}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: q.code, redirect_uri: redirectUri(), client_id: client.clientId, client_secret: client.clientSecret }),
    });
    const tokens = (await tokenResponse.json()) as { access_token?: string; id_token?: string };
    if (!tokenResponse.ok || tokens.access_token === undefined || tokens.id_token === undefined) return fail(502, 'FranceConnect a refusé l’échange du code.');
    try {
      keys ??= createRemoteJWKSet(new URL(`${options.issuer()}/jwks`));
      const { payload } = await jwtVerify(tokens.id_token, keys, { issuer: options.issuer(), audience: client.clientId });
      if (payload.nonce !== expected.nonce) return fail(400, 'Nonce invalide dans le jeton d’identité.');
    } catch {
      return fail(502, 'Jeton d’identité FranceConnect invalide.');
    }

    const answer = await fetch(`${gatewayUrl()}${route}?recipient=${encodeURIComponent(recipient)}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    }).catch(() => undefined);
    if (answer === undefined) return fail(502, 'API Particulier est injoignable.');
    const text = await answer.text();
    let pretty = text;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON: shown as received.
    }
    return reply.type('text/html').send(
      page(`<h1>Réponse d’API Particulier</h1>
<p>Appel <code>GET ${escapeHtml(route)}</code> avec le jeton FranceConnect de la personne connectée : statut <strong id="status">${answer.status}</strong>.</p>
<p>Les champs renvoyés sont ceux que les scopes consentis et l’habilitation autorisent (masquage).</p>
<pre id="answer">${escapeHtml(pretty)}</pre>
<p><a href="/demo">Recommencer avec une autre personne</a></p>`),
    );
  });

  return client;
}
