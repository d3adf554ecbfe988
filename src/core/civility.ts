/**
 * Civil-status params shared by the `/identite` routes of several providers (CONTRACT §1.2), as
 * field builders — each provider composes its own family (DSS "A", Cnous, MESRI, DSNJ, GIP-MDS, MEN
 * "B") — and the rules a JSON schema cannot say. Wire names, French descriptions for the OpenAPI
 * document; the stricter constraints are explained in docs/adr/0002-validation-and-errors.md.
 */
import { Type, type TSchema } from 'typebox';
import type { ParamProblem, QueryParams } from './endpoint.ts';

export const FRANCE_COG = '99100';

export const civilityFields = {
  nomNaissance: () =>
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        "**Nom de naissance**, également appelé nom de famille : celui de l'acte de naissance, toujours écrit en premier sur la pièce d'identité.",
      examples: ['DURANT'],
    }),
  nomUsage: () =>
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: "**Nom d'usage** (nom d'un époux, d'un parent…), s'il existe. Il n'est jamais identique au nom de naissance.",
      examples: ['DUPONT DURANT'],
    }),
  /** `prenoms[]` with the provider's bounds (1–3 for most, exactly 1 for MESRI). */
  prenoms: (minItems = 1, maxItems = 3) =>
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems,
      maxItems,
      description:
        minItems === maxItems
          ? `**Prénom** : exactement ${maxItems} valeur, \`prenoms[]=PIERRE\`.`
          : `**Liste des prénoms** (${minItems} à ${maxItems}), dans l’ordre de l’état civil : \`prenoms[]=PIERRE&prenoms[]=RICHARD\`. Plusieurs prénoms limitent le risque d’homonymie.`,
      examples: [maxItems === 1 ? ['PIERRE'] : ['PIERRE', 'RICHARD']],
    }),
  anneeDateNaissance: () =>
    Type.Integer({
      minimum: 1900,
      maximum: 2100,
      description:
        "**Année de naissance**. Pour une naissance en France avec `nomCommuneNaissance`, elle permet de retrouver le code COG historique de la commune.",
      examples: [1990],
    }),
  moisDateNaissance: () => Type.Integer({ minimum: 1, maximum: 12, description: '**Mois de naissance** (1 à 12).', examples: [1] }),
  jourDateNaissance: () => Type.Integer({ minimum: 1, maximum: 31, description: '**Jour de naissance** (1 à 31).', examples: [1] }),
  sexeEtatCivil: () =>
    Type.Unsafe<'M' | 'F'>({
      type: 'string',
      enum: ['M', 'F'],
      description: "**Sexe à l'état civil** : `M` (masculin) ou `F` (féminin).",
      examples: ['M'],
    }),
  codeCogInseePaysNaissance: () =>
    Type.String({
      pattern: '^99[0-9]{3}$',
      minLength: 5,
      maxLength: 5,
      description: '**Code COG Insee à 5 chiffres du pays de naissance** ; France = `99100`.',
      examples: ['99100'],
    }),
  codeCogInseeCommuneNaissance: () =>
    Type.String({
      pattern: '^([0-9]{5}|2[AB][0-9]{3})$',
      minLength: 5,
      maxLength: 5,
      description:
        '**Code COG Insee à 5 caractères de la commune de naissance**, pour une naissance en France. Ne pas remplir pour une naissance à l’étranger.',
      examples: ['08480'],
    }),
  nomCommuneNaissance: () =>
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        '**Nom de la commune de naissance** en toutes lettres (autre façon de désigner la commune), avec `codeCogInseeDepartementNaissance` et `anneeDateNaissance`.',
      examples: ['Gennevilliers'],
    }),
  /** CONTRACT §1.2 "Other modalities" (conformance check 8). */
  ine: () =>
    Type.String({
      pattern: '^[0-9a-zA-Z]{11}$',
      description:
        '**Identifiant national étudiant (INE)**, unique pour chaque étudiant en France : 11 caractères, 10 chiffres et 1 lettre, ou depuis la rentrée 2018 9 chiffres et 2 lettres. Il figure sur la carte d’étudiant et le certificat de scolarité.',
      examples: ['1234567890G'],
    }),
  codeCogInseeDepartementNaissance: () =>
    Type.String({
      pattern: '^([0-9]{2,3}|2[AB])$',
      minLength: 2,
      maxLength: 3,
      description: '**Code Insee du département de naissance**, avec `nomCommuneNaissance`.',
      examples: ['92'],
    }),
} satisfies Record<string, (...args: never[]) => TSchema>;

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The birth date, when given, must exist and not be in the future. */
export function birthDateRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  const year = params.anneeDateNaissance as number | undefined;
  const month = params.moisDateNaissance as number | undefined;
  const day = params.jourDateNaissance as number | undefined;
  if (year !== undefined && month !== undefined && day !== undefined && !isRealDate(year, month, day)) {
    return [{ parameter: 'jourDateNaissance', detail: "La date de naissance n'existe pas" }];
  }
  if (year !== undefined && Date.UTC(year, (month ?? 1) - 1, day ?? 1) > today.getTime()) {
    return [{ parameter: 'anneeDateNaissance', detail: 'La date de naissance est dans le futur' }];
  }
  return [];
}

/**
 * Whether the param is given. A function of the module rather than a closure per call: the closure's
 * name, kept by the TypeScript loader, cost a property definition per call.
 */
function has(params: QueryParams, key: string): boolean {
  return params[key] !== undefined;
}

/**
 * CONTRACT §1.2 birth-place rules, for routes that take the country: born in France → the commune by
 * its code, or by the triplet name + department + year; born abroad → no commune at all.
 * `allowCommuneByName: false` for routes that only take the code (DSNJ).
 */
export function birthPlaceRules(params: QueryParams, options: { allowCommuneByName?: boolean } = {}): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const byName = options.allowCommuneByName ?? true;
  if (params.codeCogInseePaysNaissance === FRANCE_COG) {
    const triplet = byName && (has(params, 'nomCommuneNaissance') || has(params, 'codeCogInseeDepartementNaissance'));
    if (!has(params, 'codeCogInseeCommuneNaissance') && !triplet) {
      problems.push({
        parameter: 'codeCogInseeCommuneNaissance',
        detail: byName
          ? 'Pour une personne née en France, indiquez la commune de naissance : codeCogInseeCommuneNaissance, ou nomCommuneNaissance avec codeCogInseeDepartementNaissance et anneeDateNaissance'
          : 'Pour une personne née en France, indiquez la commune de naissance (codeCogInseeCommuneNaissance)',
      });
    }
    if (triplet && !has(params, 'codeCogInseeCommuneNaissance')) {
      for (const key of ['nomCommuneNaissance', 'codeCogInseeDepartementNaissance', 'anneeDateNaissance']) {
        if (!has(params, key)) {
          problems.push({
            parameter: key,
            detail: `Le paramètre ${key} est obligatoire quand la commune de naissance est donnée par son nom (nomCommuneNaissance, codeCogInseeDepartementNaissance et anneeDateNaissance)`,
          });
        }
      }
    }
  } else if (params.codeCogInseePaysNaissance !== undefined) {
    for (const key of ['codeCogInseeCommuneNaissance', 'nomCommuneNaissance', 'codeCogInseeDepartementNaissance']) {
      if (has(params, key)) {
        problems.push({
          parameter: key,
          detail: `Le paramètre ${key} doit rester vide pour une personne née à l'étranger (codeCogInseePaysNaissance différent de 99100)`,
        });
      }
    }
  }
  return problems;
}

/**
 * Birth-place rules for routes that take no country (Cnous, MESRI): a commune param (any of the three)
 * means a birth in France and the France rules apply (code, or name + department + year); none means a
 * birth abroad, or a search without the birth place.
 */
export function countrylessBirthPlaceRules(params: QueryParams): ParamProblem[] {
  const givesCommune = ['codeCogInseeCommuneNaissance', 'nomCommuneNaissance', 'codeCogInseeDepartementNaissance'].some(
    (key) => params[key] !== undefined,
  );
  return givesCommune ? birthPlaceRules({ ...params, codeCogInseePaysNaissance: FRANCE_COG }) : [];
}

/**
 * The params the gateway derives from a FranceConnect identity pivot (CONTRACT §5.2), without the
 * usage name (`preferred_username` is not part of the pivot): what most providers keep, or start from.
 */
export const FRANCE_CONNECT_PIVOT_PARAMS = [
  'nomNaissance',
  'prenoms',
  'anneeDateNaissance',
  'moisDateNaissance',
  'jourDateNaissance',
  'sexeEtatCivil',
  'codeCogInseePaysNaissance',
  'codeCogInseeCommuneNaissance',
] as const;

/** The pivot params minus some keys, e.g. `pivotParamsWithout('codeCogInseePaysNaissance')` for Cnous. */
export function pivotParamsWithout(...keys: Array<(typeof FRANCE_CONNECT_PIVOT_PARAMS)[number]>): string[] {
  return FRANCE_CONNECT_PIVOT_PARAMS.filter((key) => !keys.includes(key));
}

/**
 * Keeps only the given keys of FranceConnect-derived params (CONTRACT §5.2: "each provider keeps only
 * what it needs").
 * @example
 * const gipMds = pickParams(['nomNaissance', 'prenoms', 'anneeDateNaissance', 'moisDateNaissance', 'jourDateNaissance']);
 */
export function pickParams(keys: readonly string[]): (params: QueryParams) => QueryParams {
  return (params) => {
    const out: QueryParams = {};
    for (const key of keys) if (params[key] !== undefined) out[key] = params[key];
    return out;
  };
}
