/**
 * Every migration, in order. Static imports so that migrations run under tsx and in a bundle
 * alike, with no directory scan. Add a line per new file; never rename or remove one that has
 * shipped (its name is recorded in `kysely_migration`).
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-tokens-and-journal.ts';

export const migrations: Record<string, Migration> = {
  '0001-tokens-and-journal': m0001,
};
