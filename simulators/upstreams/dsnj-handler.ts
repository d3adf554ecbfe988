/**
 * The DSNJ "Dites-le nous une fois" simulator, as published: `POST /dln1f` with a batch of pivot
 * identities, one result per identity (`OK`, `NON_TROUVE`, `ERREUR_FORMAT`).
 */
import { failureOf, type Cast } from '../cast.ts';
import type { SimRequest, SimResponse } from '../upstream-simulator.ts';

const OPERATIONS = ['api_particulier_v3_dsnj_service_national_with_civility', 'api_particulier_v3_dsnj_service_national_with_france_connect'];

const WORDING: Record<string, string> = { en_regle: 'En règle', pas_en_regle: 'Pas en règle', indetermine: 'Indéterminé', non_concerne: 'Non concerné' };

interface Pivot {
  given_name?: unknown;
  family_name?: unknown;
  birthdate?: unknown;
  gender?: unknown;
  birthplace?: unknown;
  birthcountry?: unknown;
}

export function paramsOfPivot(pivot: Pivot): Record<string, unknown> | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof pivot.birthdate === 'string' ? pivot.birthdate : '');
  if (date === null || typeof pivot.family_name !== 'string' || typeof pivot.given_name !== 'string' || typeof pivot.birthcountry !== 'string') return undefined;
  if (pivot.gender !== 'male' && pivot.gender !== 'female') return undefined;
  const params: Record<string, unknown> = {
    nomNaissance: pivot.family_name,
    prenoms: pivot.given_name.split(' ').filter((p) => p !== ''),
    anneeDateNaissance: Number(date[1]),
    moisDateNaissance: Number(date[2]),
    jourDateNaissance: Number(date[3]),
    sexeEtatCivil: pivot.gender === 'female' ? 'F' : 'M',
    codeCogInseePaysNaissance: pivot.birthcountry,
  };
  if (typeof pivot.birthplace === 'string' && pivot.birthplace !== '') params.codeCogInseeCommuneNaissance = pivot.birthplace;
  return params;
}

export function dsnjHandler(cast: Cast): (request: SimRequest) => SimResponse | { hang: true } {
  return (request) => {
    if (request.path !== '/dln1f' || request.method !== 'POST') return { status: 404, body: [{ return_code: 'NOT_FOUND', error_msg: 'Ressource inconnue' }] };
    const pivots = (request.body as { identites_pivot?: unknown } | undefined)?.identites_pivot;
    if (!Array.isArray(pivots) || pivots.length === 0) return { status: 400, body: [{ return_code: 'ERREUR_FORMAT', error_msg: 'identites_pivot attendu' }] };
    const results: unknown[] = [];
    for (const pivot of pivots as Pivot[]) {
      const params = paramsOfPivot(pivot);
      if (params === undefined) {
        results.push({ code: 'ERREUR_FORMAT', identite_pivot: pivot });
        continue;
      }
      const answer = cast.lookUp(OPERATIONS, params);
      if (answer.kind === 'data') {
        const data = answer.data as { statut_service_national: string; commentaires: string | null };
        results.push({ code: 'OK', en_regle: WORDING[data.statut_service_national], identite_pivot: pivot, complement: data.commentaires ?? '' });
      } else if (answer.kind === 'unknown' || answer.status === 404) {
        results.push({ code: 'NON_TROUVE', identite_pivot: pivot });
      } else {
        const failure = failureOf(answer);
        if (failure.kind === 'hang') return { hang: true };
        return { status: failure.status, body: [{ return_code: 'ERREUR_TECHNIQUE', error_msg: 'Erreur technique' }] };
      }
    }
    return { status: 200, body: { return_code: 'OK', results } };
  };
}
