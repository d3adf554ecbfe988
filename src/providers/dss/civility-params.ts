/**
 * The DSS "Family A" civil-status params (CONTRACT §1.2), shared by every `/v3/dss/…/identite` route,
 * and their birth-place rules.
 */
import { Type } from 'typebox';
import type { ParamProblem, QueryParams } from '../../core/endpoint.ts';

const FRANCE = '99100';

export const civilityParams = Type.Object({
  nomNaissance: Type.String({
    minLength: 1,
    maxLength: 100,
    description:
      "**Nom de naissance**, également appelé nom de famille : celui de l'acte de naissance, toujours écrit en premier sur la pièce d'identité.",
    examples: ['DURANT'],
  }),
  nomUsage: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        "**Nom d'usage** (nom d'un époux, d'un parent…), s'il existe. Il n'est jamais identique au nom de naissance.",
      examples: ['DUPONT DURANT'],
    }),
  ),
  'prenoms[]': Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    minItems: 1,
    maxItems: 3,
    description:
      '**Liste des prénoms** (1 à 3), dans l’ordre de l’état civil : `prenoms[]=PIERRE&prenoms[]=RICHARD`. Plusieurs prénoms limitent le risque d’homonymie.',
    examples: [['PIERRE', 'RICHARD']],
  }),
  anneeDateNaissance: Type.Optional(
    Type.Integer({
      minimum: 1900,
      maximum: 2100,
      description:
        "**Année de naissance**. Obligatoire avec `nomCommuneNaissance` (avec `codeCogInseeDepartementNaissance`) pour retrouver le code COG historique de la commune.",
      examples: [1990],
    }),
  ),
  moisDateNaissance: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 12, description: '**Mois de naissance** (1 à 12). Ignoré sans l’année.', examples: [1] }),
  ),
  jourDateNaissance: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 31, description: '**Jour de naissance** (1 à 31). Ignoré sans le mois ou l’année.', examples: [1] }),
  ),
  sexeEtatCivil: Type.Unsafe<'M' | 'F'>({
    type: 'string',
    enum: ['M', 'F'],
    description: "**Sexe à l'état civil** : `M` (masculin) ou `F` (féminin).",
    examples: ['M'],
  }),
  codeCogInseePaysNaissance: Type.String({
    pattern: '^99[0-9]{3}$',
    minLength: 5,
    maxLength: 5,
    description: '**Code COG Insee à 5 chiffres du pays de naissance** ; France = `99100`.',
    examples: ['99100'],
  }),
  codeCogInseeCommuneNaissance: Type.Optional(
    Type.String({
      pattern: '^([0-9]{5}|2[AB][0-9]{3})$',
      minLength: 5,
      maxLength: 5,
      description:
        '**Code COG Insee à 5 caractères de la commune de naissance** (option 1 pour une naissance en France). Ne pas remplir pour une naissance à l’étranger.',
      examples: ['08480'],
    }),
  ),
  nomCommuneNaissance: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        '**Nom de la commune de naissance** en toutes lettres (option 2 pour une naissance en France), avec `codeCogInseeDepartementNaissance` et `anneeDateNaissance`.',
      examples: ['Gennevilliers'],
    }),
  ),
  codeCogInseeDepartementNaissance: Type.Optional(
    Type.String({
      pattern: '^([0-9]{2,3}|2[AB])$',
      minLength: 2,
      maxLength: 3,
      description: '**Code Insee du département de naissance**, avec `nomCommuneNaissance` (option 2).',
      examples: ['92'],
    }),
  ),
});

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Birth-place and birth-date rules of CONTRACT §1.2: born in France → the commune by its code, or by
 * the triplet name + department + year; born abroad → no commune at all.
 */
export function civilityRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const has = (key: string): boolean => params[key] !== undefined;
  const year = params.anneeDateNaissance as number | undefined;
  const month = params.moisDateNaissance as number | undefined;
  const day = params.jourDateNaissance as number | undefined;

  if (params.codeCogInseePaysNaissance === FRANCE) {
    const triplet = has('nomCommuneNaissance') || has('codeCogInseeDepartementNaissance');
    if (!has('codeCogInseeCommuneNaissance') && !triplet) {
      problems.push({
        parameter: 'codeCogInseeCommuneNaissance',
        detail:
          'Pour une personne née en France, indiquez la commune de naissance : codeCogInseeCommuneNaissance, ou nomCommuneNaissance avec codeCogInseeDepartementNaissance et anneeDateNaissance',
      });
    }
    if (triplet && !has('codeCogInseeCommuneNaissance')) {
      for (const key of ['nomCommuneNaissance', 'codeCogInseeDepartementNaissance', 'anneeDateNaissance']) {
        if (!has(key)) {
          problems.push({
            parameter: key,
            detail: `Le paramètre ${key} est obligatoire quand la commune de naissance est donnée par son nom (nomCommuneNaissance, codeCogInseeDepartementNaissance et anneeDateNaissance)`,
          });
        }
      }
    }
  } else {
    for (const key of ['codeCogInseeCommuneNaissance', 'nomCommuneNaissance', 'codeCogInseeDepartementNaissance']) {
      if (has(key)) {
        problems.push({
          parameter: key,
          detail: `Le paramètre ${key} doit rester vide pour une personne née à l'étranger (codeCogInseePaysNaissance différent de 99100)`,
        });
      }
    }
  }

  if (year !== undefined && month !== undefined && day !== undefined && !isRealDate(year, month, day)) {
    problems.push({ parameter: 'jourDateNaissance', detail: "La date de naissance n'existe pas" });
  } else if (year !== undefined && Date.UTC(year, (month ?? 1) - 1, day ?? 1) > today.getTime()) {
    problems.push({ parameter: 'anneeDateNaissance', detail: 'La date de naissance est dans le futur' });
  }
  return problems;
}
