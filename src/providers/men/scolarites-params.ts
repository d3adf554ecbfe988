/**
 * The MEN scolarités params (CONTRACT §1.2, family B "MEN"): civil status without any birth place, the
 * school year, and a search perimeter that is exactly one of an establishment (UAI), a list of BCN
 * departments or a list of BCN academic regions. Decisions: docs/adr/0040-men-scolarites.md.
 */
import { Type } from 'typebox';
import { birthDateRules, civilityFields as f } from '../../core/civility.ts';
import type { ErrorDefinition } from '../../core/errors.ts';
import type { ParamProblem, QueryParams } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { menErrors } from './errors.ts';

/** The CNED (distance learning) UAI: valid although absent from the education directory (CONTRACT §1.2). */
export const CNED_UAI = '0861288H';

/** School years the gateway accepts (first year of `AAAA-AAAA`, or `AAAA`). */
const SCHOOL_YEAR_MIN = 2000;
const SCHOOL_YEAR_MAX = 2099;

const PERIMETER = ['codeEtablissement', 'codesBcnDepartements[]', 'codesBcnRegions[]'] as const;

export const scolaritesParams = Type.Object({
  nomNaissance: f.nomNaissance(),
  'prenoms[]': f.prenoms(1, 3),
  sexeEtatCivil: f.sexeEtatCivil(),
  anneeDateNaissance: Type.Integer({ minimum: 1900, maximum: 2100, description: '**Année de naissance** de l’élève.', examples: [2012] }),
  moisDateNaissance: f.moisDateNaissance(),
  jourDateNaissance: f.jourDateNaissance(),
  anneeScolaire: Type.String({
    pattern: '^[0-9]{4}(-[0-9]{4})?$',
    description:
      '**Année scolaire recherchée**, au format `AAAA-AAAA` (deux années consécutives, `2025-2026`) ou `AAAA` : l’année de la rentrée (`2025` = `2025-2026`). Le ministère connaît surtout l’année en cours, parfois l’année à venir.',
    examples: ['2025-2026'],
  }),
  codeEtablissement: Type.Optional(
    Type.String({
      pattern: '^[0-9]{7}[A-Z]$',
      description:
        '**Code UAI de l’établissement** (7 chiffres et une lettre majuscule ; les 3 premiers chiffres sont le département), retrouvable avec l’API « Annuaire de l’éducation nationale ». Le CNED (`0861288H`) est accepté bien qu’absent de l’annuaire. Exactement un périmètre parmi `codeEtablissement`, `codesBcnDepartements[]` et `codesBcnRegions[]`.',
      examples: ['0210015C'],
    }),
  ),
  degreEtablissement: Type.Optional(
    Type.Unsafe<'1D' | '2D'>({
      type: 'string',
      enum: ['1D', '2D'],
      description: '**Degré de l’établissement** : `1D` pour le premier degré (écoles maternelles et élémentaires), `2D` pour le second degré (collèges et lycées).',
      examples: ['2D'],
    }),
  ),
  'codesBcnDepartements[]': Type.Optional(
    Type.Array(Type.String({ pattern: '^[0-9]{2}[0-9AB]$' }), {
      minItems: 1,
      maxItems: 110,
      description:
        '**Départements du périmètre de recherche**, codes à 3 caractères de la BCN (table N_DEPARTEMENT : `069` Rhône, `02A` Corse-du-Sud, `974` La Réunion) : `codesBcnDepartements[]=069&codesBcnDepartements[]=001`. Exactement un périmètre parmi `codeEtablissement`, `codesBcnDepartements[]` et `codesBcnRegions[]`.',
      examples: [['069']],
    }),
  ),
  'codesBcnRegions[]': Type.Optional(
    Type.Array(Type.String({ pattern: '^[0-9]{2}$' }), {
      minItems: 1,
      maxItems: 20,
      description:
        '**Régions académiques du périmètre de recherche**, codes à 2 chiffres de la BCN (table N_REGION_ACADEMIQUE : `84` Auvergne-Rhône-Alpes, `11` Île-de-France) : `codesBcnRegions[]=84`. Exactement un périmètre parmi `codeEtablissement`, `codesBcnDepartements[]` et `codesBcnRegions[]`.',
      examples: [['84']],
    }),
  ),
});

/** `AAAA-AAAA` must be two consecutive years, both forms within the accepted range. */
function schoolYearRules(params: QueryParams): ParamProblem[] {
  const value = params.anneeScolaire;
  if (typeof value !== 'string') return [];
  const [first, second] = value.split('-').map(Number) as [number, number | undefined];
  if (second !== undefined && second !== first + 1) {
    return [{ parameter: 'anneeScolaire', detail: 'Le paramètre anneeScolaire doit désigner deux années consécutives (AAAA-AAAA, par exemple 2025-2026)' }];
  }
  if (first < SCHOOL_YEAR_MIN || first > SCHOOL_YEAR_MAX) {
    return [{ parameter: 'anneeScolaire', detail: `Le paramètre anneeScolaire doit désigner une année scolaire entre ${SCHOOL_YEAR_MIN} et ${SCHOOL_YEAR_MAX}` }];
  }
  return [];
}

/** Exactly one perimeter (OA3 param descriptions; CONTRACT §1.2, conformance check 9). */
function perimeterRules(params: QueryParams): ParamProblem[] {
  const given = PERIMETER.filter((name) => params[name] !== undefined);
  if (given.length === 0) {
    return [
      {
        parameter: 'codeEtablissement',
        detail:
          'Un périmètre de recherche est obligatoire : indiquez exactement un paramètre parmi codeEtablissement, codesBcnDepartements[] et codesBcnRegions[]',
      },
    ];
  }
  if (given.includes('codeEtablissement') && given.length > 1) return [{ parameter: 'codeEtablissement', detail: menErrors.perimeter.detail }];
  if (given.length > 1) {
    return [{ parameter: 'codesBcnRegions[]', detail: 'Les paramètres codesBcnDepartements[] et codesBcnRegions[] sont mutuellement exclusifs : indiquez un seul type de périmètre' }];
  }
  return [];
}

export function scolaritesRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  return [...birthDateRules(params, today), ...schoolYearRules(params), ...perimeterRules(params)];
}

/**
 * The 422 code of each param: `00419` for the perimeter params (whatever the problem), `00301` for the
 * school year and degree (the contract has no code for them), `00366` for the civil status.
 */
export function scolaritesParamError(parameter: string): ErrorDefinition {
  if ((PERIMETER as readonly string[]).includes(parameter)) return menErrors.perimeter;
  if (parameter === 'anneeScolaire' || parameter === 'degreEtablissement') return gatewayErrors.invalidParameter;
  return gatewayErrors.invalidCivility;
}
