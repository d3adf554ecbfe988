/**
 * The laned journal on the real PostgreSQL: rows go to a lane that is not flushing, every lane is its
 * own segment whose chain verifies, and the prepared insert writes what the Kysely one wrote.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../infra/db/open-database.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { JournalWriter } from './journal-writer.ts';
import { LanedJournal } from './laned-journal.ts';
import { verifyJournal } from './verify-journal.ts';
import { journalRow, throwawayPostgres } from '../../test/journal-support.ts';

describe('LanedJournal on PostgreSQL', () => {
  let database: Database;
  let scratch: Awaited<ReturnType<typeof throwawayPostgres>>;

  before(async () => {
    scratch = await throwawayPostgres();
    database = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    await migrateToLatest(database.db);
  });
  after(async () => {
    await database.close();
    await scratch.drop();
  });

  test('concurrent rows spread over the lanes, each lane a segment that verifies; every row written once', async () => {
    assert.ok(database.prepared !== undefined, 'PostgreSQL runs the insert prepared');
    const lanes = [0, 1, 2].map(() => new JournalWriter(database.db, { maxQueue: 1000, prepared: database.prepared! }));
    const journal = new LanedJournal(lanes);
    await Promise.all(Array.from({ length: 300 }, (_, i) => journal.append(journalRow(i))));
    await journal.drain();
    const counts = await sql<{ segment_id: string; n: number }>`select segment_id, count(*)::int as n from access_journal group by segment_id`.execute(database.db);
    const bySegment = new Map(counts.rows.map((row) => [row.segment_id, row.n]));
    assert.deepEqual([...bySegment.keys()].sort(), [...journal.segments].sort(), 'one segment per lane, all used');
    assert.equal([...bySegment.values()].reduce((a, b) => a + b, 0), 300);
    const ids = await sql<{ n: number }>`select count(distinct request_id)::int as n from access_journal`.execute(database.db);
    assert.equal(ids.rows[0]?.n, 300);
    const report = await verifyJournal(database.db);
    assert.deepEqual({ ok: report.ok, segments: report.segments, rows: report.rows }, { ok: true, segments: 3, rows: 300 }, JSON.stringify(report.problems));
  });

  test('at low load a row goes to an idle lane rather than behind a flush; under load it joins the batch already waiting', async () => {
    const lanes = [0, 1].map(() => new JournalWriter(database.db, { maxQueue: 1000, prepared: database.prepared! }));
    const journal = new LanedJournal(lanes);
    const first = journal.append(journalRow(1000));
    assert.deepEqual(lanes.map((lane) => lane.flushing), [true, false]);
    const second = journal.append(journalRow(1001));
    assert.deepEqual(lanes.map((lane) => lane.flushing), [true, true], 'the second row did not queue behind the first flush');
    const third = journal.append(journalRow(1002));
    assert.deepEqual(lanes.map((lane) => lane.queueDepth), [1, 0], 'both flushing, none waiting: the next lane in turn');
    const rest = [1003, 1004, 1005].map((i) => journal.append(journalRow(i)));
    assert.deepEqual(lanes.map((lane) => lane.queueDepth), [4, 0], 'rows waiting: later rows join that batch');
    await Promise.all([first, second, third, ...rest]);
    assert.equal(journal.queueDepth, 0);
  });
});
