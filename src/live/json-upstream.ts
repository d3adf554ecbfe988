/**
 * The upstream convention of the providers that publish no contract of their own (CNAV, Cnous,
 * MESR, France Travail, GIP-MDS, SDH, ANTS, CNAM): one resource per benefit, read with `GET` and the
 * public contract's own param names, answering the route's own `data`. Speaking the contract's
 * vocabulary end to end leaves nothing to translate, so nothing to get wrong. The convention is
 * docs/adr/0082-upstream-json-convention.md; each provider's `live/UPSTREAM.md` lists its resources.
 *
 * - `GET {base}{resource}?nomNaissance=…&prenoms=…&prenoms=…` (a `[]` param is repeated without `[]`;
 *   `recipient` is not sent), `X-Correlation-Id` = the gateway's request id;
 * - `200 {"resultat": <data>, "meta"?: {…}}`;
 * - `404 {"erreur": {"code": "NON_TROUVE", "motif"?: "<MOTIF>", "message": "…"}}` — a motif picks one of
 *   the route's 404 codes when it has several;
 * - `409 {"erreur": {"code": "PLUSIEURS_CORRESPONDANCES", …}}` where a route declares it (GIP-MDS);
 * - `429` throttled, `5xx` failure (bodies ignored).
 */
import { Type, type TSchema } from 'typebox';
import type { EndpointDefinition, ProviderManifest, QueryParams } from '../core/endpoint.ts';
import type { ErrorDefinition } from '../core/errors.ts';
import type { UpstreamRequest } from './upstream-client.ts';
import type { UpstreamRoute } from './upstream-route.ts';

/** One upstream resource and the gateway routes it serves, in matching order (identite first). */
export interface JsonResource {
  path: string;
  operationIds: readonly string[];
  /** The 404 of an answer without a motif; default: the route's first `PP003`. */
  defaultNotFound?: ErrorDefinition;
  /** `motif` of a 404 → the route's 404 it stands for (when the routes have several). */
  notFoundMotifs?: Readonly<Record<string, ErrorDefinition>>;
  /** The error a 409 "several people match" stands for, when the routes declare one. */
  severalMatches?: ErrorDefinition;
}

export const jsonErrorBody = Type.Object({
  erreur: Type.Object({ code: Type.String(), motif: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }),
});

/** The upstream query of a route: the validated params under their names without `[]`, minus `recipient`. */
export function jsonQuery(params: QueryParams): NonNullable<UpstreamRequest['query']> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name === 'recipient' || value === undefined || value === null || value === '') continue;
    const key = name.endsWith('[]') ? name.slice(0, -2) : name;
    query[key] = Array.isArray(value) ? value.map(String) : String(value as string | number | boolean);
  }
  return query;
}

/** The route mapping of one gateway route on a JSON-convention resource. */
export function jsonRoute(endpoint: EndpointDefinition, resource: JsonResource): UpstreamRoute {
  const answers: Partial<Record<number, TSchema>> = {
    200: Type.Object({ resultat: endpoint.data, ...(endpoint.meta ? { meta: endpoint.meta } : {}) }),
    404: jsonErrorBody,
  };
  if (resource.severalMatches !== undefined) answers[409] = jsonErrorBody;
  return {
    operationId: endpoint.operationId,
    request: (params) => ({ method: 'GET', path: resource.path, query: jsonQuery(params) }),
    answers,
    map: (status, body) => {
      const answer = body as { resultat?: unknown; meta?: Record<string, unknown>; erreur?: { code: string; motif?: string } };
      if (status === 200) return { kind: 'data', data: answer.resultat, meta: answer.meta ?? {} };
      if (status === 404 && answer.erreur?.code === 'NON_TROUVE') {
        const motif = answer.erreur.motif;
        return { kind: 'not_found', error: (motif === undefined ? undefined : resource.notFoundMotifs?.[motif]) ?? resource.defaultNotFound };
      }
      if (status === 409 && answer.erreur?.code === 'PLUSIEURS_CORRESPONDANCES' && resource.severalMatches !== undefined) {
        return { kind: 'error', error: resource.severalMatches };
      }
      return { kind: 'unexpected' };
    },
  };
}

/** The routes of a provider whose every route lives on JSON-convention resources of one upstream. */
export function jsonRoutes(provider: ProviderManifest, upstream: string, resources: readonly JsonResource[]): Array<{ upstream: string; route: UpstreamRoute }> {
  const byId = new Map(provider.endpoints.map((e) => [e.operationId, e]));
  return resources.flatMap((resource) =>
    resource.operationIds.map((id) => {
      const endpoint = byId.get(id);
      if (endpoint === undefined) throw new TypeError(`${provider.id}: no route ${id}`);
      return { upstream, route: jsonRoute(endpoint, resource) };
    }),
  );
}
