/**
 * `/statut` and `/statut/<provider>` (issue 6 item 3): the status of every provider for people, from
 * the same document integrators poll at `/status/v1` (docs/adr/0130-status-api.md), with the 90-day
 * uptime drawn server-side. Public, no personal data. docs/adr/0150-status-and-stats-pages.md.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { providerStatus, statusSummaryWithHistory, type StatusDeps } from '../../status/status-report.ts';
import { renderPage } from '../render-page.ts';
import { DAY_LEVEL_FILL, DAY_LEVEL_TEXT, formatDateTime, providerRow, STATUS_TEXT, UPTIME_DAYS } from './status-view.ts';

export interface StatusPageDeps {
  status: StatusDeps;
  /** `https://host` of the portal, for the polling example. */
  publicBase: (request: FastifyRequest) => string;
}

/** The provider ids are the registry's: anything else is a 404 before any query. */
const PROVIDER_ID = /^[a-z][a-z0-9-]{0,39}$/;

export function registerStatusPages(app: FastifyInstance, deps: StatusPageDeps): void {
  app.get('/statut', async (request, reply) => {
    const { summary, days } = await statusSummaryWithHistory(deps.status);
    const now = new Date(summary.generated_at);
    const rows = summary.providers.map((p) => providerRow(p, days(p.id), now));
    return renderPage(reply, 'status/index', {
      title: 'Statut des fournisseurs de données — API Particulier',
      description: 'État en direct des fournisseurs de données d’API Particulier, disponibilité sur 90 jours et API de statut à interroger.',
      overall: STATUS_TEXT[summary.status],
      mode: summary.mode,
      generatedAt: formatDateTime(summary.generated_at),
      rows,
      uptimeDays: UPTIME_DAYS,
      levels: DAY_LEVEL_TEXT,
      fills: DAY_LEVEL_FILL,
      apiBase: deps.publicBase(request),
    });
  });

  app.get<{ Params: { provider: string } }>('/statut/:provider', async (request, reply) => {
    const id = request.params.provider;
    const detail = PROVIDER_ID.test(id) ? await providerStatus(deps.status, id) : undefined;
    if (detail === undefined) {
      const message = 'Aucun fournisseur de données ne porte cet identifiant. La liste est sur la page Statut.';
      return renderPage(reply, 'error', { title: 'Fournisseur introuvable — API Particulier', heading: 'Fournisseur introuvable', message }, 404);
    }
    const row = providerRow(detail, detail.uptime_days, deps.status.now());
    return renderPage(reply, 'status/provider', {
      title: `Statut ${detail.name} — API Particulier`,
      description: `État et disponibilité sur 90 jours du fournisseur ${detail.name}.`,
      row,
      generatedAt: formatDateTime(detail.generated_at),
      // Newest first in the table: that is what a reader looks for.
      days: [...row.days].reverse(),
      levels: DAY_LEVEL_TEXT,
      fills: DAY_LEVEL_FILL,
      endpoints: deps.status.registry.find((p) => p.id === id)?.endpoints.map((e) => ({ path: e.path, summary: e.summary })) ?? [],
      apiBase: deps.publicBase(request),
    });
  });
}
