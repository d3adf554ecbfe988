/**
 * The citizen behind a FranceConnect token, and how that identity becomes the provider's civility
 * params (CONTRACT §5.2 step 3). FranceConnect is a credential strategy (STYLE §7): the caller sends
 * no identity params, the gateway derives them from here, then the route runs as `/identite` does.
 */
import type { FranceConnectIntrospection } from './introspection.ts';

/** COG code of France as a birth country. */
const FRANCE = '99100';

/**
 * Scope values that describe the identity itself rather than a data scope (CONTRACT §5.1): the
 * OpenID ones, the `identite_pivot` alias and the individual pivot claims it stands for.
 */
const IDENTITY_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'identite_pivot',
  'profile',
  'given_name',
  'family_name',
  'birthdate',
  'gender',
  'birthplace',
  'birthcountry',
  'preferred_username',
]);

/** A FranceConnect-authenticated citizen, in the gateway's own words. */
export interface FranceConnectIdentity {
  /** The service provider's FranceConnect client id (`token_introspection.aud`). */
  clientId: string;
  /** Pairwise subject (`token_introspection.sub`). */
  sub: string;
  /** Data scopes the citizen consented to, without `openid`, `identite_pivot` and pivot claims. */
  scopes: string[];
  /** Birth (family) name. */
  familyName: string;
  /** Usage name, only when FranceConnect gives one. */
  preferredUsername?: string;
  givenNames: string[];
  /** `YYYY-MM-DD`, month and day may be `00` when unknown. */
  birthdate: string;
  gender: 'male' | 'female';
  /** COG code of the birth commune; `''` when born abroad. */
  birthplace: string;
  /** COG code of the birth country (`99100` = France). */
  birthcountry: string;
}

/** Splits on any run of whitespace, dropping empty pieces. */
function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/**
 * Reads the identity out of a checked introspection answer.
 * First names come from `given_name_array`, or from `given_name` split on spaces when the array is
 * empty (CONTRACT §5.2 table).
 * @example
 * identityFromIntrospection(introspection).scopes; // ['complementaire_sante_solidaire']
 */
export function identityFromIntrospection(introspection: FranceConnectIntrospection): FranceConnectIdentity {
  const claims = introspection.token_introspection;
  const givenNames = claims.given_name_array.length > 0 ? [...claims.given_name_array] : words(claims.given_name);
  const identity: FranceConnectIdentity = {
    clientId: claims.aud,
    sub: claims.sub,
    scopes: [...new Set(words(claims.scope).filter((s) => !IDENTITY_SCOPES.has(s)))],
    familyName: claims.family_name,
    givenNames,
    birthdate: claims.birthdate,
    gender: claims.gender,
    birthplace: claims.birthplace,
    birthcountry: claims.birthcountry,
  };
  const usage = claims.preferred_username?.trim();
  if (usage !== undefined && usage !== '') identity.preferredUsername = usage;
  return identity;
}

/**
 * Maps an identity to the DSS "Family A" civility params (CONTRACT §1.2, §5.2), under their bare
 * names (`prenoms`, not `prenoms[]`), as the sandbox matcher and the providers expect them.
 *
 * - `nomUsage` only when FranceConnect gives a `preferred_username`;
 * - the date parts are numbers; an unknown month (`00`) drops month and day, an unknown day drops
 *   the day — the providers then match on what is known, as for an `/identite` call;
 * - `codeCogInseeCommuneNaissance` only for a birth in France with a known commune: a person born
 *   abroad is identified by the country alone (CONTRACT §1.2 birth-place rules).
 *
 * Each provider keeps what it needs from the result (e.g. GIP-MDS drops the birth place).
 * @example
 * civilityParamsFromIdentity(identity);
 * // { nomNaissance: 'LEROY', prenoms: ['Camille', 'Anne'], anneeDateNaissance: 1988,
 * //   moisDateNaissance: 3, jourDateNaissance: 14, sexeEtatCivil: 'F',
 * //   codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '69123' }
 */
export function civilityParamsFromIdentity(identity: FranceConnectIdentity): Record<string, string | number | string[]> {
  const params: Record<string, string | number | string[]> = {
    nomNaissance: identity.familyName,
    prenoms: [...identity.givenNames],
  };
  if (identity.preferredUsername !== undefined) params.nomUsage = identity.preferredUsername;

  const [year, month, day] = identity.birthdate.split('-').map(Number);
  if (year !== undefined && year > 0) {
    params.anneeDateNaissance = year;
    if (month !== undefined && month > 0) {
      params.moisDateNaissance = month;
      if (day !== undefined && day > 0) params.jourDateNaissance = day;
    }
  }

  params.sexeEtatCivil = identity.gender === 'female' ? 'F' : 'M';
  params.codeCogInseePaysNaissance = identity.birthcountry;
  if (identity.birthcountry === FRANCE && identity.birthplace !== '') {
    params.codeCogInseeCommuneNaissance = identity.birthplace;
  }
  return params;
}
