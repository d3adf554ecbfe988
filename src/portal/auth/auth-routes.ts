/**
 * Sign-in and sign-out routes (issue 5 item 2):
 * - `GET /connexion?retour=/…` starts an OIDC sign-in (a fresh session holds state, nonce, PKCE);
 * - `GET /connexion/retour` completes it, records the agent and their roles, and replaces the
 *   session by a new one (a new id after sign-in: no session fixation);
 * - `POST /deconnexion` (CSRF-checked like every POST) ends the session here, then at the provider.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../render-page.ts';
import { clearSessionCookie, setSessionCookie, type SessionCookieOptions } from '../session/session-cookie.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { PortalUsers } from '../users/portal-users.ts';
import { rolesForEmail, type RoleGrants } from '../users/roles.ts';
import { SignInError, type OidcSignIn } from './oidc-sign-in.ts';

export interface AuthRouteDeps {
  signIn: OidcSignIn;
  sessions: SessionStore;
  users: PortalUsers;
  grants: RoleGrants;
  cookie: SessionCookieOptions;
  /** Base URL users see (PUBLIC_URL), or the request's own origin. */
  publicBase: (request: FastifyRequest) => string;
}

/** A local path to go back to after sign-in; anything else (other host, `//evil`) becomes `/compte`. */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || raw.length > 500) return '/compte';
  return raw;
}

function failure(reply: FastifyReply, status: number, message: string): Promise<FastifyReply> {
  return renderPage(reply, 'error', { title: 'Connexion impossible', heading: 'La connexion n’a pas abouti', message, retry: true }, status);
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const callbackUrl = (request: FastifyRequest): string => `${deps.publicBase(request)}/connexion/retour`;

  app.get('/connexion', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as Record<string, unknown>).retour);
    if (request.portalSession?.user !== undefined) return reply.redirect(returnTo, 303);
    try {
      const { url, checks } = await deps.signIn.start(callbackUrl(request));
      if (request.portalSession !== undefined) await deps.sessions.destroy(request.portalSession.id);
      const id = await deps.sessions.create({ oidc: { ...checks, returnTo } });
      setSessionCookie(reply, id, deps.cookie);
      return reply.redirect(url, 303);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      request.log.warn({ reason: error.reason }, 'portal sign-in: identity provider unreachable');
      return failure(reply, 503, 'Le service d’identification est momentanément indisponible. Réessayez dans quelques instants.');
    }
  });

  app.get('/connexion/retour', async (request, reply) => {
    const session = request.portalSession;
    const pending = session?.data.oidc;
    const query = request.query as Record<string, unknown>;
    if (session === undefined || pending === undefined) {
      return failure(reply, 400, 'Votre demande de connexion a expiré ou a été ouverte dans un autre navigateur. Recommencez la connexion.');
    }
    if (typeof query.error === 'string') {
      await deps.sessions.destroy(session.id);
      clearSessionCookie(reply, deps.cookie);
      return failure(reply, 400, 'Le service d’identification a refusé ou annulé la connexion.');
    }
    try {
      const returnUrl = new URL(request.url, 'http://portal.invalid');
      const { claims, idToken } = await deps.signIn.finish(returnUrl, pending, callbackUrl(request));
      const user = await deps.users.signedIn(claims, rolesForEmail(claims.email, deps.grants));
      await deps.sessions.destroy(session.id);
      const id = await deps.sessions.create(idToken === undefined ? {} : { idToken }, user.sub);
      setSessionCookie(reply, id, deps.cookie);
      request.log.info({ sub: user.sub }, 'portal sign-in');
      return reply.redirect(pending.returnTo, 303);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      request.log.warn({ reason: error.reason }, 'portal sign-in rejected');
      await deps.sessions.destroy(session.id);
      clearSessionCookie(reply, deps.cookie);
      return failure(reply, 400, 'La réponse du service d’identification n’a pas pu être vérifiée. Recommencez la connexion.');
    }
  });

  app.post('/deconnexion', async (request, reply) => {
    const session = request.portalSession;
    clearSessionCookie(reply, deps.cookie);
    if (session === undefined) return reply.redirect('/', 303);
    await deps.sessions.destroy(session.id);
    const endSession = await deps.signIn.endSessionUrl(session.data.idToken, `${deps.publicBase(request)}/`);
    return reply.redirect(endSession ?? '/', 303);
  });
}
