/**
 * The session cookie: a signed random id (the row lives in `portal_sessions`), HttpOnly,
 * SameSite=Lax, Secure when the portal is served over https. The hook below loads the session only
 * when the cookie is there, so anonymous pages never touch the database.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoadedSession, SessionStore } from './session-store.ts';

export const SESSION_COOKIE = 'apip_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The portal session of this browser, when it has a live one (portal routes only). */
    portalSession: LoadedSession | undefined;
  }
}

export interface SessionCookieOptions {
  secure: boolean;
  ttlHours: number;
}

export function setSessionCookie(reply: FastifyReply, id: string, options: SessionCookieOptions): void {
  void reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, signed: true, maxAge: options.ttlHours * 3600 });
}

export function clearSessionCookie(reply: FastifyReply, options: SessionCookieOptions): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, signed: true });
}

/** `onRequest` hook: sets `request.portalSession` from a valid cookie; drops a stale or forged cookie. */
export function sessionLoader(store: SessionStore, options: SessionCookieOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.portalSession = undefined;
    const raw = request.cookies[SESSION_COOKIE];
    if (raw === undefined) return;
    const unsigned = request.unsignCookie(raw);
    const session = unsigned.valid && unsigned.value !== null ? await store.load(unsigned.value) : undefined;
    if (session === undefined) clearSessionCookie(reply, options);
    request.portalSession = session;
  };
}
