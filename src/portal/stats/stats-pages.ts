/**
 * `/statistiques` (public aggregates, as on the official site) and `/compte/statistiques` (the
 * signed-in agent's own tokens), issue 6 §2. Figures come from the daily rollup
 * (src/stats/stats-queries.ts), charts are drawn from the tables by a small script over Chart.js,
 * and the tables alone say everything. docs/adr/0150-status-and-stats-pages.md and 0151.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ProviderManifest } from '../../core/endpoint.ts';
import type { Habilitations } from '../../habilitations/habilitations.ts';
import type { Schema } from '../../infra/db/schema.ts';
import { PUBLIC_STATS_PATH } from '../../stats/public-stats-route.ts';
import { DETAIL_DAYS, PAPER_PROOF_DAYS, paperProofsAvoided, publicStats, tokenUsage } from '../../stats/stats-queries.ts';
import { renderPage } from '../render-page.ts';
import { accountTokens } from './account-tokens.ts';
import { serveCompressedScript } from './compressed-asset.ts';
import { monthlyCalls } from './monthly-calls.ts';
import {
  apiNames,
  apiTable,
  dailyOfUsage,
  dailyTable,
  formatInteger,
  formatLatency,
  formatShare,
  lastDays,
  monthlyTable,
  outcomesOf,
  perApi,
  publicApiFigures,
  type ChartTable,
} from './stats-view.ts';

export interface StatsPageDeps {
  db: Kysely<Schema>;
  registry: readonly ProviderManifest[];
  habilitations: Habilitations;
  now: () => Date;
}

/** Scripts of the statistics pages, in load order (deferred, so the order holds). */
export const STATS_SCRIPTS = ['/statistiques/js/chart.umd.min.js', '/statistiques/js/stats-charts.js'] as const;

const here = path.dirname(fileURLToPath(import.meta.url));
// chart.js exports no subpath for its UMD build: it sits beside the CommonJS entry, in dist/.
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
const STATE_LABELS = { active: 'Actif', expired: 'Expiré', revoked: 'Révoqué' } as const;

export function registerStatsPages(app: FastifyInstance, deps: StatsPageDeps): void {
  serveCompressedScript(app, STATS_SCRIPTS[0], CHART_JS);
  serveCompressedScript(app, STATS_SCRIPTS[1], path.join(here, 'assets', 'stats-charts.js'));
  const nameOf = apiNames(deps.registry);

  app.get('/statistiques', async (_request, reply) => {
    const now = deps.now();
    const [stats, months] = await Promise.all([publicStats(deps.db, now), monthlyCalls(deps.db, { now })]);
    const apis = publicApiFigures(stats, nameOf);
    const calls30 = apis.reduce((sum, a) => sum + a.calls, 0);
    const ok30 = apis.reduce((sum, a) => sum + a.successful, 0);
    return renderPage(reply, 'stats/index', {
      title: 'Statistiques d’utilisation — API Particulier',
      description: 'Appels à API Particulier par mois, par jour et par API, et justificatifs papier évités.',
      scripts: STATS_SCRIPTS,
      keyFigures: [
        { label: `Justificatifs papier évités sur ${PAPER_PROOF_DAYS} jours`, value: formatInteger(stats.paperProofsAvoided.calls), hint: 'Appels réussis : autant de pièces justificatives que les usagers n’ont pas eu à fournir.' },
        { label: `Appels sur ${PAPER_PROOF_DAYS} jours`, value: formatInteger(calls30), hint: 'Toutes les réponses, erreurs comprises.' },
        { label: `Taux de réussite sur ${PAPER_PROOF_DAYS} jours`, value: formatShare(ok30, calls30), hint: 'Part des appels qui ont reçu les données demandées.' },
      ],
      tables: [monthlyTable('par-mois', months, now), { ...dailyTable('par-jour', stats.daily, now, DETAIL_DAYS), fold: true }, apiTable('par-api', apis, PAPER_PROOF_DAYS)],
      jsonPath: PUBLIC_STATS_PATH,
      generatedAt: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(now),
    });
  });

  app.get<{ Querystring: { jeton?: unknown } }>('/compte/statistiques', async (request, reply) => {
    const user = request.portalSession?.user;
    if (user === undefined) return reply.redirect(`/connexion?retour=${encodeURIComponent('/compte/statistiques')}`, 303);
    const now = deps.now();
    const tokens = await accountTokens(deps.habilitations, user, now);
    const wanted = typeof request.query.jeton === 'string' ? request.query.jeton : '';
    const selected = wanted === '' ? undefined : tokens.find((t) => t.jti === wanted);
    if (wanted !== '' && selected === undefined) {
      const message = 'Ce jeton n’existe pas ou n’appartient pas à votre organisation.';
      return renderPage(reply, 'error', { title: 'Jeton introuvable — API Particulier', heading: 'Jeton introuvable', message }, 404);
    }
    const jtis = selected === undefined ? tokens.map((t) => t.jti) : [selected.jti];
    const [usage, avoided, months] = await Promise.all([
      tokenUsage(deps.db, { tokenJtis: jtis, now }),
      jtis.length === 0 ? Promise.resolve(0) : paperProofsAvoided(deps.db, { now, tokenJtis: jtis }),
      monthlyCalls(deps.db, { now, tokenJtis: jtis }),
    ]);
    const since = lastDays(now, PAPER_PROOF_DAYS)[0] as string;
    const recent = usage.filter((r) => r.day >= since);
    const totals = outcomesOf(recent);
    const perToken: ChartTable = {
      id: 'par-jeton',
      caption: `Par jeton, sur ${PAPER_PROOF_DAYS} jours`,
      chart: 'none',
      rowHeader: 'Jeton',
      columns: ['État', 'Appels', 'Erreurs', 'Taux de réussite', 'Latence moyenne', 'Justificatifs évités'].map((label) => ({ label, series: false })),
      rows: tokens
        .filter((t) => jtis.includes(t.jti))
        .map((t) => {
          const o = outcomesOf(recent.filter((r) => r.tokenJti === t.jti));
          const errors = o.clientErrors + o.serverErrors;
          return {
            label: `${t.name} (${t.prefix}…)`,
            ...(t.habilitationId === null ? {} : { href: `/compte/habilitations/${t.habilitationId}` }),
            cells: [
              { value: 0, text: STATE_LABELS[t.state] },
              { value: o.calls, text: formatInteger(o.calls) },
              { value: errors, text: formatInteger(errors) },
              { value: o.calls === 0 ? 0 : o.successful / o.calls, text: formatShare(o.successful, o.calls) },
              { value: o.calls === 0 ? 0 : o.latencySumMs / o.calls, text: formatLatency(o.calls === 0 ? null : o.latencySumMs / o.calls) },
              { value: o.successful, text: formatInteger(o.successful) },
            ],
          };
        }),
    };
    const apis = perApi(
      recent.map((r) => ({ operationId: r.operationId, route: r.operationId, calls: r.calls, successful: r.status >= 200 && r.status < 300 ? r.calls : 0, latencySumMs: r.latencyAvgMs * r.calls })),
      nameOf,
    );
    return renderPage(reply, 'stats/account', {
      title: 'Mes statistiques — API Particulier',
      scripts: STATS_SCRIPTS,
      tokens: tokens.map((t) => ({ jti: t.jti, label: `${t.name} (${t.prefix}…, ${STATE_LABELS[t.state].toLowerCase()})` })),
      selected: selected?.jti ?? '',
      keyFigures: [
        { label: `Justificatifs papier évités sur ${PAPER_PROOF_DAYS} jours`, value: formatInteger(avoided), hint: 'Appels réussis de vos jetons.' },
        { label: `Appels sur ${PAPER_PROOF_DAYS} jours`, value: formatInteger(totals.calls), hint: `Dont ${formatInteger(totals.clientErrors)} erreurs de l’appelant (4xx) et ${formatInteger(totals.serverErrors)} erreurs du service ou du fournisseur (5xx).` },
        { label: 'Taux de réussite', value: formatShare(totals.successful, totals.calls), hint: `Sur ${PAPER_PROOF_DAYS} jours.` },
        { label: 'Latence moyenne', value: formatLatency(totals.calls === 0 ? null : totals.latencySumMs / totals.calls), hint: 'Temps de réponse de la passerelle, fournisseur compris.' },
      ],
      tables: [
        perToken,
        { ...dailyTable('par-jour', dailyOfUsage(usage), now, DETAIL_DAYS), fold: true },
        monthlyTable('par-mois', months, now),
        apiTable('par-api', apis, PAPER_PROOF_DAYS),
      ],
    });
  });
}
