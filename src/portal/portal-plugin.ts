/**
 * The portal (issue 5): server-rendered DSFR pages in their own encapsulated fastify context. Its
 * cookies, form parser, CSRF check, security headers, session hook and HTML error pages apply to
 * portal routes only, so the data API (`/v3`, `/v4`, `/api/*`) keeps its JSON errors and its speed.
 * docs/adr/0100-portal-foundation.md; how to add a page: src/portal/README.md.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { ProviderManifest } from '../core/endpoint.ts';
import type { Habilitations } from '../habilitations/habilitations.ts';
import type { Database } from '../infra/db/open-database.ts';
import type { LoadReport } from '../sandbox/load-cases.ts';
import type { StatusDeps } from '../status/status-report.ts';
import { registerAuthRoutes } from './auth/auth-routes.ts';
import type { OidcSignIn } from './auth/oidc-sign-in.ts';
import { registerCatalogueRoutes } from './catalogue/catalogue-routes.ts';
import { registerHabilitationPages } from './habilitations/habilitation-pages.ts';
import { registerDeveloperRoutes } from './developers/developer-routes.ts';
import { registerDeveloperTools, type DeveloperToolsDeps } from './developers/developer-tools.ts';
import { registerSiteRoutes } from './pages/site-routes.ts';
import { renderPage } from './render-page.ts';
import { securityHeaders } from './security-headers.ts';
import { sessionLoader } from './session/session-cookie.ts';
import { registerStatsPages } from './stats/stats-pages.ts';
import { registerStatusPages } from './status/status-pages.ts';
import type { PortalTables } from './portal-tables.ts';
import { SessionStore } from './session/session-store.ts';
import { PortalUsers } from './users/portal-users.ts';
import type { RoleGrants } from './users/roles.ts';

export interface PortalDeps {
  database: Database;
  registry: readonly ProviderManifest[];
  sandbox: () => LoadReport;
  signIn: OidcSignIn;
  grants: RoleGrants;
  /** Cookie-signing secret (≥ 32 characters). */
  sessionSecret: string;
  sessionTtlHours: number;
  /** PUBLIC_URL without trailing slash, if configured. */
  publicUrl: string | undefined;
  /** Origins a form may be sent or redirected to besides this one (the identity provider). */
  formActionOrigins: readonly string[];
  now: () => Date;
  habilitations: Habilitations;
  /** Explorer, FAQ, newsletter and secure transfer (issue 7): src/portal/developers/developer-tools.ts. */
  developerTools: DeveloperToolsDeps;
  /** What `/status/v1` reads, for the `/statut` pages (issue 6 item 3). */
  status: StatusDeps;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DSFR_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('@gouvfr/dsfr/package.json')), 'dist');

/** Registers the portal in its own plugin context. */
export async function registerPortal(server: FastifyInstance, deps: PortalDeps): Promise<void> {
  await server.register(async (portal) => {
    // Pages are not part of the data API: keep them out of its OpenAPI document (/v3/openapi.json).
    portal.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    const https = deps.publicUrl?.startsWith('https://') ?? false;
    const cookieOptions = { secure: https, ttlHours: deps.sessionTtlHours };
    // The portal's tables are declared here rather than in the shared schema (src/infra/db/schema.ts).
    const db = deps.database.db as unknown as Kysely<PortalTables>;
    const sessions = new SessionStore({ db, now: deps.now, ttlHours: deps.sessionTtlHours });
    const users = new PortalUsers(db, deps.now);

    await portal.register(cookie, { secret: deps.sessionSecret });
    await portal.register(formbody, { bodyLimit: 16 * 1024 });
    await portal.register(helmet, securityHeaders({ https, formActionOrigins: deps.formActionOrigins }));
    await portal.register(csrf, { sessionPlugin: '@fastify/cookie', cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: https, signed: true } });
    await portal.register(view, {
      engine: { eta: new Eta({ views: path.join(here, 'views'), cache: true, autoEscape: true }) },
      root: path.join(here, 'views'),
      viewExt: 'eta',
      production: true,
    });
    await portal.register(fastifyStatic, { root: DSFR_DIST, prefix: '/dsfr/', decorateReply: false, maxAge: '1d', index: false, wildcard: true });
    await portal.register(fastifyStatic, { root: path.join(here, 'assets'), prefix: '/portail-assets/', decorateReply: false, maxAge: '1h', index: false });

    portal.decorateRequest('portalSession', undefined);
    portal.addHook('onRequest', sessionLoader(sessions, cookieOptions));
    // Every state-changing request of the portal carries the CSRF token of its form.
    portal.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
      portal.csrfProtection(request, reply, done);
    });

    portal.setErrorHandler(async (error: FastifyError, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, 'portal error');
      const csrfFailure = error.code?.startsWith('FST_CSRF') ?? false;
      const message = csrfFailure
        ? 'Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.'
        : status >= 500
          ? 'Une erreur inattendue est survenue. Réessayez dans quelques instants.'
          : 'La requête n’a pas pu être traitée.';
      return renderPage(reply, 'error', { title: 'Erreur — API Particulier', heading: csrfFailure ? 'Formulaire expiré' : 'Une erreur est survenue', message }, status);
    });

    const publicBase = (request: FastifyRequest): string => deps.publicUrl ?? `${request.protocol}://${request.host}`;
    registerSiteRoutes(portal);
    registerCatalogueRoutes(portal, { registry: deps.registry, sandbox: deps.sandbox });
    registerDeveloperRoutes(portal, { registry: deps.registry, sandbox: deps.sandbox, publicBase });
    registerDeveloperTools(portal, { ...deps.developerTools, database: deps.database, registry: deps.registry, sandbox: deps.sandbox, mailer: deps.habilitations.mailer, now: deps.now, publicBase });
    registerAuthRoutes(portal, { signIn: deps.signIn, sessions, users, grants: deps.grants, cookie: cookieOptions, publicBase });
    registerHabilitationPages(portal, { habilitations: deps.habilitations, registry: deps.registry, now: deps.now, publicBase });
    registerStatusPages(portal, { status: deps.status, publicBase });
    registerStatsPages(portal, { db: deps.database.db, registry: deps.registry, habilitations: deps.habilitations, now: deps.now });
  });
}
