/**
 * The DSNJ "Dites-le nous une fois" API as published (`shared/contract/upstreams/api-service-national.yaml`):
 * `POST /dln1f` with a batch of pivot identities (we send one), a bearer API key, and one result per
 * identity. A POST is never retried (issue 4: retries only for idempotent reads). Contract notes:
 * `UPSTREAM.md` beside this file.
 */
import { Type } from 'typebox';
import type { QueryParams } from '../../../core/endpoint.ts';
import { birthDate, listOf, textOf, type RouteAnswer, type UpstreamRoute } from '../../../live/upstream-route.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { dsnj } from '../manifest.ts';

/** `Identite` (the pivot identity sent). */
export const dsnjIdentity = Type.Object({
  given_name: Type.String(),
  family_name: Type.String(),
  birthdate: Type.String(),
  gender: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  birthplace: Type.Optional(Type.String()),
  birthcountry: Type.String(),
});

/** `ResultIdentites` (200). */
export const dsnjAnswer = Type.Object({
  return_code: Type.String(),
  results: Type.Optional(
    Type.Array(
      Type.Object({
        code: Type.String(),
        en_regle: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        identite_pivot: Type.Optional(Type.Unknown()),
        complement: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      }),
    ),
  ),
});

/** `en_regle` wording → the route's `statut_service_national`. */
export const STATUS_OF_WORDING: Readonly<Record<string, string>> = {
  'En règle': 'en_regle',
  'Pas en règle': 'pas_en_regle',
  Indéterminé: 'indetermine',
  'Non concerné': 'non_concerne',
};

/** The pivot identity of the route's params. */
export function dsnjIdentityOf(params: QueryParams): Record<string, string> {
  const identity: Record<string, string> = {
    given_name: listOf(params['prenoms[]'] ?? params.prenoms).join(' '),
    family_name: textOf(params.nomNaissance) ?? '',
    birthdate: birthDate(params),
    gender: textOf(params.sexeEtatCivil) === 'F' ? 'female' : 'male',
    birthcountry: textOf(params.codeCogInseePaysNaissance) ?? '',
  };
  const birthplace = textOf(params.codeCogInseeCommuneNaissance);
  if (birthplace !== undefined) identity.birthplace = birthplace;
  return identity;
}

function mapAnswer(body: unknown): RouteAnswer {
  const answer = body as { return_code: string; results?: Array<{ code: string; en_regle?: string | null; complement?: string | null }> };
  const result = answer.results?.[0];
  if (answer.return_code !== 'OK' || result === undefined) return { kind: 'unexpected' };
  if (result.code === 'NON_TROUVE') return { kind: 'not_found' };
  const status = result.code === 'OK' ? STATUS_OF_WORDING[result.en_regle ?? ''] : undefined;
  if (status === undefined) return { kind: 'unexpected' };
  return { kind: 'data', data: { statut_service_national: status, commentaires: result.complement ? result.complement : null } };
}

const route = (operationId: string): UpstreamRoute => ({
  operationId,
  request: (params) => ({ method: 'POST', path: '/dln1f', body: { identites_pivot: [dsnjIdentityOf(params)] } }),
  answers: { 200: dsnjAnswer },
  map: (_status, body) => mapAnswer(body),
});

/** Both DSNJ routes on the `dsnj` upstream (`LIVE_DSNJ_*`, API key). */
export const dsnjLive: LiveConnector = {
  providerId: dsnj.id,
  routes: dsnj.endpoints.map((endpoint) => ({ upstream: 'dsnj', route: route(endpoint.operationId) })),
};
