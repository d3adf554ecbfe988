/**
 * A token's own rate limit (issue 6 "configurable per habilitation"; docs/adr/0008-rate-limits.md).
 * Null keeps the gateway's default of 20 calls per second.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tokens')
    .addColumn('rate_limit_per_second', 'integer', (c) => c.check(sql`rate_limit_per_second between 1 and 10000`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tokens').dropColumn('rate_limit_per_second').execute();
}
