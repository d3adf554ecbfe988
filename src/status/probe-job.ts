/** The scheduled job that probes every provider and trims the probe history (leader only, like every job). */
import type { ProviderDriver } from '../core/driver.ts';
import type { EndpointDefinition, ProviderManifest } from '../core/endpoint.ts';
import type { Job } from '../jobs/scheduler.ts';
import type { SandboxCase } from '../sandbox/case-file.ts';
import type { ProbeStore } from './probe-store.ts';
import { probeTargets, runProbes } from './probes.ts';

/** Undefined when probes are off (`STATUS_PROBE_INTERVAL_SECONDS=0`). */
export function statusProbeJob(deps: {
  registry: readonly ProviderManifest[];
  cases: () => ReadonlyMap<string, readonly SandboxCase[]>;
  driverFor: (endpoint: EndpointDefinition) => ProviderDriver;
  store: ProbeStore;
  now: () => Date;
  intervalSeconds: number;
}): Job | undefined {
  if (deps.intervalSeconds === 0) return undefined;
  return {
    name: 'status-probes',
    everyMs: deps.intervalSeconds * 1000,
    run: async () => {
      // Targets are chosen at each run: a sandbox reload may have changed the cases.
      const results = await runProbes(probeTargets(deps.registry, deps.cases(), deps.now), deps);
      const purged = await deps.store.purge(deps.now());
      return { probed: results.length, failed: results.filter((r) => !r.ok).length, purged };
    },
  };
}
