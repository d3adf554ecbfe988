/**
 * The portal's forms (issue 7 item 4): newsletter subscriptions with double opt-in, and the secure
 * transfer messages, stored encrypted (AES-256-GCM) and purged after SECURE_TRANSFER_RETENTION_DAYS.
 * Only hashes of the confirmation tokens are stored. docs/adr/0143-secure-transfer-form.md,
 * docs/adr/0144-newsletter-double-opt-in.md.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('newsletter_subscriptions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'confirmed')`))
    .addColumn('confirm_token_hash', 'text')
    .addColumn('confirm_expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('newsletter_subscriptions_confirm_idx').on('newsletter_subscriptions').column('confirm_token_hash').execute();

  await db.schema
    .createTable('secure_transfers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('purge_at', 'timestamptz', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz')
    .addColumn('read_by', 'text')
    .execute();
  await db.schema.createIndex('secure_transfers_purge_at_idx').on('secure_transfers').column('purge_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('secure_transfers').execute();
  await db.schema.dropTable('newsletter_subscriptions').execute();
}
