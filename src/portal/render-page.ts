/**
 * The one way to answer a portal page: `renderPage(reply, 'catalogue/index', { title, ... })`
 * renders `src/portal/views/<template>.eta` inside the DSFR layout, with what every page needs
 * (signed-in user, current path, CSRF token on demand, navigation). See src/portal/README.md.
 */
import type { FastifyReply } from 'fastify';
import { inlineMarkdown } from './inline-markdown.ts';
import type { PortalUser } from './users/portal-users.ts';
import { ROLE_LABELS } from './users/roles.ts';

/** Data every template receives as `it.page`; `title` is the page's `<title>` and must be unique. */
export interface PageData {
  title: string;
  /** Short description for `<meta name="description">`. */
  description?: string;
  [key: string]: unknown;
}

/** Main navigation (DSFR `fr-nav`): label and path; a page is current when its path starts with it. */
export const NAVIGATION: ReadonlyArray<{ label: string; href: string }> = [
  { label: 'Catalogue', href: '/catalogue' },
  { label: 'Développeurs', href: '/developpeurs' },
  { label: 'FAQ', href: '/faq' },
  { label: 'Statut', href: '/statut' },
  { label: 'Statistiques', href: '/statistiques' },
];

/** What the layout and partials read as `it.ctx`. */
export interface PageContext {
  user: PortalUser | undefined;
  roleLabels: typeof ROLE_LABELS;
  path: string;
  nav: typeof NAVIGATION;
  /** Returns the CSRF token for a POST form (sets its secret cookie on first use). */
  csrf: () => string;
  /** Escaped HTML of a manifest description (bold and code marks kept): use with `<%~ %>`. */
  md: (text: string) => string;
}

/**
 * Renders a page with the layout.
 * @example
 * app.get('/faq', (request, reply) => renderPage(reply, 'faq', { title: 'FAQ', questions }));
 */
export async function renderPage(reply: FastifyReply, template: string, page: PageData, status = 200): Promise<FastifyReply> {
  const request = reply.request;
  const user = request.portalSession?.user;
  let csrfToken: string | undefined;
  const ctx: PageContext = {
    user,
    roleLabels: ROLE_LABELS,
    path: request.url.split('?')[0] ?? '/',
    nav: NAVIGATION,
    // One token per page: each call would mint a new secret cookie when none exists yet, and only
    // the last one set would match, breaking every other form of the page (body before header).
    csrf: () => (csrfToken ??= reply.generateCsrf()),
    md: inlineMarkdown,
  };
  // Pages of a signed-in agent show personal data: never stored by a shared cache.
  if (user !== undefined) void reply.header('cache-control', 'private, no-store');
  const html = await reply.viewAsync(template, { page, ctx });
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}
