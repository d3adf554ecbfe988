/** The provider registry: one line per provider (DESIGN §4). Everything else iterates it. */
import type { EndpointDefinition, ProviderManifest } from '../core/endpoint.ts';
import { dss } from './dss/manifest.ts';

export const providers: readonly ProviderManifest[] = [dss];

export function allEndpoints(registry: readonly ProviderManifest[] = providers): Array<{ provider: ProviderManifest; endpoint: EndpointDefinition }> {
  return registry.flatMap((provider) => provider.endpoints.map((endpoint) => ({ provider, endpoint })));
}

export function allScopes(registry: readonly ProviderManifest[] = providers): string[] {
  return [...new Set(registry.flatMap((p) => Object.keys(p.scopes)))].sort();
}
