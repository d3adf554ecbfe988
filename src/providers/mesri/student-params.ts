/**
 * Params of the MESRI routes: the MESRI variant of the civil-status family (CONTRACT §1.2 "Family B":
 * exactly one first name, sex and birth date required, no nomUsage, no country), the INE, and what
 * MESRI keeps of a FranceConnect identity (CONTRACT §5.2: the country goes).
 */
import { Type } from 'typebox';
import { birthDateRules, birthPlaceRules, civilityFields as f, FRANCE_COG, pickParams, pivotParamsWithout } from '../../core/civility.ts';
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
  const givesCommune = ['codeCogInseeCommuneNaissance', 'nomCommuneNaissance', 'codeCogInseeDepartementNaissance'].some(
    (key) => params[key] !== undefined,
  );
  const place = givesCommune ? birthPlaceRules({ ...params, codeCogInseePaysNaissance: FRANCE_COG }) : [];
  return [...place, ...birthDateRules(params, today)];
}

export const ineParams = Type.Object({
  ine: Type.String({
    // Conformance check 8 (CONTRACT §9).
    pattern: '^[0-9a-zA-Z]{11}$',
    description:
      '**Identifiant national étudiant (INE)**, unique pour chaque étudiant en France : 11 caractères, 10 chiffres et 1 lettre, ou depuis la rentrée 2018 9 chiffres et 2 lettres. Il figure sur la carte d’étudiant et le certificat de scolarité.',
    examples: ['1234567890G'],
  }),
});

/**
 * FranceConnect: everything but the country and the usage name. The first names stay a list (all
 * of them, as the official FranceConnect cases key them), although `/identite` takes exactly one.
 */
export const mesriFranceConnectParams = pickParams(pivotParamsWithout('codeCogInseePaysNaissance'));
