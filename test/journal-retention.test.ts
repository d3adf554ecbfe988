/**
 * Retention with a frozen clock (issue 6 §1): the scheduler, as the service builds it, deletes the
 * journal rows older than `JOURNAL_RETENTION_DAYS` when the retention job is due — not before — and
 * the journal still verifies afterwards. Both engines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config/config.ts';
import type { Database } from '../src/infra/db/open-database.ts';
import { createServiceScheduler } from '../src/jobs/service-jobs.ts';
import { JournalWriter } from '../src/journal/journal-writer.ts';
import { verifyJournal } from '../src/journal/verify-journal.ts';
import { engines } from './helpers/engines.ts';
import { journalRow } from './journal-support.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 12);

for (const engine of engines()) {
  describe(`journal retention job (${engine.name})`, () => {
    let database: Database;
    before(async () => {
      database = await engine.open();
    });
    after(async () => database?.close());

    test('deletes rows past JOURNAL_RETENTION_DAYS when due, keeps the rest, and verify passes', async () => {
      const writer = new JournalWriter(database.db, { maxQueue: 10_000 });
      // One row a day for 40 days, from T0 to T0 + 39 days.
      for (let day = 0; day < 40; day++) await writer.append(journalRow(day, { at: new Date(T0 + day * DAY) }));

      const config = loadConfig({ JOURNAL_RETENTION_DAYS: '30', JOURNAL_RETENTION_INTERVAL_MINUTES: '60' });
      let clock = T0 + 39 * DAY + 1; // frozen just after the last row
      const runs: string[] = [];
      const scheduler = createServiceScheduler(database, config, {
        now: () => new Date(clock),
        onRun: (event) => runs.push(`${event.job}:${event.ok ? 'ok' : String((event as { error: unknown }).error)}`),
      });
      const count = async () => Number((await database.db.selectFrom('access_journal').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

      await scheduler.tick();
      assert.ok(runs.includes('journal-retention:ok'), runs.join(', '));
      // Kept: rows at or after now - 30 days, i.e. days 9.x..39 → days 10..39 (day 9 is 30 days and 1 ms old).
      assert.equal(await count(), 30);
      const oldest = await database.db.selectFrom('access_journal').select((eb) => eb.fn.min('at').as('at')).executeTakeFirstOrThrow();
      assert.equal(new Date(oldest.at as Date).getTime(), T0 + 10 * DAY);

      // 59 minutes after the last run: not due, nothing deleted.
      runs.length = 0;
      clock += 59 * 60_000;
      await scheduler.tick();
      assert.ok(!runs.some((r) => r.startsWith('journal-retention')), runs.join(', '));
      assert.equal(await count(), 30);

      // One more minute: due. Frozen clock 5 days later: days 10..14 go.
      clock += 60_000 + 5 * DAY;
      await scheduler.tick();
      assert.ok(runs.includes('journal-retention:ok'), runs.join(', '));
      assert.equal(await count(), 25);

      await writer.append(journalRow(100, { at: new Date(clock) }));
      const report = await verifyJournal(database.db);
      assert.deepEqual({ ok: report.ok, rows: report.rows }, { ok: true, rows: 26 });
      await scheduler.stop();
    });
  });
}
