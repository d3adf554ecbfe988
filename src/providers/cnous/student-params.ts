/**
 * Params of the Cnous routes: the Cnous variant of the civil-status family (CONTRACT §1.2 "Family B":
 * no nomUsage, no country, sex optional, birth date required), the INE, and how a FranceConnect
 * identity becomes Cnous params (CONTRACT §5.2; docs/adr/0021-cnous-franceconnect-and-v4.md).
 */
import { Type } from 'typebox';
import { birthDateRules, civilityFields as f, countrylessBirthPlaceRules, pickParams, pivotParamsWithout } from '../../core/civility.ts';
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
  return [...countrylessBirthPlaceRules(params), ...birthDateRules(params, today)];
}

export const ineParams = Type.Object({ ine: f.ine() });

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
