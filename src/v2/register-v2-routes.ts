/**
 * The v2 API (issue 8), registered with one call from the composition root: every data route of
 * OA2 as a thin adapter over the v3 endpoints, the retired DGFIP routes as 410 Gone, the deprecated
 * `/api/caf/ping`, and the migration guide the `Link` header points to. `/api/ping` and
 * `/api/introspect` are the shared service routes (`src/gateway/service-routes.ts`), which serve v2
 * callers as they are.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { compositionFamilialeV2Route } from './routes/composition-familiale.ts';
import { dssV2Routes } from './routes/dss.ts';
import { paiementsPoleEmploiV2, scolaritesV2, situationsPoleEmploiV2 } from './routes/men-france-travail.ts';
import { etudiantsBoursiersV2, etudiantsV2 } from './routes/students.ts';
import { DEFAULT_DEPRECATION_POLICY, deprecationHeaders, MIGRATION_GUIDE_PATH, type DeprecationPolicy } from './deprecation.ts';
import { V2_DGFIP_GONE } from './v2-errors.ts';
import { registerV2Route, V2_TAG, type V2Deps } from './v2-pipeline.ts';
import type { V2Route } from './v2-route.ts';

/** Every v2 data route of OA2, in the order of CONTRACT §1.5. */
export const v2Routes: readonly V2Route[] = [
  ...dssV2Routes,
  compositionFamilialeV2Route,
  scolaritesV2,
  situationsPoleEmploiV2,
  paiementsPoleEmploiV2,
  etudiantsV2,
  etudiantsBoursiersV2,
];

/**
 * The DGFIP routes of the former API (v1 `/api/impots/*`, v2 `/api/v2/avis-imposition`): the DGFIP
 * data ended on 30/06/2023 (docs/adr/0076-v2-retired-dgfip-routes.md).
 */
export const RETIRED_DGFIP_PATHS = ['/api/v2/avis-imposition', '/api/avis-imposition', '/api/impots/svair', '/api/impots/adress', '/api/impots/ping'] as const;

/** The v2 sandbox cases shipped with the project (synthetic, the cast of docs/guides/sandbox-cast.md). */
export const V2_CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

const GUIDE = new URL('../../docs/guides/migrate-v2-to-v3.md', import.meta.url);

export type RegisterV2Deps = Omit<V2Deps, 'deprecation'> & { deprecation?: DeprecationPolicy };

/**
 * @example
 * registerV2Routes(server, { ...dataDeps, v2Cases: config.mode === 'sandbox' ? sandboxStore : undefined });
 */
export function registerV2Routes(app: FastifyInstance, deps: RegisterV2Deps): void {
  const full: V2Deps = { ...deps, deprecation: deps.deprecation ?? DEFAULT_DEPRECATION_POLICY };
  for (const route of v2Routes) registerV2Route(app, route, full);

  const goneHeaders = deprecationHeaders([], full.deprecation);
  for (const url of RETIRED_DGFIP_PATHS) {
    app.get(url, { schema: { tags: [V2_TAG], deprecated: true, summary: 'Route DGFIP retirée (410)', operationId: `gone${url.replaceAll('/', '_')}` } }, (_request, reply) =>
      reply.code(V2_DGFIP_GONE.status).headers(goneHeaders).send(V2_DGFIP_GONE.body),
    );
  }

  app.get('/api/caf/ping', { schema: { tags: [V2_TAG], deprecated: true, summary: 'Ping (déprécié)', operationId: 'api_particulier_caf_ping' } }, (_request, reply) =>
    reply.headers(goneHeaders).type('application/json; charset=utf-8').send('"pong"'),
  );

  const guide = readFileSync(GUIDE, 'utf8');
  app.get(MIGRATION_GUIDE_PATH, { schema: { tags: [V2_TAG], summary: 'Guide de migration v2 → v3 (Markdown)', operationId: 'api_particulier_v2_migration_guide' } }, (_request, reply) =>
    reply.type('text/markdown; charset=utf-8').send(guide),
  );
}
