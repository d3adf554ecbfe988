/**
 * Results of the status page's active probes (issue 6, item 3; docs/adr/0130-status-api.md): one row
 * per probe, kept 90 days for the uptime history. No personal data: the probe identity is synthetic
 * and is not recorded.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('status_probes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('latency_ms', 'real', (c) => c.notNull())
    /** The contract error code of a failed probe (e.g. `37002`), never an upstream message. */
    .addColumn('error_code', 'text')
    .execute();
  await db.schema.createIndex('status_probes_provider_at_idx').on('status_probes').columns(['provider', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('status_probes').execute();
}
