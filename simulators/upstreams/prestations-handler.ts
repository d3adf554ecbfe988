/**
 * The DSS "API des prestations" simulator, as published: `GET /prestations/v1/{CSS,RSA}` by civil
 * status and `/prestations/v1/fc/{CSS,RSA}` with `X-FranceConnect-Token` (a fake token of the cast),
 * a mandatory UUID `X-Correlation-Id`, `{code, libelle}` answers and `{error_code, error}` errors.
 */
import { failureOf, type Cast } from '../cast.ts';
import type { SimRequest, SimResponse } from '../upstream-simulator.ts';

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

export function prestationsHandler(cast: Cast): (request: SimRequest) => SimResponse | { hang: true } {
  return (request) => {
    const match = /^\/prestations\/v1\/(fc\/)?(CSS|RSA)$/.exec(request.path);
    if (match === null || request.method !== 'GET') return error(404, 40401, 'Ressource inconnue');
    if (!UUID.test(String(request.headers['x-correlation-id'] ?? ''))) return error(400, 40001, 'X-Correlation-Id absent ou invalide');
    const route = ROUTES[match[2] as 'CSS' | 'RSA'];
    let params: Record<string, unknown> | undefined;
    if (match[1] !== undefined) {
      params = cast.franceConnectParams(String(request.headers['x-franceconnect-token'] ?? ''));
      if (params === undefined) return error(403, 40302, 'Jeton FranceConnect invalide ou expiré');
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
