/**
 * On PostgreSQL the journal's insert runs as a prepared statement (docs/adr/0174-journal-insert-prepared.md):
 * every flush goes through it, under one name and one text whatever the batch size, and the rows it
 * writes form a chain that verifies, as through Kysely.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Database, type PreparedQuery } from '../infra/db/open-database.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { JournalWriter } from './journal-writer.ts';
import { verifyJournal } from './verify-journal.ts';
import { journalRow, throwawayPostgres } from '../../test/journal-support.ts';

describe('JournalWriter with a prepared insert (PostgreSQL)', () => {
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

  test('every flush runs the one prepared statement; the rows are all there and verify', async () => {
    assert.ok(database.prepared !== undefined);
    const seen: Array<{ name: string; text: string }> = [];
    const prepared: PreparedQuery = (name, text, values) => {
      seen.push({ name, text });
      return database.prepared!(name, text, values);
    };
    const writer = new JournalWriter(database.db, { maxQueue: 1000, prepared });
    await writer.append(journalRow(0));
    await Promise.all(Array.from({ length: 199 }, (_, i) => writer.append(journalRow(i + 1))));
    const flushes = seen.length;
    assert.ok(flushes >= 2 && flushes < 200, `${flushes} flushes for 200 rows`);
    assert.deepEqual(new Set(seen.map((query) => query.name)), new Set(['journal_insert_chained']));
    assert.equal(new Set(seen.map((query) => query.text)).size, 1, 'one text, whatever the batch size');
    const count = await sql<{ n: number }>`select count(distinct request_id)::int as n from access_journal`.execute(database.db);
    assert.equal(count.rows[0]?.n, 200);
    const report = await verifyJournal(database.db);
    assert.deepEqual({ ok: report.ok, rows: report.rows }, { ok: true, rows: 200 }, JSON.stringify(report.problems));
  });
});
