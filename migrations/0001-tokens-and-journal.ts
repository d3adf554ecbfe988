/**
 * First schema: tokens and the access journal.
 * SQL is kept to the PostgreSQL 15 subset so that PGlite (PG 18) and production PG 15 agree.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tokens')
    .addColumn('jti', 'uuid', (c) => c.primaryKey())
    .addColumn('uid', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('modalities', sql`text[]`, (c) => c.notNull())
    .addColumn('fc_client_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('tokens_fc_client_ids_idx')
    .on('tokens')
    .using('gin')
    .column('fc_client_ids')
    .execute();

  await db.schema
    .createTable('access_journal')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('token_jti', 'uuid')
    .addColumn('recipient', 'text')
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('operation_id', 'text', (c) => c.notNull())
    .addColumn('modality', 'text', (c) => c.notNull())
    .addColumn('status', 'smallint', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('latency_ms', 'real', (c) => c.notNull())
    .addColumn('provider_latency_ms', 'real')
    .addColumn('person_pseudonym', 'text')
    .execute();
  await db.schema.createIndex('access_journal_token_at_idx').on('access_journal').columns(['token_jti', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('access_journal').execute();
  await db.schema.dropTable('tokens').execute();
}
