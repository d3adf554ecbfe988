/**
 * FranceConnect's answer to a data provider's token introspection (CONTRACT §5.2), as a TypeBox
 * schema. The live checker receives it from FranceConnect; the sandbox reads it from the `payload`
 * of a `france_connect/` case file (CONTRACT §5.3). Both go through {@link parseIntrospection}, so
 * the rest of the code only ever sees a checked value.
 *
 * Extra claims are tolerated (FranceConnect may add some, e.g. `email`); every claim the contract
 * lists is required except `preferred_username`.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const claims = Type.Object({
  active: Type.Boolean(),
  /** The service provider's FranceConnect client id. */
  aud: Type.String({ minLength: 1 }),
  /** Pairwise subject: stable per (citizen, service provider). */
  sub: Type.String({ minLength: 1 }),
  iat: Type.Number(),
  exp: Type.Number(),
  acr: Type.String(),
  jti: Type.String(),
  /** Space-separated: `openid identite_pivot <data scopes…>`. */
  scope: Type.String(),
  gender: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  family_name: Type.String({ minLength: 1 }),
  given_name: Type.String({ minLength: 1 }),
  given_name_array: Type.Array(Type.String({ minLength: 1 })),
  /** `YYYY-MM-DD`; FranceConnect writes `00` for an unknown month or day (presumed birth dates). */
  birthdate: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
  /** COG code of the birth commune; empty when born abroad. */
  birthplace: Type.String({ pattern: '^([0-9A-Z]{5})?$' }),
  /** COG code of the birth country, `99100` for France. */
  birthcountry: Type.String({ pattern: '^[0-9]{5}$' }),
  /** Usage (e.g. married) name, only when the citizen has one. */
  preferred_username: Type.Optional(Type.String()),
});

/** The introspection envelope: `aud`/`iss` name the data provider, `token_introspection` the citizen. */
export const franceConnectIntrospectionSchema = Type.Object({
  aud: Type.String(),
  iat: Type.Number(),
  iss: Type.String(),
  token_introspection: claims,
});

/** A checked FranceConnect introspection answer (CONTRACT §5.2). */
export type FranceConnectIntrospection = Static<typeof franceConnectIntrospectionSchema>;

const validator = Compile(franceConnectIntrospectionSchema);

/**
 * Checks an untrusted value (parsed JSON) against the introspection schema.
 * Returns the value typed, or `{error}` naming the first problems (paths, never values: they are
 * personal data).
 * @example
 * const checked = parseIntrospection(JSON.parse(body));
 * if ('error' in checked) throw new Error(checked.error);
 * checked.token_introspection.family_name;
 */
export function parseIntrospection(value: unknown): FranceConnectIntrospection | { error: string } {
  if (validator.Check(value)) return value;
  const problems = validator
    .Errors(value)
    // A failed union also reports each failed branch; the union's own message is enough.
    .filter((e) => !/\/anyOf\/[0-9]+$/.test(e.schemaPath))
    .slice(0, 5)
    .map((e) => `${e.instancePath === '' ? '(racine)' : e.instancePath}: ${e.message}`);
  return { error: `introspection FranceConnect invalide : ${problems.join('; ')}` };
}
