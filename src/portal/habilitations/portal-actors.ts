/**
 * Who acts on a habilitation page: the signed-in agent as the habilitation domain's actor. Pages of
 * an applicant require a session (else → sign-in, then back); back-office pages also require a
 * staff role (else a 403 HTML page). docs/adr/0160-habilitation-pages.md.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderManifest } from '../../core/endpoint.ts';
import type { Habilitations } from '../../habilitations/habilitations.ts';
import type { ServiceActor } from '../../habilitations/habilitation-service.ts';
import { renderPage } from '../render-page.ts';
import type { PortalUser } from '../users/portal-users.ts';

/** What every page group of issue 5 §3–8 receives from the portal plugin. */
export interface HabilitationPageDeps {
  habilitations: Habilitations;
  registry: readonly ProviderManifest[];
  now: () => Date;
  /** `https://host` of the portal, for links shown to people (share links, magic links). */
  publicBase: (request: FastifyRequest) => string;
}

/** The signed-in agent, or undefined after answering a redirect to the sign-in page. */
export function signedInOrRedirect(request: FastifyRequest, reply: FastifyReply): PortalUser | undefined {
  const user = request.portalSession?.user;
  if (user === undefined) void reply.redirect(`/connexion?retour=${encodeURIComponent(request.url)}`, 303);
  return user;
}

/** The agent acting for their organisation: identified by email, scoped by their SIRET. */
export function applicantOf(user: PortalUser): ServiceActor {
  return { role: 'applicant', id: user.email.toLowerCase(), ...(user.siret ? { siret: user.siret } : {}) };
}

/**
 * The agent acting in the back office, with their strongest staff role; `prefer` picks a held role
 * first (a provider reviewer who is also an instructor gives the provider's agreement as reviewer).
 */
export function staffOf(user: PortalUser, prefer?: 'provider_reviewer'): ServiceActor | undefined {
  const id = user.email.toLowerCase();
  if (prefer === 'provider_reviewer' && user.roles.includes('provider_reviewer')) return { role: 'provider_reviewer', id };
  if (user.roles.includes('admin')) return { role: 'administrator', id };
  if (user.roles.includes('instructor')) return { role: 'instructor', id };
  if (user.roles.includes('provider_reviewer')) return { role: 'provider_reviewer', id };
  return undefined;
}

/** Instructors and administrators (not provider reviewers): the outbox, vendors, prolongations. */
export function isInstructor(actor: ServiceActor | undefined): boolean {
  return actor?.role === 'instructor' || actor?.role === 'administrator';
}

/** The 403 page of a signed-in agent without the role a page needs. */
export function forbidden(reply: FastifyReply): Promise<FastifyReply> {
  return renderPage(
    reply,
    'error',
    { title: 'Accès refusé — API Particulier', heading: 'Accès refusé', message: 'Votre rôle ne vous permet pas d’accéder à cette page. Si vous pensez que c’est une erreur, écrivez à api-particulier@api.gouv.fr.' },
    403,
  );
}

/** The 404 page of something that does not exist or that this agent may not see (never tell which). */
export function notFound(reply: FastifyReply, message = 'Cette page n’existe pas ou vous n’y avez pas accès.'): Promise<FastifyReply> {
  return renderPage(reply, 'error', { title: 'Page introuvable — API Particulier', heading: 'Page introuvable', message }, 404);
}

/** A form body as a plain record (formbody gives strings, or arrays of strings for repeated names). */
export function formOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** One query-string value as a string ('' when absent or repeated). */
export function queryValue(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** French date and time for pages (Europe/Paris). */
export function frenchDate(date: Date | null | undefined, withTime = false): string {
  if (date === null || date === undefined) return '—';
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'Europe/Paris' }).format(date);
}
