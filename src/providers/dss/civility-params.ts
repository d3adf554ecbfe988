/**
 * The DSS "Family A" civil-status params (CONTRACT §1.2), shared by every `/v3/dss/…/identite` route,
 * and their rules.
 */
import { Type } from 'typebox';
import { birthDateRules, birthPlaceRules, civilityFields as f } from '../../core/civility.ts';
import type { ParamProblem, QueryParams } from '../../core/endpoint.ts';

export const civilityParams = Type.Object({
  nomNaissance: f.nomNaissance(),
  nomUsage: Type.Optional(f.nomUsage()),
  'prenoms[]': f.prenoms(1, 3),
  anneeDateNaissance: Type.Optional(f.anneeDateNaissance()),
  moisDateNaissance: Type.Optional(f.moisDateNaissance()),
  jourDateNaissance: Type.Optional(f.jourDateNaissance()),
  sexeEtatCivil: f.sexeEtatCivil(),
  codeCogInseePaysNaissance: f.codeCogInseePaysNaissance(),
  codeCogInseeCommuneNaissance: Type.Optional(f.codeCogInseeCommuneNaissance()),
  nomCommuneNaissance: Type.Optional(f.nomCommuneNaissance()),
  codeCogInseeDepartementNaissance: Type.Optional(f.codeCogInseeDepartementNaissance()),
});

export function civilityRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  return [...birthPlaceRules(params), ...birthDateRules(params, today)];
}
