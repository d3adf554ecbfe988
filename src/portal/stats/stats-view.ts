/**
 * What the statistics pages show (issue 6 §2, docs/adr/0150-status-and-stats-pages.md): tables built
 * from the rollup's figures (src/stats/stats-queries.ts, ./monthly-calls.ts). Each chart of a page is
 * drawn in the browser FROM its table (./assets/stats-charts.js), so the table is the accessible
 * alternative and the page says everything with JavaScript off. Pure functions; templates only print.
 */
import type { ProviderManifest } from '../../core/endpoint.ts';
import { STATS_TIME_ZONE } from '../../stats/rollup.ts';
import type { PublicStats, TokenDayUsage } from '../../stats/stats-queries.ts';
import { apiTexts } from '../catalogue/api-texts.ts';
import { apiKeyOf } from '../catalogue/catalogue-model.ts';
import type { MonthCalls } from './monthly-calls.ts';

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const monthName = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayName = new Intl.DateTimeFormat('fr-FR', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

export const formatInteger = (n: number): string => integer.format(n);
export const formatShare = (part: number, total: number): string => (total === 0 ? '—' : percent.format(part / total));
export const formatLatency = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? '—' : `${decimal.format(ms)} ms`);

/** A numeric cell: the raw value (read by the chart script) and its French text. */
export interface Cell {
  value: number;
  text: string;
}

/** A chart and the table that carries its data: the first column heads the rows. */
export interface ChartTable {
  id: string;
  caption: string;
  /** `stacked`: columns flagged `series` stack per row; `bar`: one series per row; `none`: table only. */
  chart: 'stacked' | 'bar' | 'none';
  /** Horizontal bars when labels are long (APIs). */
  horizontal?: boolean;
  rowHeader: string;
  columns: Array<{ label: string; series: boolean; color?: string }>;
  rows: Array<{ label: string; href?: string; cells: Cell[] }>;
}

const num = (value: number): Cell => ({ value, text: formatInteger(value) });

/** DSFR success, warning and error colours: the legend of every chart names them. */
const OUTCOME_COLUMNS: ChartTable['columns'] = [
  { label: 'Réussis (2xx)', series: true, color: '#18753c' },
  { label: 'Erreurs de l’appelant (4xx)', series: true, color: '#b34000' },
  { label: 'Erreurs du service ou du fournisseur (5xx)', series: true, color: '#ce0500' },
  { label: 'Total', series: false },
];

interface Outcomes {
  calls: number;
  successful: number;
  clientErrors: number;
  serverErrors: number;
}

const outcomeCells = (o: Outcomes): Cell[] => [num(o.successful), num(o.clientErrors), num(o.serverErrors), num(o.calls)];

/** Today's date in the statistics' calendar (Europe/Paris), `YYYY-MM-DD`. */
export function statsToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: STATS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The `count` days ending today (French calendar), oldest first. */
export function lastDays(now: Date, count: number): string[] {
  const [y, m, d] = statsToday(now).split('-').map(Number) as [number, number, number];
  const today = Date.UTC(y, m - 1, d);
  return Array.from({ length: count }, (_, i) => new Date(today - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** The `count` months ending this month, oldest first, `YYYY-MM`. */
export function lastMonths(now: Date, count: number): string[] {
  const [y, m] = statsToday(now).split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1)).toISOString().slice(0, 7));
}

const dayLabel = (day: string): string => dayName.format(new Date(`${day}T00:00:00Z`));
const monthLabel = (month: string): string => monthName.format(new Date(`${month}-01T00:00:00Z`));

/** Calls per month, every month shown (zero when none), with the outcome split. */
export function monthlyTable(id: string, months: readonly MonthCalls[], now: Date, count = 12): ChartTable {
  const byMonth = new Map(months.map((m) => [m.month, m]));
  return {
    id,
    caption: `Appels par mois, sur ${count} mois`,
    chart: 'stacked',
    rowHeader: 'Mois',
    columns: OUTCOME_COLUMNS,
    rows: lastMonths(now, count).map((month) => ({ label: monthLabel(month), cells: outcomeCells(byMonth.get(month) ?? { calls: 0, successful: 0, clientErrors: 0, serverErrors: 0 }) })),
  };
}

/** Calls per day, every day of the window shown (zero when none). */
export function dailyTable(id: string, daily: PublicStats['daily'], now: Date, count: number): ChartTable {
  const byDay = new Map(daily.map((d) => [d.day, d]));
  return {
    id,
    caption: `Appels par jour, sur ${count} jours`,
    chart: 'stacked',
    rowHeader: 'Jour',
    columns: OUTCOME_COLUMNS,
    rows: lastDays(now, count).map((day) => ({ label: dayLabel(day), cells: outcomeCells(byDay.get(day) ?? { calls: 0, successful: 0, clientErrors: 0, serverErrors: 0 }) })),
  };
}

/** An API as the catalogue names it: every route and version of it counts together. */
export interface ApiName {
  key: string;
  title: string;
  url?: string;
}

/** operationId → the catalogue's API; routes outside the registry (API v2) are named by their path. */
export function apiNames(registry: readonly ProviderManifest[]): (operationId: string, route: string) => ApiName {
  const index = new Map<string, ApiName>();
  for (const provider of registry) {
    for (const endpoint of provider.endpoints) {
      const key = apiKeyOf(provider, endpoint);
      const texts = apiTexts[key];
      index.set(endpoint.operationId, texts === undefined ? { key, title: endpoint.summary } : { key, title: texts.title, url: `/catalogue/${texts.providerSlug}/${texts.apiSlug}` });
    }
  }
  return (operationId, route) => index.get(operationId) ?? { key: route, title: route };
}

export interface ApiFigures {
  api: ApiName;
  calls: number;
  successful: number;
  latencySumMs: number;
}

/** Adds per-route figures up per API, busiest first. */
export function perApi(rows: Iterable<{ operationId: string; route: string; calls: number; successful: number; latencySumMs: number }>, nameOf: ReturnType<typeof apiNames>): ApiFigures[] {
  const out = new Map<string, ApiFigures>();
  for (const row of rows) {
    const api = nameOf(row.operationId, row.route);
    const entry = out.get(api.key) ?? { api, calls: 0, successful: 0, latencySumMs: 0 };
    entry.calls += row.calls;
    entry.successful += row.successful;
    entry.latencySumMs += row.latencySumMs;
    out.set(api.key, entry);
  }
  return [...out.values()].sort((a, b) => b.calls - a.calls || a.api.title.localeCompare(b.api.title, 'fr'));
}

export function apiTable(id: string, figures: readonly ApiFigures[], days: number): ChartTable {
  return {
    id,
    caption: `Appels par API, sur ${days} jours`,
    chart: 'bar',
    horizontal: true,
    rowHeader: 'API',
    columns: [
      { label: 'Appels', series: true, color: '#000091' },
      { label: 'Dont réussis (2xx)', series: false },
      { label: 'Taux de réussite', series: false },
      { label: 'Latence moyenne', series: false },
    ],
    rows: figures.map((f) => ({
      label: f.api.title,
      ...(f.api.url === undefined ? {} : { href: f.api.url }),
      cells: [num(f.calls), num(f.successful), { value: f.calls === 0 ? 0 : f.successful / f.calls, text: formatShare(f.successful, f.calls) }, { value: f.calls === 0 ? 0 : f.latencySumMs / f.calls, text: formatLatency(f.calls === 0 ? null : f.latencySumMs / f.calls) }],
    })),
  };
}

/** The public page's per-API rows from `publicStats().operations` (average latency × calls = sum). */
export function publicApiFigures(stats: PublicStats, nameOf: ReturnType<typeof apiNames>): ApiFigures[] {
  return perApi(
    stats.operations.map((o) => ({ operationId: o.operationId, route: o.route, calls: o.calls, successful: o.successful, latencySumMs: o.latencyAvgMs * o.calls })),
    nameOf,
  );
}

/** Totals of some usage rows (an account's, over a window). */
export function outcomesOf(rows: readonly TokenDayUsage[]): Outcomes & { latencySumMs: number } {
  const total = { calls: 0, successful: 0, clientErrors: 0, serverErrors: 0, latencySumMs: 0 };
  for (const r of rows) {
    total.calls += r.calls;
    total.latencySumMs += r.latencyAvgMs * r.calls;
    if (r.status >= 200 && r.status < 300) total.successful += r.calls;
    else if (r.status >= 400 && r.status < 500) total.clientErrors += r.calls;
    else if (r.status >= 500) total.serverErrors += r.calls;
  }
  return total;
}

/** An account's usage rows as the daily series of `dailyTable`. */
export function dailyOfUsage(rows: readonly TokenDayUsage[]): PublicStats['daily'] {
  const byDay = new Map<string, TokenDayUsage[]>();
  for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  return [...byDay].map(([day, dayRows]) => {
    const o = outcomesOf(dayRows);
    return { day, calls: o.calls, successful: o.successful, clientErrors: o.clientErrors, serverErrors: o.serverErrors };
  });
}
