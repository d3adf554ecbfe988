/**
 * What the status pages show (issue 6 item 3, docs/adr/0150-status-and-stats-pages.md), computed from
 * the status document of `/status/v1` (src/status/status-report.ts) so the page and the JSON never
 * disagree. Pure functions: the templates only print. Every state is said in words — badges carry
 * text, the 90-day strip has a title per day, a summary sentence and, on the detail page, a table.
 */
import type { DailyUptime } from '../../status/probe-store.ts';
import type { BreakerView, ProviderStatus, ProviderStatusView } from '../../status/status-report.ts';

/** The four states, their French words and their DSFR components. */
export const STATUS_TEXT: Record<ProviderStatus, { label: string; badge: string; alert: string; headline: string }> = {
  operational: { label: 'Opérationnel', badge: 'fr-badge--success', alert: 'fr-alert--success', headline: 'Tous les fournisseurs de données sont opérationnels' },
  degraded: { label: 'Dégradé', badge: 'fr-badge--warning', alert: 'fr-alert--warning', headline: 'Au moins un fournisseur de données fonctionne en mode dégradé' },
  outage: { label: 'Indisponible', badge: 'fr-badge--error', alert: 'fr-alert--error', headline: 'Au moins un fournisseur de données est indisponible' },
  unknown: { label: 'Inconnu', badge: 'fr-badge--info', alert: 'fr-alert--info', headline: 'L’état des fournisseurs n’est pas encore connu : aucune mesure récente' },
};

const BREAKER_TEXT: Record<Exclude<BreakerView, null>, string> = {
  closed: 'Fermé (les appels passent)',
  open: 'Ouvert (les appels sont suspendus)',
  half_open: 'Semi-ouvert (appels d’essai)',
};

/** Days shown in the uptime strip and table: the probe history (src/status/probe-store.ts). */
export const UPTIME_DAYS = 90;

export type DayLevel = 'ok' | 'partial' | 'down' | 'none';

/** One day of the strip: the levels are cut at 99 % and 50 % of successful probes (ADR 0150). */
export interface UptimeDayView {
  day: string;
  dayLabel: string;
  probes: number;
  uptime: number | null;
  uptimeText: string;
  level: DayLevel;
  /** The sentence a screen reader or a hover reads: « 12 novembre 2026 : 98,5 % (24 sondes) ». */
  text: string;
}

export const DAY_LEVEL_TEXT: Record<DayLevel, string> = {
  ok: 'disponible',
  partial: 'perturbé',
  down: 'indisponible',
  none: 'aucune mesure',
};

/** DSFR success, warning and error colours, and a grey; each at least 3:1 against white (WCAG 1.4.11). */
export const DAY_LEVEL_FILL: Record<DayLevel, string> = {
  ok: '#18753c',
  partial: '#b34000',
  down: '#ce0500',
  none: '#7b7b7b',
};

const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 2 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const longDay = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'medium', timeZone: 'Europe/Paris' });

export const formatPercent = (value: number | null): string => (value === null ? '—' : percent.format(value));
export const formatMs = (value: number | null): string => (value === null ? '—' : `${decimal.format(value)} ms`);
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

function levelOf(uptime: number | null): DayLevel {
  if (uptime === null) return 'none';
  if (uptime >= 0.99) return 'ok';
  if (uptime >= 0.5) return 'partial';
  return 'down';
}

/**
 * The last `count` UTC days ending on `now`'s day, oldest first; days without a probe are `none`.
 *
 * @example
 * uptimeDays([{ day: '2026-11-23', probes: 2, uptime: 0.5 }], new Date('2026-11-23T12:00:00Z'), 2)
 * // → [{ day: '2026-11-22', level: 'none', … }, { day: '2026-11-23', level: 'partial', … }]
 */
export function uptimeDays(measured: readonly DailyUptime[], now: Date, count = UPTIME_DAYS): UptimeDayView[] {
  const byDay = new Map(measured.map((d) => [d.day, d]));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const out: UptimeDayView[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const date = new Date(today - i * 86_400_000);
    const day = date.toISOString().slice(0, 10);
    const found = byDay.get(day);
    const uptime = found === undefined || found.probes === 0 ? null : found.uptime;
    const level = levelOf(uptime);
    const dayLabel = longDay.format(date);
    const text =
      uptime === null
        ? `${dayLabel} : aucune mesure`
        : `${dayLabel} : ${formatPercent(uptime)} de sondes réussies (${found?.probes ?? 0} sonde${(found?.probes ?? 0) > 1 ? 's' : ''}), ${DAY_LEVEL_TEXT[level]}`;
    out.push({ day, dayLabel, probes: found?.probes ?? 0, uptime, uptimeText: formatPercent(uptime), level, text });
  }
  return out;
}

/** A bar of the server-rendered SVG strip: its height says the uptime too, so colour is never alone. */
export interface StripBar {
  x: number;
  y: number;
  height: number;
  fill: string;
  title: string;
}

export const STRIP = { barWidth: 6, gap: 2, height: 32 } as const;

export function stripBars(days: readonly UptimeDayView[]): { width: number; height: number; barWidth: number; bars: StripBar[] } {
  const bars = days.map((d, i): StripBar => {
    const height = d.uptime === null ? 4 : Math.max(4, Math.round(d.uptime * STRIP.height));
    return { x: i * (STRIP.barWidth + STRIP.gap), y: STRIP.height - height, height, fill: DAY_LEVEL_FILL[d.level], title: d.text };
  });
  return { width: days.length * (STRIP.barWidth + STRIP.gap) - STRIP.gap, height: STRIP.height, barWidth: STRIP.barWidth, bars };
}

/** A one-sentence alternative of the strip: the overall figure and the days that were not fine. */
export function stripSummary(days: readonly UptimeDayView[], overall: number | null): string {
  const count = (level: DayLevel) => days.filter((d) => d.level === level).length;
  const measured = days.length - count('none');
  if (measured === 0) return `Aucune sonde sur les ${days.length} derniers jours.`;
  const parts = [`Disponibilité sur ${days.length} jours : ${formatPercent(overall)} des sondes réussies`, `${measured} jour${measured > 1 ? 's' : ''} mesuré${measured > 1 ? 's' : ''}`];
  if (count('partial') > 0) parts.push(`${count('partial')} perturbé${count('partial') > 1 ? 's' : ''}`);
  if (count('down') > 0) parts.push(`${count('down')} indisponible${count('down') > 1 ? 's' : ''}`);
  return `${parts.join(', ')}.`;
}

/** A provider as its row shows it: every figure already in French. */
export interface ProviderRowView {
  id: string;
  name: string;
  status: (typeof STATUS_TEXT)[ProviderStatus];
  calls: number;
  successRate: string;
  p50: string;
  p95: string;
  breaker: string;
  lastProbe: string;
  uptime: string;
  strip: ReturnType<typeof stripBars>;
  stripSummary: string;
  days: UptimeDayView[];
}

export function providerRow(view: ProviderStatusView, days: readonly DailyUptime[], now: Date): ProviderRowView {
  const dayViews = uptimeDays(days, now);
  const probe = view.last_probe;
  return {
    id: view.id,
    name: view.name,
    status: STATUS_TEXT[view.status],
    calls: view.traffic.calls,
    successRate: formatPercent(view.traffic.success_rate),
    p50: formatMs(view.traffic.latency_ms.p50),
    p95: formatMs(view.traffic.latency_ms.p95),
    breaker: view.breaker === null ? 'Sans objet (bac à sable)' : BREAKER_TEXT[view.breaker],
    lastProbe:
      probe === null
        ? 'Aucune sonde'
        : `${probe.ok ? 'Réussie' : `Échouée${probe.error_code === null ? '' : ` (code ${probe.error_code})`}`} le ${formatDateTime(probe.at)}, ${formatMs(probe.latency_ms)}`,
    uptime: formatPercent(view.uptime_90d),
    strip: stripBars(dayViews),
    stripSummary: stripSummary(dayViews, view.uptime_90d),
    days: dayViews,
  };
}
