/**
 * Active probes (issue 6, item 3): every N seconds, one call per provider with a synthetic identity,
 * through the same driver as real traffic (sandbox or live upstream), so the status page knows a
 * provider is down before a citizen's administration finds out. The identity is the provider's first
 * sandbox case with a 200 answer on a route that takes identity params (live simulators serve the same
 * cast; in production, point `SANDBOX_DATA_DIRS` at a folder holding the test identities each provider
 * grants). Providers reachable only through FranceConnect have no probe: their status comes from traffic.
 */
import { randomUUID } from 'node:crypto';
import type { ProviderDriver } from '../core/driver.ts';
import type { EndpointDefinition, ProviderManifest, QueryParams } from '../core/endpoint.ts';
import { compileParamsValidator } from '../gateway/validate-params.ts';
import type { SandboxCase } from '../sandbox/case-file.ts';
import type { ProbeResult, ProbeStore } from './probe-store.ts';

const PROBE_RECIPIENT = '13002526500013';
const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeTarget {
  provider: string;
  endpoint: EndpointDefinition;
  params: QueryParams;
}

/** Query-string form of a case's params as a client would send them: strings, and `key[]` lists (CONTRACT §1.1). */
function asQuery(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { recipient: PROBE_RECIPIENT };
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) out[key.endsWith('[]') ? key : `${key}[]`] = value.map(String);
    else out[key] = String(value);
  }
  return out;
}

/** One target per provider that has a usable case; the others are simply not probed. */
export function probeTargets(registry: readonly ProviderManifest[], cases: ReadonlyMap<string, readonly SandboxCase[]>, now: () => Date): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const provider of registry) {
    found: for (const endpoint of provider.endpoints) {
      if (endpoint.modality === 'france_connect' || endpoint.deprecated) continue;
      const validate = compileParamsValidator(endpoint, now);
      for (const c of cases.get(endpoint.operationId) ?? []) {
        if (c.status !== 200) continue;
        try {
          const params = validate(asQuery(c.params));
          targets.push({ provider: provider.id, endpoint, params: endpoint.providerParams?.(params, { now: now() }) ?? params });
          break found;
        } catch {
          // a case written for another shape of the route: try the next one
        }
      }
    }
  }
  return targets;
}

function codeOf(body: unknown): string | null {
  const code = (body as { errors?: Array<{ code?: unknown }> } | undefined)?.errors?.[0]?.code;
  return typeof code === 'string' ? code : null;
}

/** Runs every probe at once and records the results; returns them. Never throws for a failing provider. */
export async function runProbes(targets: readonly ProbeTarget[], deps: { driverFor: (endpoint: EndpointDefinition) => ProviderDriver; store: ProbeStore; now: () => Date }): Promise<ProbeResult[]> {
  const results = await Promise.all(
    targets.map(async (target): Promise<ProbeResult> => {
      const at = deps.now();
      const started = performance.now();
      try {
        const outcome = await deps.driverFor(target.endpoint).call({
          endpoint: target.endpoint,
          params: target.params,
          requestId: `probe-${randomUUID()}`,
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        });
        const latencyMs = performance.now() - started;
        // A "not found" is an answer: the provider is up.
        const ok = outcome.kind === 'data' || outcome.status < 500;
        return { provider: target.provider, at, ok, latencyMs, errorCode: outcome.kind === 'data' ? null : codeOf(outcome.body) };
      } catch {
        return { provider: target.provider, at, ok: false, latencyMs: performance.now() - started, errorCode: null };
      }
    }),
  );
  await deps.store.record(results);
  return results;
}
