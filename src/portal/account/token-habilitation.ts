/**
 * What `/api/introspect` adds for a token issued by a habilitation (issue 5 §8: « the same token
 * metadata for machines »): the habilitation's id and the « to renew » flag the account page shows
 * as a badge. Tokens issued outside habilitations (CLI, demo) get nothing more.
 */
import type { Kysely } from 'kysely';
import { RENEWAL_WINDOW_DAYS, habilitationOfToken } from '../../habilitations/habilitation-tokens.ts';
import { withHabilitationTables } from '../../habilitations/tables.ts';
import type { Schema } from '../../infra/db/schema.ts';

export interface TokenHabilitation {
  habilitation_id: string;
  /** Active, not yet replaced, and expiring within the renewal window. */
  to_renew: boolean;
}

export function tokenHabilitationLookup(deps: { db: Kysely<Schema>; now: () => Date }): (jti: string, expiresAt: Date) => Promise<TokenHabilitation | undefined> {
  const db = withHabilitationTables(deps.db);
  return async (jti, expiresAt) => {
    const habilitationId = await habilitationOfToken(db, jti);
    if (habilitationId === undefined) return undefined;
    const link = await db.selectFrom('habilitation_tokens').select('replaced_by').where('jti', '=', jti).executeTakeFirst();
    const left = expiresAt.getTime() - deps.now().getTime();
    return { habilitation_id: habilitationId, to_renew: (link?.replaced_by ?? null) === null && left <= RENEWAL_WINDOW_DAYS * 86_400_000 };
  };
}
