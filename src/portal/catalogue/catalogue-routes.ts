/**
 * `/catalogue` (search and filters), `/catalogue/<provider>/<api>` (one page per API) and the pages
 * of retired APIs. The catalogue is rebuilt when the sandbox cases are reloaded, so its examples are
 * always the cases in force.
 */
import type { FastifyInstance } from 'fastify';
import type { ProviderManifest } from '../../core/endpoint.ts';
import type { LoadReport } from '../../sandbox/load-cases.ts';
import { renderPage } from '../render-page.ts';
import { THEMES } from './api-texts.ts';
import { buildCatalogue, RATE_LIMIT_TEXT, type CatalogueApi } from './catalogue-model.ts';
import { parseCatalogueQuery, searchCatalogue } from './catalogue-search.ts';
import { designWithUs, retired, upcoming } from './roadmap.ts';

export interface CatalogueRouteDeps {
  registry: readonly ProviderManifest[];
  /** The sandbox cases in force now. */
  sandbox: () => LoadReport;
}

export function registerCatalogueRoutes(app: FastifyInstance, deps: CatalogueRouteDeps): void {
  let built: { report: LoadReport; apis: CatalogueApi[] } | undefined;
  const catalogue = (): CatalogueApi[] => {
    const report = deps.sandbox();
    if (built?.report !== report) built = { report, apis: buildCatalogue(deps.registry, report.cases) };
    return built.apis;
  };
  // Fails at boot, not at the first visit, when an API has no editorial texts.
  catalogue();

  app.get('/catalogue', (request, reply) => {
    const apis = catalogue();
    const query = parseCatalogueQuery(request.query as Record<string, unknown>);
    const results = searchCatalogue(apis, query);
    const providers = [...new Map(apis.map((a) => [a.texts.providerSlug, a.texts.providerLabel])).entries()];
    const filtered = query.q !== '' || query.provider !== '' || query.theme !== '' || query.franceConnect !== '';
    return renderPage(reply, 'catalogue/index', {
      title: filtered ? `Catalogue des API (${results.length} résultat${results.length > 1 ? 's' : ''}) — API Particulier` : 'Catalogue des API — API Particulier',
      description: 'Les API du bouquet API Particulier : données, fournisseurs, modalités d’appel et accès.',
      query,
      results,
      total: apis.length,
      filtered,
      providers,
      themes: THEMES,
      upcoming: upcoming.map((u) => ({ ...u, extendsApi: apis.find((a) => a.key === u.extends) })),
      designWithUs,
      retired,
    });
  });

  app.get('/catalogue/:provider/:api', (request, reply) => {
    const { provider, api: slug } = request.params as { provider: string; api: string };
    const api = catalogue().find((a) => a.texts.providerSlug === provider && a.texts.apiSlug === slug);
    if (api !== undefined) {
      return renderPage(reply, 'catalogue/api', {
        title: `${api.texts.title} — Catalogue API Particulier`,
        description: api.texts.summary,
        api,
        rateLimit: RATE_LIMIT_TEXT,
        upcoming: upcoming.filter((u) => u.extends === api.key),
        requestAccess: `/compte/habilitations/nouvelle?api=${encodeURIComponent(api.key)}`,
      });
    }
    const gone = retired.find((r) => r.providerSlug === provider && r.apiSlug === slug);
    if (gone !== undefined) return renderPage(reply, 'catalogue/retired', { title: `${gone.title} — fin de diffusion — API Particulier`, gone });
    return renderPage(reply, 'error', { title: 'Page introuvable — API Particulier', heading: 'Page introuvable', message: 'Cette API n’existe pas dans le catalogue.', backToCatalogue: true }, 404);
  });
}
