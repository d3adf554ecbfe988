/**
 * Live mode's composition (issue 4): one `UpstreamClient` per configured upstream and one driver per
 * route, from the live registry. `buildApp` asks it for a route's driver; the status page reads
 * `health()`. Every route of the registry must have a live mapping: a gap fails at boot, not at the
 * first call.
 */
import type { ProviderDriver } from '../core/driver.ts';
import type { EndpointDefinition, ProviderManifest } from '../core/endpoint.ts';
import { liveConnectors } from './connectors.ts';
import type { LiveConfig, UpstreamKey } from './live-config.ts';
import { createRouteDriver } from './live-driver.ts';
import type { ProviderHealth } from './provider-health.ts';
import { UpstreamClient } from './upstream-client.ts';
import type { LiveConnector } from './upstream-route.ts';

export interface LiveMode {
  driverFor(endpoint: EndpointDefinition): ProviderDriver | undefined;
  /** Per upstream: breaker state, rolling success rate and latency (for the status page). */
  health(): ProviderHealth[];
  clients: ReadonlyMap<string, UpstreamClient>;
  close(): Promise<void>;
}

/**
 * @example
 * const live = createLiveMode(config.live, providers);
 * const driver = live.driverFor(endpoint);
 */
export function createLiveMode(
  config: LiveConfig,
  registry: readonly ProviderManifest[],
  options: { connectors?: LiveConnector[]; now?: () => number } = {},
): LiveMode {
  const clients = new Map<string, UpstreamClient>();
  for (const [name, upstream] of Object.entries(config.upstreams)) {
    clients.set(name, new UpstreamClient({ name, config: upstream, ...(options.now ? { now: options.now } : {}) }));
  }
  const connectors = options.connectors ?? liveConnectors(config);
  const drivers = new Map<string, ProviderDriver>();
  const missing: string[] = [];
  for (const provider of registry) {
    const connector = connectors.find((c) => c.providerId === provider.id);
    for (const endpoint of provider.endpoints) {
      const entry = connector?.routes.find((r) => r.route.operationId === endpoint.operationId);
      const client = entry === undefined ? undefined : clients.get(entry.upstream as UpstreamKey);
      if (entry === undefined || client === undefined) {
        missing.push(`${endpoint.operationId}${entry === undefined ? '' : ` (upstream ${entry.upstream} not configured)`}`);
        continue;
      }
      drivers.set(endpoint.operationId, createRouteDriver(provider, endpoint, entry.route, client));
    }
  }
  if (missing.length > 0) throw new TypeError(`live mode: routes without a live driver: ${missing.join(', ')}`);
  return {
    driverFor: (endpoint) => drivers.get(endpoint.operationId),
    health: () => [...clients.values()].map((c) => c.health()),
    clients,
    close: async () => {
      await Promise.all([...clients.values()].map((c) => c.close()));
    },
  };
}
