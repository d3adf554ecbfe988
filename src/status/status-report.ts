/**
 * The versioned status document (`/status/v1/…`, docs/adr/0130-status-api.md). Its shape is a public
 * contract that integrators poll (USERS U25–U26): fields are only ever added within v1; a test pins it.
 */
import type { ProviderManifest } from '../core/endpoint.ts';
import type { ProviderHealth } from '../live/provider-health.ts';
import type { DailyUptime, ProbeResult, ProbeStore } from './probe-store.ts';
import type { TrafficHealth } from './traffic-health.ts';

export type ProviderStatus = 'operational' | 'degraded' | 'outage' | 'unknown';
export type BreakerView = 'closed' | 'open' | 'half_open' | null;

export interface ProviderStatusView {
  id: string;
  name: string;
  status: ProviderStatus;
  /** The upstream's circuit breaker (live mode); null in the sandbox. */
  breaker: BreakerView;
  traffic: { window_seconds: number; calls: number; success_rate: number | null; latency_ms: { p50: number | null; p95: number | null } };
  last_probe: { at: string; ok: boolean; latency_ms: number; error_code: string | null } | null;
  uptime_90d: number | null;
}

export interface StatusSummary {
  version: 1;
  generated_at: string;
  mode: 'sandbox' | 'live';
  status: ProviderStatus;
  providers: ProviderStatusView[];
}

export interface ProviderStatusDetail extends ProviderStatusView {
  version: 1;
  generated_at: string;
  uptime_days: DailyUptime[];
}

export interface StatusDeps {
  registry: readonly ProviderManifest[];
  mode: 'sandbox' | 'live';
  traffic: TrafficHealth;
  liveHealth: () => ProviderHealth[];
  probes: ProbeStore;
  now: () => Date;
}

const round = (value: number | null, digits: number): number | null => (value === null ? null : Number(value.toFixed(digits)));

/** Live upstream keys are the provider id with `_` (`gip_mds`), some providers have several (`dss_prestations`). */
function upstreamsOf(providerId: string, health: readonly ProviderHealth[]): ProviderHealth[] {
  const key = providerId.replaceAll('-', '_');
  return health.filter((h) => h.provider === key || h.provider.startsWith(`${key}_`));
}

function breakerOf(upstreams: readonly ProviderHealth[]): BreakerView {
  if (upstreams.length === 0) return null;
  if (upstreams.some((u) => u.breaker === 'open')) return 'open';
  if (upstreams.some((u) => u.breaker === 'half-open')) return 'half_open';
  return 'closed';
}

/** The rule, in order: an open breaker or a failed probe with failing traffic is an outage; any failure signal is degraded. */
export function statusOf(breaker: BreakerView, successRate: number | null, probe: ProbeResult | undefined): ProviderStatus {
  if (breaker === 'open') return 'outage';
  if (probe !== undefined && !probe.ok && (successRate === null || successRate < 0.5)) return 'outage';
  if (breaker === 'half_open' || (probe !== undefined && !probe.ok) || (successRate !== null && successRate < 0.95)) return 'degraded';
  if (probe === undefined && successRate === null) return 'unknown';
  return 'operational';
}

function worst(statuses: readonly ProviderStatus[]): ProviderStatus {
  for (const s of ['outage', 'degraded', 'operational'] as const) if (statuses.includes(s)) return s;
  return 'unknown';
}

async function views(deps: StatusDeps): Promise<{ views: ProviderStatusView[]; uptime: Awaited<ReturnType<ProbeStore['uptime']>> }> {
  const now = deps.now();
  const [latest, uptime] = await Promise.all([deps.probes.latest(), deps.probes.uptime(now)]);
  const health = deps.liveHealth();
  const out = deps.registry.map((provider): ProviderStatusView => {
    const traffic = deps.traffic.summary(provider.id);
    const breaker = breakerOf(upstreamsOf(provider.id, health));
    const probe = latest.get(provider.id);
    return {
      id: provider.id,
      name: provider.name,
      status: statusOf(breaker, traffic.successRate, probe),
      breaker,
      traffic: {
        window_seconds: 300,
        calls: traffic.calls,
        success_rate: round(traffic.successRate, 4),
        latency_ms: { p50: round(traffic.p50, 1), p95: round(traffic.p95, 1) },
      },
      last_probe: probe === undefined ? null : { at: probe.at.toISOString(), ok: probe.ok, latency_ms: round(probe.latencyMs, 1) ?? 0, error_code: probe.errorCode },
      uptime_90d: round(uptime.get(provider.id)?.overall ?? null, 5),
    };
  });
  return { views: out, uptime };
}

export async function statusSummary(deps: StatusDeps): Promise<StatusSummary> {
  return (await statusSummaryWithHistory(deps)).summary;
}

/** The summary and, per provider, its daily uptime — for the status page, from the same two queries. */
export async function statusSummaryWithHistory(deps: StatusDeps): Promise<{ summary: StatusSummary; days: (providerId: string) => DailyUptime[] }> {
  const { views: providers, uptime } = await views(deps);
  const summary: StatusSummary = { version: 1, generated_at: deps.now().toISOString(), mode: deps.mode, status: worst(providers.map((p) => p.status)), providers };
  return { summary, days: (id) => uptime.get(id)?.days ?? [] };
}

/** One provider's detail with its daily uptime, or undefined for an unknown id. */
export async function providerStatus(deps: StatusDeps, id: string): Promise<ProviderStatusDetail | undefined> {
  const { views: all, uptime } = await views(deps);
  const view = all.find((v) => v.id === id);
  if (view === undefined) return undefined;
  return { version: 1, generated_at: deps.now().toISOString(), ...view, uptime_days: uptime.get(id)?.days ?? [] };
}
