/**
 * Deletes the sandbox explorer's tokens a day after they expire (docs/adr/0163-explorer-token-purge.md).
 * The explorer issues one-hour tokens (`purpose: explorer`) as visitors tick scopes; without this
 * their rows would pile up in `tokens` for ever. Tokens of any other purpose are never touched.
 *
 * Why deleting changes no answer: a token is only deleted once its JWT's `exp` has passed, and the
 * verifier rejects an expired JWT with 401 `00103` before it looks for the row
 * (src/tokens/token-verifier.ts), revoked or not, so the bearer keeps getting exactly the answer it
 * got the day before. The journal keeps the token's id in its rows (no foreign key, and the id is
 * part of each row's hash), so `journal verify` is unaffected.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';

/** Deleted this long after expiry: a margin over clock skew between instances, and a day to look at one. */
export const EXPLORER_TOKEN_GRACE_MS = 24 * 3600_000;

export interface ExplorerTokenPurgeOptions {
  now: Date;
  /** Default {@link EXPLORER_TOKEN_GRACE_MS}. */
  graceMs?: number;
  /** Rows per delete statement (default 1 000): short locks even after a long pause. */
  batchSize?: number;
}

export interface ExplorerTokenPurgeReport {
  /** Tokens that expired before this instant were deleted. */
  cutoff: Date;
  purged: number;
}

/**
 * @example
 * const { purged } = await purgeExplorerTokens(db, { now: new Date() });
 */
export async function purgeExplorerTokens(db: Kysely<Schema>, options: ExplorerTokenPurgeOptions): Promise<ExplorerTokenPurgeReport> {
  const graceMs = options.graceMs ?? EXPLORER_TOKEN_GRACE_MS;
  const batchSize = options.batchSize ?? 1_000;
  if (!(graceMs >= 0)) throw new TypeError('graceMs must be zero or more');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TypeError('batchSize must be a positive integer');
  const cutoff = new Date(options.now.getTime() - graceMs);
  let purged = 0;
  for (;;) {
    const result = await db
      .deleteFrom('tokens')
      .where('jti', 'in', (eb) =>
        eb
          .selectFrom('tokens')
          .select('jti')
          .where('purpose', '=', 'explorer')
          .where('expires_at', '<', cutoff)
          .limit(batchSize),
      )
      // Checked again on the deleted row itself: the subquery's snapshot must not widen the rule.
      .where('purpose', '=', 'explorer')
      .where('expires_at', '<', cutoff)
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    purged += deleted;
    if (deleted < batchSize) break;
  }
  return { cutoff, purged };
}

/** The purge as a scheduler job (src/jobs/service-jobs.ts): hourly, on the leader instance only. */
export function explorerTokenPurgeJob(db: Kysely<Schema>): { name: string; everyMs: number; run: (now: Date) => Promise<{ purged: number }> } {
  return {
    name: 'explorer-token-purge',
    everyMs: 3_600_000,
    // The log line gets the count only: a token id is not secret, but there is nothing to read in a list of them.
    run: async (now) => ({ purged: (await purgeExplorerTokens(db, { now })).purged }),
  };
}

