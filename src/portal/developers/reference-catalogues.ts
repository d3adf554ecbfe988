/**
 * The error catalogue and the scope catalogue of the developer docs (issue 7 item 2), generated from
 * the registry: the gateway's own codes (src/core/gateway-errors.ts), every route's param errors and
 * provider errors, every scope with the routes it opens and the fields it unlocks. Nothing is written
 * by hand, so a new provider or code appears here without an edit; test/portal-developers.test.ts
 * checks that every code and scope of the registry is listed.
 */
import { documentedErrors, endpointScopes, type ProviderManifest } from '../../core/endpoint.ts';
import type { ErrorDefinition } from '../../core/errors.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { scopesOfKey } from '../../core/mask.ts';

export interface ErrorEntry {
  code: string;
  status: number;
  title: string;
  detail: string;
  /** `API Particulier` for the gateway's codes, else the providers whose routes answer it. */
  origin: string;
  /** Paths of the routes that document it; empty for the gateway's codes (any route). */
  routes: string[];
}

export interface ScopeEntry {
  name: string;
  label: string;
  providerId: string;
  providerName: string;
  routes: string[];
  /** Field paths of `data` the scope unlocks, alone or combined (`a+b` keys list them too). */
  fields: string[];
}

/** Every error code the gateway or a route may answer, sorted by status then code. */
export function errorCatalogue(registry: readonly ProviderManifest[]): ErrorEntry[] {
  const entries = new Map<string, ErrorEntry>();
  const add = (e: ErrorDefinition, origin: string, route: string | undefined): void => {
    let entry = entries.get(e.code);
    if (entry === undefined) {
      entry = { code: e.code, status: e.status, title: e.title, detail: e.detail, origin, routes: [] };
      entries.set(e.code, entry);
    } else if (!entry.origin.split(', ').includes(origin) && entry.origin !== 'API Particulier') {
      entry.origin = `${entry.origin}, ${origin}`;
    }
    if (route !== undefined && !entry.routes.includes(route)) entry.routes.push(route);
  };
  for (const e of Object.values(gatewayErrors)) add(e, 'API Particulier', undefined);
  for (const provider of registry) {
    for (const endpoint of provider.endpoints) {
      for (const name of Object.keys(endpoint.params.properties)) add(endpoint.paramError(name), 'API Particulier', endpoint.path);
      for (const e of documentedErrors(endpoint)) {
        const origin = e.code in codesOfGateway() ? 'API Particulier' : (provider.providerNameOfCode?.(e.code) ?? provider.name);
        add(e, origin, endpoint.path);
      }
    }
  }
  return [...entries.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}

let gatewayCodes: Record<string, true> | undefined;
function codesOfGateway(): Record<string, true> {
  gatewayCodes ??= Object.fromEntries(Object.values(gatewayErrors).map((e) => [e.code, true as const]));
  return gatewayCodes;
}

/** Every scope the providers declare, in registry order, with its routes and fields. */
export function scopeCatalogue(registry: readonly ProviderManifest[]): ScopeEntry[] {
  const entries: ScopeEntry[] = [];
  for (const provider of registry) {
    for (const [name, scope] of Object.entries(provider.scopes)) {
      const entry: ScopeEntry = { name, label: scope.label, providerId: provider.id, providerName: provider.name, routes: [], fields: [] };
      for (const endpoint of provider.endpoints) {
        if (endpointScopes(endpoint).includes(name)) entry.routes.push(endpoint.path);
        for (const [key, paths] of Object.entries(endpoint.masking)) {
          if (!scopesOfKey(key).includes(name)) continue;
          for (const p of paths) {
            const label = key === name ? p : `${p} (avec ${scopesOfKey(key).filter((s) => s !== name).join(' + ')})`;
            if (!entry.fields.includes(label)) entry.fields.push(label);
          }
        }
      }
      entries.push(entry);
    }
  }
  return entries;
}
