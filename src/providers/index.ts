/** The provider registry: one line per provider (DESIGN §4). Everything else iterates it. */
import type { EndpointDefinition, ProviderManifest } from '../core/endpoint.ts';
import { ants } from './ants/manifest.ts';
import { cnam } from './cnam/manifest.ts';
import { cnous } from './cnous/manifest.ts';
import { dsnj } from './dsnj/manifest.ts';
import { dss } from './dss/manifest.ts';
import { franceTravail } from './france-travail/manifest.ts';
import { gipMds } from './gip-mds/manifest.ts';
import { men } from './men/manifest.ts';
import { mesri } from './mesri/manifest.ts';
import { sdh } from './sdh/manifest.ts';

export const providers: readonly ProviderManifest[] = [dss, cnous, mesri, men, franceTravail, dsnj, gipMds, sdh, ants, cnam];

export function allEndpoints(registry: readonly ProviderManifest[] = providers): Array<{ provider: ProviderManifest; endpoint: EndpointDefinition }> {
  return registry.flatMap((provider) => provider.endpoints.map((endpoint) => ({ provider, endpoint })));
}

export function allScopes(registry: readonly ProviderManifest[] = providers): string[] {
  return [...new Set(registry.flatMap((p) => Object.keys(p.scopes)))].sort();
}
