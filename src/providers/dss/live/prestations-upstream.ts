/**
 * The DSS "API des prestations" (RNCPS) as the upstream of the C2S and RSA routes, implemented as
 * published (`shared/contract/upstreams/api-prestations-sociales.json`): `GET /prestations/v1/CSS`
 * and `/RSA` by civil status, OAuth2 client credentials, a UUID `X-Correlation-Id`, answers
 * `{code, libelle}` and errors `{error_code, error}`. It only says whether the person is a
 * beneficiary: the route's other fields are `null`, which the contract allows
 * (docs/adr/0083-dss-prestations-upstream.md). A call that came through FranceConnect uses the `/fc/`
 * form: the citizen's access token in `X-FranceConnect-Token`, no civil status — the DSS asks
 * FranceConnect itself (docs/adr/0085-franceconnect-token-to-drivers.md).
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import type { QueryParams } from '../../../core/endpoint.ts';
import type { ErrorDefinition } from '../../../core/errors.ts';
import type { ProviderCall } from '../../../core/driver.ts';
import type { UpstreamRequest } from '../../../live/upstream-client.ts';
import { birthDate, listOf, textOf, type UpstreamRoute } from '../../../live/upstream-route.ts';
import { dssErrors } from '../errors.ts';

/** `200` body (`components.schemas.Reponse`). */
export const prestationsAnswer = Type.Object({ code: Type.Boolean(), libelle: Type.String() });
/** Error body (`components.schemas.Erreur`): the first three digits of `error_code` are the HTTP status. */
export const prestationsError = Type.Object({ error_code: Type.Integer(), error: Type.String() });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `X-FranceConnect-Token` is at most 255 characters (`components.parameters.X-FranceConnect-Token`). */
export const FRANCECONNECT_TOKEN_MAX_LENGTH = 255;

/** The published query of the civil-status form. */
export function prestationsQuery(params: QueryParams): Record<string, string | undefined> {
  return {
    nom_naissance: textOf(params.nomNaissance),
    liste_prenoms: listOf(params['prenoms[]'] ?? params.prenoms).join(' ') || undefined,
    nom_usage: textOf(params.nomUsage),
    code_lieunaissance: textOf(params.codeCogInseeCommuneNaissance),
    code_paysnaissance: textOf(params.codeCogInseePaysNaissance),
    date_naissance: birthDate(params),
    genre: textOf(params.sexeEtatCivil),
  };
}

/**
 * The request of a call: the `/fc/` form when the call came through FranceConnect (a token too long
 * for the published header falls back on the civil status FranceConnect returned), else the
 * civil-status form.
 */
export function prestationsRequest(resource: 'CSS' | 'RSA', params: QueryParams, call: Pick<ProviderCall, 'requestId' | 'franceConnect'>): UpstreamRequest {
  const correlation = { 'x-correlation-id': UUID.test(call.requestId) ? call.requestId : randomUUID() };
  const token = call.franceConnect?.accessToken;
  if (token !== undefined && token.length <= FRANCECONNECT_TOKEN_MAX_LENGTH) {
    return { method: 'GET', path: `/prestations/v1/fc/${resource}`, headers: { ...correlation, 'x-franceconnect-token': token } };
  }
  return { method: 'GET', path: `/prestations/v1/${resource}`, query: prestationsQuery(params), headers: correlation };
}

function prestationsRoute(operationId: string, resource: 'CSS' | 'RSA', data: (beneficiary: boolean) => unknown, notFound: ErrorDefinition): UpstreamRoute {
  return {
    operationId,
    request: (params, call) => prestationsRequest(resource, params, call),
    answers: { 200: prestationsAnswer, 404: prestationsError },
    map: (status, body) => (status === 200 ? { kind: 'data', data: data((body as { code: boolean }).code) } : { kind: 'not_found', error: notFound }),
  };
}

const c2s = (beneficiary: boolean) => ({ est_beneficiaire: beneficiary, avec_participation: null, date_debut_droit: null });
const rsa = (beneficiary: boolean) => ({ est_beneficiaire: beneficiary, avec_majoration: null, date_debut_droit: null });

/** The C2S and RSA routes on the `dss_prestations` upstream (`LIVE_DSS_PRESTATIONS_*`). */
export const prestationsRoutes: readonly UpstreamRoute[] = [
  prestationsRoute('api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility', 'CSS', c2s, dssErrors.c2sNotFound),
  prestationsRoute('api_particulier_v3_cnav_complementaire_sante_solidaire_with_france_connect', 'CSS', c2s, dssErrors.c2sNotFound),
  prestationsRoute('api_particulier_v3_cnav_revenu_solidarite_active_with_civility', 'RSA', rsa, dssErrors.notReferenced),
  prestationsRoute('api_particulier_v3_cnav_revenu_solidarite_active_with_france_connect', 'RSA', rsa, dssErrors.notReferenced),
];

/** The fields the API des prestations cannot fill, by route (they are `null`). */
export const prestationsNullFields: Readonly<Record<string, readonly string[]>> = {
  CSS: ['avec_participation', 'date_debut_droit'],
  RSA: ['avec_majoration', 'date_debut_droit'],
};
