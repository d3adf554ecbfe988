/**
 * Habilitations (issue 5): requests and their append-only event log, the tokens they issued,
 * prolongations, magic links, expiry notices, vendor templates, and the mail outbox.
 * SQL is kept to the PostgreSQL 15 subset so that PGlite and production PG 15 agree.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('habilitations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('organisation_kind', 'text', (c) => c.notNull())
    .addColumn('siret', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_approved', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('form', 'jsonb', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb')
    .addColumn('vendor_template_id', 'uuid')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('habilitations_status_idx').on('habilitations').columns(['status', 'updated_at']).execute();
  await db.schema.createIndex('habilitations_siret_idx').on('habilitations').column('siret').execute();

  await db.schema
    .createTable('habilitation_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('habilitation_id', 'uuid', (c) => c.notNull().references('habilitations.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('data', 'jsonb')
    .execute();
  await db.schema.createIndex('habilitation_events_habilitation_idx').on('habilitation_events').columns(['habilitation_id', 'id']).execute();
  // Append-only (ADR 0111): the database itself refuses to change or delete an event.
  await sql`create function habilitation_events_append_only() returns trigger language plpgsql as $$
    begin raise exception 'habilitation_events is append-only' using errcode = '55000'; end $$`.execute(db);
  await sql`create trigger habilitation_events_no_change before update or delete on habilitation_events
    for each row execute function habilitation_events_append_only()`.execute(db);
  await sql`create trigger habilitation_events_no_truncate before truncate on habilitation_events
    for each statement execute function habilitation_events_append_only()`.execute(db);

  await db.schema
    .createTable('habilitation_tokens')
    .addColumn('jti', 'uuid', (c) => c.primaryKey().references('tokens.jti'))
    .addColumn('habilitation_id', 'uuid', (c) => c.notNull().references('habilitations.id'))
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('replaced_by', 'uuid')
    .addColumn('revealed_at', 'timestamptz')
    .addColumn('notices_opt_out_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('habilitation_tokens_habilitation_idx').on('habilitation_tokens').column('habilitation_id').execute();

  await db.schema
    .createTable('prolongations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('habilitation_id', 'uuid', (c) => c.notNull().references('habilitations.id'))
    .addColumn('token_jti', 'uuid', (c) => c.notNull().references('tokens.jti'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('contacts', 'jsonb')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('new_token_jti', 'uuid')
    .execute();

  await db.schema
    .createTable('magic_links')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('jti', 'uuid', (c) => c.notNull().references('tokens.jti'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('expiry_notices')
    .addColumn('jti', 'uuid', (c) => c.notNull().references('tokens.jti'))
    .addColumn('days_before', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recipients', sql`text[]`, (c) => c.notNull())
    .addPrimaryKeyConstraint('expiry_notices_pk', ['jti', 'days_before'])
    .execute();

  await db.schema
    .createTable('vendor_templates')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('vendor_siret', 'text', (c) => c.notNull())
    .addColumn('vendor_name', 'text', (c) => c.notNull())
    .addColumn('software_name', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text', (c) => c.notNull())
    .addColumn('prefill', 'jsonb', (c) => c.notNull())
    .addColumn('share_slug', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('recipients', sql`text[]`, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['mail_outbox', 'vendor_templates', 'expiry_notices', 'magic_links', 'prolongations', 'habilitation_tokens']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop table habilitation_events`.execute(db);
  await sql`drop function habilitation_events_append_only()`.execute(db);
  await db.schema.dropTable('habilitations').execute();
}
