/**
 * The scope picker of a habilitation request, derived from the provider manifests (STYLE §2): for a
 * product, its providers' scopes grouped by provider, with their labels and the modalities that
 * reach them. Never written by hand.
 */
import { endpointScopes, type Modality, type ProviderManifest } from '../core/endpoint.ts';
import type { Product } from './products.ts';

/** Stated beside the picker (CRPA art. L114-8, RGPD art. 5.1.c). */
export const MINIMISATION_RULE =
  'Ne cochez que les données strictement nécessaires à la démarche (article L114-8 du Code des relations entre le public et l’administration, principe de minimisation du RGPD). Chaque donnée demandée doit être justifiée par votre cas d’usage.';

export interface ScopeChoice {
  scope: string;
  label: string;
  /** Call modalities of the endpoints that serve this scope. */
  modalities: Modality[];
}

export interface ScopeGroup {
  providerId: string;
  providerName: string;
  scopes: ScopeChoice[];
}

export function scopeCatalogue(product: Product, registry: readonly ProviderManifest[]): ScopeGroup[] {
  return registry
    .filter((provider) => product.providers.includes(provider.id))
    .map((provider) => ({
      providerId: provider.id,
      providerName: provider.name,
      scopes: Object.entries(provider.scopes)
        .filter(([scope]) => product.scopes === undefined || product.scopes.includes(scope))
        .map(([scope, definition]) => ({
        scope,
        label: definition.label,
        modalities: [
          ...new Set(
            provider.endpoints
              .filter((endpoint) => endpointScopes(endpoint).includes(scope) && product.modalities.includes(endpoint.modality))
              .map((endpoint) => endpoint.modality),
          ),
        ],
      })),
    }))
    .filter((group) => group.scopes.length > 0);
}

/** Every scope of a catalogue, by name. */
export function scopeIndex(groups: readonly ScopeGroup[]): Map<string, ScopeChoice> {
  return new Map(groups.flatMap((g) => g.scopes.map((s) => [s.scope, s] as const)));
}
