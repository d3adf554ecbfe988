/**
 * The people a citizen can log in as on the FranceConnect double: the sandbox's synthetic cast
 * (docs/guides/sandbox-cast.md), read from the fake FranceConnect tokens of
 * `src/sandbox/cases/france_connect/`. Only their identity pivot is used: the double issues its own
 * access tokens, scopes and pairwise subjects. Every person is invented.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseIntrospection } from '../../src/franceconnect/introspection.ts';

/** The sandbox's own fake-token folder. */
export const SANDBOX_FRANCE_CONNECT_DIR = fileURLToPath(new URL('../../src/sandbox/cases/france_connect/', import.meta.url));

/** The FranceConnect identity pivot of one person (OpenID claim names). */
export interface IdentityPivot {
  gender: 'male' | 'female';
  family_name: string;
  given_name: string;
  given_name_array: string[];
  birthdate: string;
  birthplace: string;
  birthcountry: string;
  preferred_username?: string;
}

export interface CastMember {
  /** Stable id: the sandbox token name, e.g. `camille_c2s`. */
  id: string;
  /** What the login page shows, e.g. `Camille Anne LEROY`. */
  label: string;
  identity: IdentityPivot;
}

/**
 * Reads every `*.yaml` of a fake-token folder into cast members, sorted by id. A file that is not a
 * valid fake token is an error: the double must not start with a half-read cast.
 * @example
 * const cast = await loadCast(); // [{ id: 'bernard_msa', label: 'Bernard Jean VIDAL', identity: {…} }, …]
 */
export async function loadCast(dir: string = SANDBOX_FRANCE_CONNECT_DIR): Promise<CastMember[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
  const cast: CastMember[] = [];
  for (const file of files) {
    const doc = parse(await readFile(path.join(dir, file), 'utf8')) as { params?: { token?: unknown }; payload?: unknown };
    const id = doc.params?.token;
    const payload = typeof doc.payload === 'string' ? (JSON.parse(doc.payload) as unknown) : doc.payload;
    const checked = parseIntrospection(payload);
    if (typeof id !== 'string' || 'error' in checked) throw new Error(`${file}: not a fake FranceConnect token`);
    const c = checked.token_introspection;
    const identity: IdentityPivot = {
      gender: c.gender,
      family_name: c.family_name,
      given_name: c.given_name,
      given_name_array: [...c.given_name_array],
      birthdate: c.birthdate,
      birthplace: c.birthplace,
      birthcountry: c.birthcountry,
    };
    if (c.preferred_username !== undefined) identity.preferred_username = c.preferred_username;
    cast.push({ id, label: `${c.given_name} ${c.family_name}`, identity });
  }
  return cast.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
