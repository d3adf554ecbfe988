/**
 * What a token is for (docs/adr/0163-explorer-token-purge.md): `api` for every token an integrator
 * or an operator holds, `explorer` for the sandbox explorer's one-hour tokens, which a scheduled job
 * deletes a day after they expire. Existing rows become `api`, except those the explorer wrote
 * before this column existed: its owner, its name and its one-hour lifetime, all three (no hand-made
 * token is mistaken for one unless it copies the three, and then it has expired anyway).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tokens')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('api').check(sql`purpose in ('api', 'explorer')`))
    .execute();
  await sql`update tokens set purpose = 'explorer'
    where owner = 'sandbox-explorer' and name = 'Explorateur du bac à sable' and expires_at - created_at = interval '1 hour'`.execute(db);
  // The purge job reads only this: explorer tokens by expiry.
  await db.schema.createIndex('tokens_explorer_expires_idx').on('tokens').column('expires_at').where(sql.ref('purpose'), '=', 'explorer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tokens_explorer_expires_idx').execute();
  await db.schema.alterTable('tokens').dropColumn('purpose').execute();
}
