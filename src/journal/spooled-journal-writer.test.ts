/**
 * The embedded journal's spool (ADR 0171): rows are in a spool file when `append()` resolves, reach
 * the table in few INSERTs, survive a process that never closes (replayed at the next start, once),
 * and a failed spool write or a refusing database never forks or breaks the hash chain.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../infra/db/open-database.ts';
import { engines } from '../../test/helpers/engines.ts';
import { recoverJournalSpool } from './journal-spool.ts';
import { SpooledJournalWriter } from './spooled-journal-writer.ts';
import { insertChained, JournalQueueFullError, type ChainedRow, type JournalRow } from './journal-writer.ts';
import { verifyJournal } from './verify-journal.ts';
import { journalRow, refuseJournalRows } from '../../test/journal-support.ts';

const row = (id: string): JournalRow => journalRow(0, { request_id: id });

async function requestIds(db: Database['db'], prefix: string): Promise<string[]> {
  const rows = await db.selectFrom('access_journal').select('request_id').where('request_id', 'like', `${prefix}%`).orderBy('id').execute();
  return rows.map((r) => r.request_id);
}


for (const engine of engines()) {
  describe(`SpooledJournalWriter on ${engine.name}`, () => {
    let database: Database;
    let root: string;
    let n = 0;
    const freshDir = () => path.join(root, `spool-${(n += 1)}`);
    before(async () => {
      database = await engine.open();
      root = mkdtempSync(path.join(tmpdir(), 'apip-spool-'));
    });
    after(async () => {
      await database.close();
      rmSync(root, { recursive: true, force: true });
    });

    test('500 concurrent appends: each in the spool when it resolves, all in the table after drain in far fewer INSERTs, no file left after close', async () => {
      let inserts = 0;
      const counting = database.db.withPlugin({
        transformQuery: (args) => {
          inserts += 1;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const dir = freshDir();
      const writer = new SpooledJournalWriter(counting, { dir, maxQueue: 10_000 });
      const ids = Array.from({ length: 500 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
      await Promise.all(ids.map((id) => writer.append(row(id))));
      const spooled = readdirSync(dir).flatMap((name) => readFileSync(path.join(dir, name), 'utf8').trim().split('\n'));
      assert.deepEqual(
        spooled.map((line) => (JSON.parse(line) as { request_id: string }).request_id),
        ids,
      );
      await writer.drain();
      assert.deepEqual(await requestIds(database.db, 'bulk-'), ids);
      assert.ok(inserts > 0 && inserts < 20, `${inserts} INSERTs for 500 rows`);
      await writer.close();
      assert.deepEqual(readdirSync(dir), []);
      assert.deepEqual((await verifyJournal(database.db)).problems, []);
    });

    test('rows spooled by a process that never closed are replayed once, a torn last line is ignored, and the chain verifies', async () => {
      const dir = freshDir();
      const accept = await refuseJournalRows(database.db);
      let writer: SpooledJournalWriter;
      try {
        writer = new SpooledJournalWriter(database.db, { dir, maxQueue: 100, retryMs: 60_000 });
        await writer.append(row('crash-0'));
        await writer.drain(); // the move fails: crash-0 is in the spool only
        await writer.append(row('crash-1'));
        await writer.append(row('crash-2'));
      } finally {
        await accept();
      }
      // The process "dies" here: no drain, no close. A write cut short by the crash:
      const [file] = readdirSync(dir);
      appendFileSync(path.join(dir, file as string), '{"segment_id":"');
      assert.deepEqual(await requestIds(database.db, 'crash-'), []);

      const report = await recoverJournalSpool(database.db, dir);
      assert.deepEqual(report, { files: 1, replayed: 3, alreadyMoved: 0, unreadable: 1 });
      assert.deepEqual(await requestIds(database.db, 'crash-'), ['crash-0', 'crash-1', 'crash-2']);
      assert.deepEqual(readdirSync(dir), []);
      assert.deepEqual(await recoverJournalSpool(database.db, dir), { files: 0, replayed: 0, alreadyMoved: 0, unreadable: 0 });
      assert.deepEqual((await verifyJournal(database.db)).problems, []);
    });

    test('a replay after a partial move inserts only the rows the table lacks', async () => {
      const dir = freshDir();
      const writer = new SpooledJournalWriter(database.db, { dir, maxQueue: 100, retryMs: 60_000 });
      await writer.append(row('partial-0'));
      await writer.append(row('partial-1'));
      await writer.drain();
      const accept = await refuseJournalRows(database.db);
      try {
        await writer.append(row('partial-2'));
        await writer.drain();
      } finally {
        await accept();
      }
      // Killed now: two rows in the table, three in the spool.
      assert.deepEqual(await recoverJournalSpool(database.db, dir), { files: 1, replayed: 1, alreadyMoved: 2, unreadable: 0 });
      assert.deepEqual(await requestIds(database.db, 'partial-'), ['partial-0', 'partial-1', 'partial-2']);
      assert.deepEqual((await verifyJournal(database.db)).problems, []);
    });

    test('a move whose earlier attempt committed unknown to the writer skips the rows the table holds and inserts the rest', async () => {
      const dir = freshDir();
      const writer = new SpooledJournalWriter(database.db, { dir, maxQueue: 100, moveDelayMs: 60_000 });
      for (const id of ['lost-ack-0', 'lost-ack-1', 'lost-ack-2']) await writer.append(row(id));
      // As if a first move of two rows had committed and its answer been lost: the table holds them.
      const [file] = readdirSync(dir);
      const spooled = readFileSync(path.join(dir, file as string), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ChainedRow);
      assert.equal(await insertChained(database.db, writer.segment, 0, spooled.slice(0, 2)), 2);
      await writer.drain();
      assert.deepEqual(await requestIds(database.db, 'lost-ack-'), ['lost-ack-0', 'lost-ack-1', 'lost-ack-2']);
      await writer.close();
      assert.deepEqual((await verifyJournal(database.db)).problems, []);
    });

    test('a spool write that fails (ENOSPC) rejects its row only; the writer goes on in a new file and a new segment', async () => {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true });
      // Generation 1 is a link to /dev/full, where every write fails; later generations are plain files.
      const fileFor = (generation: number) => {
        const file = path.join(dir, `g${generation}`);
        if (generation === 1 && !existsSync(file)) symlinkSync('/dev/full', file);
        return file;
      };
      const writer = new SpooledJournalWriter(database.db, { dir, maxQueue: 100, fileFor });
      const firstSegment = writer.segment;
      await assert.rejects(writer.append(row('enospc-0')), (error: NodeJS.ErrnoException) => error.code === 'ENOSPC');
      assert.notEqual(writer.segment, firstSegment);
      await writer.append(row('enospc-1'));
      await writer.append(row('enospc-2'));
      await writer.close();
      assert.deepEqual(await requestIds(database.db, 'enospc-'), ['enospc-1', 'enospc-2']);
      assert.ok(existsSync('/dev/full'), 'only the link was removed');
      assert.deepEqual(readdirSync(dir), []);
      assert.deepEqual((await verifyJournal(database.db)).problems, []);
    });

    test('small files rotate; a file is deleted once all its rows are in the table; fdatasync mode resolves too', async () => {
      const dir = freshDir();
      const writer = new SpooledJournalWriter(database.db, { dir, maxQueue: 10_000, rotateBytes: 2_000, sync: true });
      for (let batch = 0; batch < 4; batch += 1) {
        await Promise.all(Array.from({ length: 10 }, (_, i) => writer.append(row(`rotate-${batch}-${i}`))));
      }
      assert.ok(readdirSync(dir).length >= 1);
      await writer.drain();
      assert.equal(readdirSync(dir).length, 1, 'only the file in use remains');
      await writer.close();
      assert.deepEqual(readdirSync(dir), []);
      assert.equal((await requestIds(database.db, 'rotate-')).length, 40);
      assert.deepEqual((await verifyJournal(database.db)).problems, []);
    });

    test('past maxQueue rows not yet in the table, append rejects at once', async () => {
      const dir = freshDir();
      const accept = await refuseJournalRows(database.db);
      try {
        const writer = new SpooledJournalWriter(database.db, { dir, maxQueue: 2, retryMs: 60_000 });
        await writer.append(row('full-0'));
        await writer.append(row('full-1'));
        await assert.rejects(writer.append(row('full-2')), JournalQueueFullError);
        await accept();
        await writer.drain();
        await writer.append(row('full-3'));
        await writer.close();
      } catch (error) {
        await accept().catch(() => undefined);
        throw error;
      }
      assert.deepEqual(await requestIds(database.db, 'full-'), ['full-0', 'full-1', 'full-3']);
    });
  });
}
