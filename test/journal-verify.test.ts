/**
 * `journal verify` on both engines (issue 6 §1): an intact journal written by several concurrent
 * writers passes; each kind of tampering — an altered field, a removed row (middle or tail), two rows
 * swapped, a forged row — is reported; retention keeps the chain verifiable and a removal after it
 * is still caught.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Database } from '../src/infra/db/open-database.ts';
import { JournalWriter } from '../src/journal/journal-writer.ts';
import { enforceRetention } from '../src/journal/retention.ts';
import { verifyJournal, type ProblemKind } from '../src/journal/verify-journal.ts';
import { engines } from './helpers/engines.ts';
import { journalRow } from './journal-support.ts';

const kinds = (report: { problems: Array<{ kind: ProblemKind }> }): ProblemKind[] => [...new Set(report.problems.map((p) => p.kind))].sort();

for (const engine of engines()) {
  describe(`journal verify (${engine.name})`, () => {
    let database: Database;
    let segment: string;
    before(async () => {
      database = await engine.open();
    });
    after(async () => database?.close());

    /** Three writers at once, 60 rows each, in batches of various sizes; returns one writer's segment. */
    beforeEach(async () => {
      await database.db.deleteFrom('access_journal').execute();
      await database.db.deleteFrom('journal_segments').execute();
      const writers = [0, 1, 2].map(() => new JournalWriter(database.db, { maxQueue: 10_000, maxBatch: 7 }));
      await Promise.all(writers.flatMap((w, k) => Array.from({ length: 60 }, (_, i) => w.append(journalRow(k * 1000 + i, { at: new Date(Date.UTC(2026, 10, 23, 10, 0, 0, i)) })))));
      segment = (writers[0] as JournalWriter).segment;
    });

    const seqOf = async (seq: number) =>
      database.db.selectFrom('access_journal').selectAll().where('segment_id', '=', segment).where('seq', '=', String(seq)).executeTakeFirstOrThrow();

    test('an intact journal passes, every row counted', async () => {
      const report = await verifyJournal(database.db, { pageSize: 13 });
      assert.deepEqual({ ok: report.ok, rows: report.rows, segments: report.segments, problems: report.problems }, { ok: true, rows: 180, segments: 3, problems: [] });
    });

    test('an altered field is reported on that row', async () => {
      const target = await seqOf(20);
      await database.db.updateTable('access_journal').set({ recipient: '21750001600019' }).where('id', '=', target.id).execute();
      const report = await verifyJournal(database.db);
      assert.equal(report.ok, false);
      assert.deepEqual(kinds(report), ['hash-mismatch']);
      assert.deepEqual(report.problems.map((p) => p.requestId), [target.request_id]);
    });

    test('an altered field whose hash was recomputed breaks the link to the next row', async () => {
      const target = await seqOf(20);
      await database.db.updateTable('access_journal').set({ status: 404, hash: 'f'.repeat(64) }).where('id', '=', target.id).execute();
      const report = await verifyJournal(database.db);
      assert.deepEqual(kinds(report), ['hash-mismatch']);
      assert.ok(report.problems.length >= 1);
    });

    test('a latency nudged by a thousandth is caught too', async () => {
      const target = await seqOf(5);
      await sql`update access_journal set latency_ms = latency_ms + 0.001 where id = ${target.id}`.execute(database.db);
      assert.deepEqual(kinds(await verifyJournal(database.db)), ['hash-mismatch']);
    });

    test('a row removed in the middle is reported as missing', async () => {
      await database.db.deleteFrom('access_journal').where('segment_id', '=', segment).where('seq', '=', '31').execute();
      const report = await verifyJournal(database.db);
      assert.deepEqual(kinds(report), ['missing']);
      assert.equal(report.problems[0]?.seq, 31);
    });

    test('the last rows removed are reported against the recorded head', async () => {
      await database.db.deleteFrom('access_journal').where('segment_id', '=', segment).where('seq', '>=', '59').execute();
      const report = await verifyJournal(database.db);
      assert.deepEqual(kinds(report), ['missing']);
      assert.equal(report.problems[0]?.seq, 59);
    });

    test('two rows swapped (their ranks exchanged) are reported', async () => {
      const a = await seqOf(10);
      const b = await seqOf(11);
      await database.db.transaction().execute(async (trx) => {
        await trx.updateTable('access_journal').set({ seq: '-1' }).where('id', '=', a.id).execute();
        await trx.updateTable('access_journal').set({ seq: '10' }).where('id', '=', b.id).execute();
        await trx.updateTable('access_journal').set({ seq: '11' }).where('id', '=', a.id).execute();
      });
      const report = await verifyJournal(database.db);
      assert.equal(report.ok, false);
      assert.deepEqual(kinds(report), ['hash-mismatch']);
    });

    test('two rows swapped by content (ranks and hashes left in place) are reported', async () => {
      const a = await seqOf(10);
      const b = await seqOf(12);
      const swap = (from: typeof a) => ({ request_id: from.request_id, at: from.at, token_jti: from.token_jti, latency_ms: from.latency_ms, person_pseudonym: from.person_pseudonym });
      await database.db.updateTable('access_journal').set(swap(b)).where('id', '=', a.id).execute();
      await database.db.updateTable('access_journal').set(swap(a)).where('id', '=', b.id).execute();
      const report = await verifyJournal(database.db);
      assert.deepEqual(report.problems.map((p) => p.seq).sort(), [10, 12]);
    });

    test('a row inserted behind the writer, or beyond a head, is reported', async () => {
      await database.db.insertInto('access_journal').values({ ...journalRow(9999) }).execute();
      const target = await seqOf(60);
      await database.db.insertInto('access_journal').values({ ...journalRow(9998), segment_id: segment, seq: 61, hash: target.hash }).execute();
      assert.deepEqual(kinds(await verifyJournal(database.db)), ['unchained', 'unexpected']);
    });

    test('after retention the journal still passes; a removal after the anchor is still caught', async () => {
      // Rows of req-0..59 are at 10:00:00.000–.059; keep from .030 on, by a retention of 1 day.
      const now = new Date(Date.UTC(2026, 10, 24, 10, 0, 0, 30));
      const report = await enforceRetention(database.db, { retentionDays: 1, now, batchSize: 4 });
      assert.equal(report.deleted, 90, 'rows .000–.029 of each of the three segments');
      assert.ok(report.batches >= 24, `${report.batches} batches of at most 4`);
      const after = await verifyJournal(database.db);
      assert.deepEqual({ ok: after.ok, rows: after.rows, problems: after.problems }, { ok: true, rows: 90, problems: [] });

      await database.db.deleteFrom('access_journal').where('segment_id', '=', segment).where('seq', '=', '31').execute();
      assert.deepEqual(kinds(await verifyJournal(database.db)), ['missing']);
    });

    test('the first kept row removed right after the anchor is caught', async () => {
      await enforceRetention(database.db, { retentionDays: 1, now: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, 30)) });
      await database.db.deleteFrom('access_journal').where('segment_id', '=', segment).where('seq', '=', '31').execute();
      const report = await verifyJournal(database.db);
      assert.deepEqual(kinds(report), ['missing']);
      assert.equal(report.problems[0]?.seq, 31);
    });

    test('a whole segment past retention leaves its anchor at its head, and verify passes', async () => {
      const report = await enforceRetention(database.db, { retentionDays: 1, now: new Date(Date.UTC(2026, 11, 31)) });
      assert.equal(report.deleted, 180);
      const after = await verifyJournal(database.db);
      assert.deepEqual({ ok: after.ok, rows: after.rows, segments: after.segments }, { ok: true, rows: 0, segments: 3 });
    });

    test('a failed flush starts a new segment and the chain stays verifiable', async () => {
      const writer = new JournalWriter(database.db, { maxQueue: 100 });
      await writer.append(journalRow(5000));
      const first = writer.segment;
      await assert.rejects(writer.append({ ...journalRow(5001), modality: undefined as unknown as string }));
      await writer.append(journalRow(5002));
      assert.notEqual(writer.segment, first);
      assert.equal((await verifyJournal(database.db)).ok, true);
    });
  });
}
