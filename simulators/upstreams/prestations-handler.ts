/**
 * The DSS "API des prestations" simulator, as published: `GET /prestations/v1/{CSS,RSA}` by civil
 * status and `/prestations/v1/fc/{CSS,RSA}` with `X-FranceConnect-Token`, a mandatory UUID
 * `X-Correlation-Id`, `{code, libelle}` answers and `{error_code, error}` errors. A `/fc/` token is
 * checked the way the DSS does, by asking FranceConnect (`franceconnect-token-check.ts`): an inactive
 * one is refused with the published 403 ("L'accès à cette ressource est interdit", `error_code` 403xx),
 * FranceConnect unavailable is the published 500 (docs/adr/0085-franceconnect-token-to-drivers.md).
 */
import { failureOf, type Cast } from '../cast.ts';
import type { SimRequest, SimResponse } from '../upstream-simulator.ts';
import { castTokenCheck, type FranceConnectTokenCheck } from './franceconnect-token-check.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ROUTES = {
  CSS: {
    operationIds: ['api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility', 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_france_connect'],
    yes: "L'assuré est bénéficiaire de la CSS",
    no: "L'assuré n'est pas bénéficiaire de la CSS",
  },
  RSA: {
    operationIds: ['api_particulier_v3_cnav_revenu_solidarite_active_with_civility', 'api_particulier_v3_cnav_revenu_solidarite_active_with_france_connect'],
    yes: "L'assuré est bénéficiaire du RSA",
    no: "L'assuré n'est pas bénéficiaire du RSA",
  },
} as const;

const error = (status: number, code: number, message: string): SimResponse => ({ status, body: { error_code: code, error: message } });

/** The published civil-status query → the public contract's params. */
export function paramsOfPrestationsQuery(query: URLSearchParams): Record<string, unknown> | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(query.get('date_naissance') ?? '');
  const name = query.get('nom_naissance') ?? query.get('nom_usage');
  const genre = query.get('genre');
  if (date === null || !name || (genre !== 'M' && genre !== 'F') || !query.get('code_paysnaissance')) return undefined;
  const params: Record<string, unknown> = {
    prenoms: (query.get('liste_prenoms') ?? '').split(' ').filter((p) => p !== ''),
    anneeDateNaissance: Number(date[1]),
    moisDateNaissance: Number(date[2]),
    jourDateNaissance: Number(date[3]),
    sexeEtatCivil: genre,
    codeCogInseePaysNaissance: query.get('code_paysnaissance'),
  };
  if (query.get('nom_naissance')) params.nomNaissance = query.get('nom_naissance');
  if (query.get('nom_usage')) params.nomUsage = query.get('nom_usage');
  if (query.get('code_lieunaissance')) params.codeCogInseeCommuneNaissance = query.get('code_lieunaissance');
  return params;
}

/** Answers of the `/fc/` forms when FranceConnect does not vouch for the token. */
export const FC_TOKEN_REFUSED = { status: 403, body: { error_code: 40302, error: 'Jeton FranceConnect invalide ou expiré' } } as const;
export const FC_UNAVAILABLE = { status: 500, body: { error_code: 50001, error: 'Erreur technique' } } as const;

/** @param checkToken how `/fc/` tokens are checked (default: the cast's fake tokens). */
export function prestationsHandler(cast: Cast, checkToken: FranceConnectTokenCheck = castTokenCheck(cast)): (request: SimRequest) => Promise<SimResponse | { hang: true }> {
  return async (request) => {
    const match = /^\/prestations\/v1\/(fc\/)?(CSS|RSA)$/.exec(request.path);
    if (match === null || request.method !== 'GET') return error(404, 40401, 'Ressource inconnue');
    if (!UUID.test(String(request.headers['x-correlation-id'] ?? ''))) return error(400, 40001, 'X-Correlation-Id absent ou invalide');
    const route = ROUTES[match[2] as 'CSS' | 'RSA'];
    let params: Record<string, unknown> | undefined;
    if (match[1] !== undefined) {
      const token = request.headers['x-franceconnect-token'];
      if (typeof token !== 'string' || token === '' || token.length > 255) return error(400, 40003, 'X-FranceConnect-Token absent ou invalide');
      const checked = await checkToken(token);
      if (checked.kind === 'unavailable') return FC_UNAVAILABLE;
      if (checked.kind === 'inactive') return FC_TOKEN_REFUSED;
      params = checked.params;
    } else {
      params = paramsOfPrestationsQuery(request.query);
      if (params === undefined) return error(400, 40002, "Nom de naissance ou nom d'usage absent, ou état civil incomplet");
    }
    const answer = cast.lookUp(route.operationIds, params);
    if (answer.kind === 'data') {
      const beneficiary = (answer.data as { est_beneficiaire?: boolean }).est_beneficiaire === true;
      return { status: 200, body: { code: beneficiary, libelle: beneficiary ? route.yes : route.no } };
    }
    if (answer.kind === 'unknown' || answer.status === 404) return error(404, 40402, "Le NIR n'a pas été trouvé dans le SNGI");
    const failure = failureOf(answer);
    if (failure.kind === 'hang') return { hang: true };
    return failure.status === 429 ? error(429, 42901, 'La limite d’utilisation de l’API a été atteinte') : error(500, 50001, 'Erreur technique');
  };
}
