/**
 * Params of the MESRI routes: the MESRI variant of the civil-status family (CONTRACT §1.2 "Family B":
 * exactly one first name, sex and birth date required, no nomUsage, no country), the INE, and what
 * MESRI keeps of a FranceConnect identity (CONTRACT §5.2: the country goes).
 */
import { Type } from 'typebox';
import { birthDateRules, civilityFields as f, countrylessBirthPlaceRules, pickParams, pivotParamsWithout } from '../../core/civility.ts';
import type { ParamProblem, QueryParams } from '../../core/endpoint.ts';

export const mesriCivilityParams = Type.Object({
  nomNaissance: f.nomNaissance(),
  // Conformance check 7 (CONTRACT §9): a second value is a 422 00366.
  'prenoms[]': f.prenoms(1, 1),
  anneeDateNaissance: f.anneeDateNaissance(),
  moisDateNaissance: f.moisDateNaissance(),
  jourDateNaissance: f.jourDateNaissance(),
  sexeEtatCivil: f.sexeEtatCivil(),
  codeCogInseeCommuneNaissance: Type.Optional(f.codeCogInseeCommuneNaissance()),
  nomCommuneNaissance: Type.Optional(f.nomCommuneNaissance()),
  codeCogInseeDepartementNaissance: Type.Optional(f.codeCogInseeDepartementNaissance()),
});

/**
 * No country param: any commune param means a birth in France and the kernel's France rules apply
 * (code, or name + department + year); none means a birth abroad.
 */
export function mesriCivilityRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  return [...countrylessBirthPlaceRules(params), ...birthDateRules(params, today)];
}

export const ineParams = Type.Object({ ine: f.ine() });

/**
 * FranceConnect: everything but the country and the usage name. The first names stay a list (all
 * of them, as the official FranceConnect cases key them), although `/identite` takes exactly one.
 */
export const mesriFranceConnectParams = pickParams(pivotParamsWithout('codeCogInseePaysNaissance'));
