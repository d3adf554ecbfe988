/**
 * Params of the Cnous routes: the Cnous variant of the civil-status family (CONTRACT §1.2 "Family B":
 * no nomUsage, no country, sex optional, birth date required), the INE, and how a FranceConnect
 * identity becomes Cnous params (CONTRACT §5.2; docs/adr/0021-cnous-franceconnect-and-v4.md).
 */
import { Type } from 'typebox';
import { birthDateRules, birthPlaceRules, civilityFields as f, FRANCE_COG, pickParams, pivotParamsWithout } from '../../core/civility.ts';
import type { ParamProblem, QueryParams } from '../../core/endpoint.ts';

export const cnousCivilityParams = Type.Object({
  nomNaissance: f.nomNaissance(),
  'prenoms[]': f.prenoms(1, 3),
  anneeDateNaissance: f.anneeDateNaissance(),
  moisDateNaissance: f.moisDateNaissance(),
  jourDateNaissance: f.jourDateNaissance(),
  sexeEtatCivil: Type.Optional(f.sexeEtatCivil()),
  codeCogInseeCommuneNaissance: Type.Optional(f.codeCogInseeCommuneNaissance()),
  nomCommuneNaissance: Type.Optional(f.nomCommuneNaissance()),
  codeCogInseeDepartementNaissance: Type.Optional(f.codeCogInseeDepartementNaissance()),
});

/**
 * The route takes no country: a commune param (any of the three) means a birth in France, and the
 * kernel's France rules apply (code, or name + department + year); no commune param means a birth
 * abroad, or a search without the birth place.
 */
export function cnousCivilityRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  const givesCommune = ['codeCogInseeCommuneNaissance', 'nomCommuneNaissance', 'codeCogInseeDepartementNaissance'].some(
    (key) => params[key] !== undefined,
  );
  const place = givesCommune ? birthPlaceRules({ ...params, codeCogInseePaysNaissance: FRANCE_COG }) : [];
  return [...place, ...birthDateRules(params, today)];
}

export const ineParams = Type.Object({
  ine: Type.String({
    pattern: '^[0-9a-zA-Z]{11}$',
    description:
      '**Identifiant national étudiant (INE)**, unique pour chaque étudiant en France : 11 caractères, 10 chiffres et 1 lettre, ou depuis la rentrée 2018 9 chiffres et 2 lettres. Il figure sur la carte d’étudiant et le certificat de scolarité.',
    examples: ['1234567890G'],
  }),
});

/** What Cnous needs of a FranceConnect identity: neither the country nor a usage name (CONTRACT §5.2). */
const keepForCnous = pickParams(pivotParamsWithout('codeCogInseePaysNaissance'));

/** v4: the first names stay a list, as on `/identite`. */
export const cnousV4FranceConnectParams = keepForCnous;

/** v3: the Cnous v3 interface takes the first names as one space-separated string (CONTRACT §5.2). */
export function cnousV3FranceConnectParams(identity: QueryParams): QueryParams {
  const params = keepForCnous(identity);
  if (Array.isArray(params.prenoms)) params.prenoms = params.prenoms.join(' ');
  return params;
}
