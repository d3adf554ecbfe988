/**
 * Issue 6: the journal's hash chain (docs/adr/0090-journal-hash-chain.md), the columns the issue asks
 * for that 0001 lacked (habilitation id, FranceConnect `sub` pseudonym), the indexes retention and
 * the DPO export need, and the daily statistics rollup (docs/adr/0093-statistics-rollups.md).
 * Rows written before this migration are chained into one segment here, so `journal verify` covers them.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { chainHash, GENESIS_HASH } from '../src/journal/chain.ts';

interface LegacyRow {
  id: string;
  request_id: string;
  at: Date;
  token_jti: string | null;
  recipient: string | null;
  route: string;
  operation_id: string;
  modality: string;
  status: number;
  error_code: string | null;
  latency_ms: number;
  provider_latency_ms: number | null;
  person_pseudonym: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against the schema of their time
async function chainLegacyRows(db: Kysely<any>): Promise<void> {
  const segment = randomUUID();
  let previous = GENESIS_HASH;
  let seq = 0;
  let lastId = '0';
  for (;;) {
    const { rows } = await sql<LegacyRow>`
      select * from access_journal where segment_id is null and id > ${lastId}::bigint order by id limit 1000`.execute(db);
    if (rows.length === 0) break;
    const ids: string[] = [];
    const seqs: number[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      seq += 1;
      previous = chainHash(previous, { ...row, segment_id: segment, seq, habilitation_id: null, fc_sub_pseudonym: null });
      ids.push(row.id);
      seqs.push(seq);
      hashes.push(previous);
      lastId = row.id;
    }
    await sql`
      update access_journal j set segment_id = ${segment}::uuid, seq = u.seq, hash = u.hash
      from unnest(${ids}::bigint[], ${seqs}::bigint[], ${hashes}::text[]) as u(id, seq, hash)
      where j.id = u.id`.execute(db);
  }
  if (seq > 0) {
    await sql`
      insert into journal_segments (segment_id, last_seq, last_hash, anchor_seq, anchor_hash)
      values (${segment}::uuid, ${seq}, ${previous}, 0, ${GENESIS_HASH})`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema type exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('access_journal')
    // Nullable until the habilitations table exists (migration 0004); then filled by the data route.
    .addColumn('habilitation_id', 'text')
    .addColumn('fc_sub_pseudonym', 'text')
    .addColumn('segment_id', 'uuid')
    .addColumn('seq', 'bigint')
    .addColumn('hash', 'text')
    .execute();
  await db.schema.createIndex('access_journal_segment_seq_idx').on('access_journal').columns(['segment_id', 'seq']).unique().execute();
  await db.schema.createIndex('access_journal_at_idx').on('access_journal').column('at').execute();

  // One row per writer segment: its head (last row) and its anchor (where retention cut it).
  await db.schema
    .createTable('journal_segments')
    .addColumn('segment_id', 'uuid', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .addColumn('anchor_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('anchor_hash', 'text', (c) => c.notNull().defaultTo(GENESIS_HASH))
    .execute();
  await chainLegacyRows(db);

  await db.schema
    .createTable('stats_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('token_jti', 'uuid')
    .addColumn('operation_id', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'smallint', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('latency_sum_ms', 'double precision', (c) => c.notNull())
    .addColumn('latency_max_ms', 'real', (c) => c.notNull())
    // Calls per latency bucket, bounds in src/stats/latency-buckets.ts.
    .addColumn('latency_buckets', sql`integer[]`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stats_daily_day_idx').on('stats_daily').columns(['day', 'token_jti']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stats_daily').execute();
  await db.schema.dropTable('journal_segments').execute();
  await db.schema.dropIndex('access_journal_at_idx').execute();
  await db.schema.dropIndex('access_journal_segment_seq_idx').execute();
  await db.schema
    .alterTable('access_journal')
    .dropColumn('hash')
    .dropColumn('seq')
    .dropColumn('segment_id')
    .dropColumn('fc_sub_pseudonym')
    .dropColumn('habilitation_id')
    .execute();
}
