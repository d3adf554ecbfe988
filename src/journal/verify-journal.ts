/**
 * `journal verify` (issue 6 §1): walks every segment of the hash chain from its anchor to its
 * recorded head and reports every row that was altered, removed, added or moved
 * (docs/adr/0090-journal-hash-chain.md). Reads one snapshot (REPEATABLE READ), so writers and the
 * retention job may run meanwhile without false alarms.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';
import { chainHash, type ChainedFields } from './chain.ts';

export type ProblemKind =
  /** The row's hash is not SHA-256(previous hash ‖ its content): altered, or not at its place. */
  | 'hash-mismatch'
  /** Ranks missing between the anchor and the head: rows removed. */
  | 'missing'
  /** A row before the anchor or after the head: added, or moved in from elsewhere. */
  | 'unexpected'
  /** The last row is not the head recorded with the segment. */
  | 'head-mismatch'
  /** A row outside any chain (no segment, or a segment with no recorded head). */
  | 'unchained';

export interface VerifyProblem {
  kind: ProblemKind;
  segment: string | null;
  /** Rank in the segment, or the first missing rank. */
  seq: number | null;
  /** The journal row's request id when there is a row. */
  requestId: string | null;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  segments: number;
  rows: number;
  problemCount: number;
  /** The first problems found (at most `maxProblems`). */
  problems: VerifyProblem[];
}

interface Row extends ChainedFields {
  hash: string | null;
}

/**
 * @example
 * const report = await verifyJournal(database.db);
 * if (!report.ok) for (const p of report.problems) console.log(p.kind, p.segment, p.seq, p.detail);
 */
export async function verifyJournal(db: Kysely<Schema>, options: { pageSize?: number; maxProblems?: number } = {}): Promise<VerifyReport> {
  const pageSize = options.pageSize ?? 5_000;
  const maxProblems = options.maxProblems ?? 100;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const report: VerifyReport = { ok: true, segments: 0, rows: 0, problemCount: 0, problems: [] };
      const flag = (problem: VerifyProblem): void => {
        report.ok = false;
        report.problemCount += 1;
        if (report.problems.length < maxProblems) report.problems.push(problem);
      };
      const segments = await trx.selectFrom('journal_segments').selectAll().orderBy('started_at').orderBy('segment_id').execute();
      for (const segment of segments) {
        report.segments += 1;
        report.rows += await verifySegment(trx, segment, pageSize, flag);
      }
      report.rows += await flagUnchained(trx, flag);
      return report;
    });
}

async function verifySegment(
  trx: Transaction<Schema>,
  segment: { segment_id: string; last_seq: string; last_hash: string; anchor_seq: string; anchor_hash: string },
  pageSize: number,
  flag: (problem: VerifyProblem) => void,
): Promise<number> {
  const id = segment.segment_id;
  const anchorSeq = Number(segment.anchor_seq);
  const lastSeq = Number(segment.last_seq);
  let expected = anchorSeq + 1;
  let previous = segment.anchor_hash;
  let seen = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const page = (await trx
      .selectFrom('access_journal')
      .selectAll()
      .where('segment_id', '=', id)
      .where('seq', '>', String(after))
      .orderBy('seq')
      .limit(pageSize)
      .execute()) as unknown as Row[];
    if (page.length === 0) break;
    for (const row of page) {
      seen += 1;
      const seq = Number(row.seq);
      after = seq;
      const at = (detail: string, kind: ProblemKind): void => flag({ kind, segment: id, seq, requestId: row.request_id, detail });
      if (seq <= anchorSeq) {
        at(`rang ${seq} antérieur à l'ancre de rétention (${anchorSeq}) : ligne ajoutée ou réinsérée`, 'unexpected');
        continue;
      }
      if (seq > lastSeq) {
        at(`rang ${seq} au-delà de la tête enregistrée (${lastSeq}) : ligne ajoutée`, 'unexpected');
        continue;
      }
      if (seq > expected) {
        flag({ kind: 'missing', segment: id, seq: expected, requestId: null, detail: `rangs ${expected} à ${seq - 1} absents : lignes supprimées` });
      } else if (row.hash !== chainHash(previous, row)) {
        at("l'empreinte ne correspond pas au contenu et à la ligne précédente : ligne modifiée ou déplacée", 'hash-mismatch');
      }
      // Continue from the stored hash, so one altered row is reported once, not with every row after it.
      previous = row.hash ?? '';
      expected = seq + 1;
    }
  }
  if (expected <= lastSeq) {
    flag({ kind: 'missing', segment: id, seq: expected, requestId: null, detail: `rangs ${expected} à ${lastSeq} absents : dernières lignes supprimées` });
  } else if (previous !== segment.last_hash) {
    flag({ kind: 'head-mismatch', segment: id, seq: lastSeq, requestId: null, detail: 'la dernière ligne ne correspond pas à la tête enregistrée du segment' });
  }
  return seen;
}

async function flagUnchained(trx: Transaction<Schema>, flag: (problem: VerifyProblem) => void): Promise<number> {
  const { rows } = await sql<{ request_id: string; segment_id: string | null; seq: string | null }>`
    select j.request_id, j.segment_id, j.seq from access_journal j
    where j.segment_id is null or not exists (select 1 from journal_segments s where s.segment_id = j.segment_id)
    order by j.id`.execute(trx);
  for (const row of rows) {
    flag({
      kind: 'unchained',
      segment: row.segment_id,
      seq: row.seq === null ? null : Number(row.seq),
      requestId: row.request_id,
      detail: row.segment_id === null ? 'ligne hors chaîne : ajoutée sans passer par le journal' : 'segment sans tête enregistrée : ligne ajoutée ou tête supprimée',
    });
  }
  return rows.length;
}
