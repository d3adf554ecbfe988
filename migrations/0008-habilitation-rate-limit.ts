/**
 * A habilitation's rate limit (issue 6 "configurable per habilitation";
 * docs/adr/0117-habilitation-rate-limit.md): set by the instructor at approval or later, copied to
 * every token the habilitation issues. Null keeps the service default (`RATE_LIMIT_PER_SECOND`, 20).
 * The bounds are `TOKEN_RATE_LIMIT_BOUNDS` (src/tokens/token-record.ts), the same as the tokens'
 * CHECK of migration 0005; written out here because a shipped migration never changes.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('habilitations')
    .addColumn('rate_limit_per_second', 'integer', (c) => c.check(sql`rate_limit_per_second between 1 and 10000`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('habilitations').dropColumn('rate_limit_per_second').execute();
}
