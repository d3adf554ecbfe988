/**
 * The simulator of a JSON-convention upstream (docs/adr/0082-upstream-json-convention.md): serves
 * the provider's declared resources from the cast.
 */
import type { JsonResource } from '../../src/live/json-upstream.ts';
import { failureOf, type Cast } from '../cast.ts';
import type { SimRequest, SimResponse } from '../upstream-simulator.ts';

/** Query → the public contract's params: a name the route declares with `[]` becomes a list. */
export function paramsOfQuery(query: URLSearchParams, listParams: ReadonlySet<string>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    params[name] = listParams.has(name) || values.length > 1 ? values : values[0];
  }
  return params;
}

export type Hang = { hang: true };

export function jsonUpstreamHandler(cast: Cast, resources: readonly JsonResource[]): (request: SimRequest) => SimResponse | Hang {
  const byPath = new Map(resources.map((r) => [r.path, r]));
  return (request) => {
    const resource = byPath.get(request.path);
    if (resource === undefined || request.method !== 'GET') return { status: 404, body: { erreur: { code: 'RESSOURCE_INCONNUE', message: 'Ressource inconnue' } } };
    const listParams = new Set(
      resource.operationIds.flatMap((id) => Object.keys(cast.endpoint(id).params.properties).filter((k) => k.endsWith('[]')).map((k) => k.slice(0, -2))),
    );
    listParams.add('prenoms');
    const answer = cast.lookUp(resource.operationIds, paramsOfQuery(request.query, listParams));
    if (answer.kind === 'data') {
      const withMeta = cast.endpoint(resource.operationIds[0] ?? '').meta !== undefined;
      return { status: 200, body: withMeta ? { resultat: answer.data, meta: answer.meta } : { resultat: answer.data } };
    }
    if (answer.kind === 'unknown' || answer.status === 404) {
      const motif = answer.kind === 'error' ? Object.entries(resource.notFoundMotifs ?? {}).find(([, e]) => e.code === answer.code && e.title === answer.title)?.[0] : undefined;
      return { status: 404, body: { erreur: { code: 'NON_TROUVE', ...(motif ? { motif } : {}), message: 'Aucune personne ne correspond à cette identité' } } };
    }
    if (resource.severalMatches !== undefined && answer.code === resource.severalMatches.code) {
      return { status: 409, body: { erreur: { code: 'PLUSIEURS_CORRESPONDANCES', message: 'Plusieurs personnes correspondent à cette identité' } } };
    }
    const failure = failureOf(answer);
    return failure.kind === 'hang' ? { hang: true } : { status: failure.status, body: { erreur: { code: 'ERREUR', message: 'Erreur du service' } } };
  };
}
