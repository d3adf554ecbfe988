/**
 * Journal retention (issue 6 §1, docs/adr/0091-journal-retention.md): deletes the rows older than
 * the retention period, segment by segment, from the start of each chain, in batches. Each batch is
 * one transaction that deletes a prefix of a segment and moves the segment's anchor to the hash of
 * the last deleted row, so `journal verify` still starts from a known hash and still detects a
 * removal in the middle.
 *
 * A segment is cut at its first row that must be kept: a row written out of time order (clock
 * step) is kept with the newer ones rather than leave a hole in the chain.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';

export interface RetentionOptions {
  /** Rows strictly older than `now - retentionDays` go. */
  retentionDays: number;
  now: Date;
  /** Rows per delete transaction (default 5 000): keeps locks and WAL bursts short. */
  batchSize?: number;
}

export interface RetentionReport {
  cutoff: Date;
  deleted: number;
  batches: number;
}

const DAY_MS = 86_400_000;

/**
 * @example
 * const { deleted } = await enforceRetention(db, { retentionDays: 365, now: new Date() });
 */
export async function enforceRetention(db: Kysely<Schema>, options: RetentionOptions): Promise<RetentionReport> {
  const batchSize = options.batchSize ?? 5_000;
  const cutoff = new Date(options.now.getTime() - options.retentionDays * DAY_MS);
  const report: RetentionReport = { cutoff, deleted: 0, batches: 0 };
  // Only the segments holding at least one row past the cutoff.
  const { rows: segments } = await sql<{ segment_id: string }>`
    select distinct segment_id from access_journal where at < ${cutoff.toISOString()}::timestamptz and segment_id is not null`.execute(db);
  for (const { segment_id: segment } of segments) {
    const target = await lastDeletableSeq(db, segment, cutoff);
    if (target === undefined) continue;
    for (;;) {
      const deleted = await deleteBatch(db, segment, target, batchSize);
      if (deleted === 0) break;
      report.deleted += deleted;
      report.batches += 1;
    }
  }
  return report;
}

/** The rank before the segment's first row to keep; all rows when none is to be kept. */
async function lastDeletableSeq(db: Kysely<Schema>, segment: string, cutoff: Date): Promise<number | undefined> {
  const { rows } = await sql<{ first_kept: string | null; last: string | null }>`
    select (select min(seq) from access_journal where segment_id = ${segment}::uuid and at >= ${cutoff.toISOString()}::timestamptz) as first_kept,
           (select max(seq) from access_journal where segment_id = ${segment}::uuid) as last`.execute(db);
  const row = rows[0];
  if (row?.last === null || row?.last === undefined) return undefined;
  return row.first_kept === null ? Number(row.last) : Number(row.first_kept) - 1;
}

/** Deletes up to `batchSize` rows of the segment's prefix up to `target` and moves its anchor, atomically. */
async function deleteBatch(db: Kysely<Schema>, segment: string, target: number, batchSize: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Locks the segment's row: a second retention run (another leader after a failover) waits here.
    const head = await trx.selectFrom('journal_segments').select(['anchor_seq']).where('segment_id', '=', segment).forUpdate().executeTakeFirst();
    if (head === undefined) return 0;
    const upTo = Math.min(target, Number(head.anchor_seq) + batchSize);
    if (upTo <= Number(head.anchor_seq)) return 0;
    const last = await trx
      .selectFrom('access_journal')
      .select(['seq', 'hash'])
      .where('segment_id', '=', segment)
      .where('seq', '>', head.anchor_seq)
      .where('seq', '<=', String(upTo))
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    // Nothing between the anchor and upTo: a hole that `journal verify` reports; retention stops there.
    if (last?.hash == null) return 0;
    const result = await trx
      .deleteFrom('access_journal')
      .where('segment_id', '=', segment)
      .where('seq', '<=', String(last.seq))
      .executeTakeFirst();
    await trx.updateTable('journal_segments').set({ anchor_seq: String(last.seq), anchor_hash: last.hash }).where('segment_id', '=', segment).execute();
    return Number(result.numDeletedRows);
  });
}
