/**
 * Every migration, in order. Static imports so that migrations run under tsx and in a bundle
 * alike, with no directory scan. Add a line per new file; never rename or remove one that has
 * shipped (its name is recorded in `kysely_migration`).
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-tokens-and-journal.ts';
import * as m0002 from './0002-journal-chain-and-stats.ts';
import * as m0003 from './0003-portal-sessions.ts';
import * as m0004 from './0004-habilitations.ts';
import * as m0005 from './0005-token-rate-limit.ts';
import * as m0006 from './0006-status-probes.ts';
import * as m0007 from './0007-portal-forms.ts';
import * as m0008 from './0008-habilitation-rate-limit.ts';
import * as m0009 from './0009-token-purpose.ts';

export const migrations: Record<string, Migration> = {
  '0001-tokens-and-journal': m0001,
  '0002-journal-chain-and-stats': m0002,
  '0003-portal-sessions': m0003,
  '0004-habilitations': m0004,
  '0005-token-rate-limit': m0005,
  '0006-status-probes': m0006,
  '0007-portal-forms': m0007,
  '0008-habilitation-rate-limit': m0008,
  '0009-token-purpose': m0009,
};
