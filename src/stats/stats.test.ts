/**
 * Statistics rollups and their reads on both engines (issue 6 §2): per token/route/day/status counts,
 * French calendar days, idempotent recomputation, "justificatifs papier évités" over 30 days, and
 * public aggregates that name no token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../infra/db/open-database.ts';
import { engines } from '../../test/helpers/engines.ts';
import { journalRow } from '../../test/journal-support.ts';
import { JournalWriter } from '../journal/journal-writer.ts';
import { rollupStats } from './rollup.ts';
import { paperProofsAvoided, publicStats, tokenUsage } from './stats-queries.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-11-23T12:00:00Z');
const A = randomUUID();
const B = randomUUID();

for (const engine of engines()) {
  describe(`statistics (${engine.name})`, () => {
    let database: Database;
    before(async () => {
      database = await engine.open();
      const writer = new JournalWriter(database.db, { maxQueue: 10_000 });
      const rows = [
        // Today (Paris): A 3 × 200 on QF (latencies 10, 20, 600), 1 × 404; B 2 × 200 on C2S.
        journalRow(1, { token_jti: A, at: new Date(NOW.getTime() - 1000), latency_ms: 10 }),
        journalRow(2, { token_jti: A, at: new Date(NOW.getTime() - 2000), latency_ms: 20 }),
        journalRow(3, { token_jti: A, at: new Date(NOW.getTime() - 3000), latency_ms: 600 }),
        journalRow(4, { token_jti: A, at: new Date(NOW.getTime() - 4000), status: 404, error_code: '37002' }),
        journalRow(5, { token_jti: B, operation_id: 'c2s', route: '/v3/c2s', at: new Date(NOW.getTime() - 5000) }),
        journalRow(6, { token_jti: B, operation_id: 'c2s', route: '/v3/c2s', at: new Date(NOW.getTime() - 6000) }),
        // 23:30 UTC on the 20th is the 21st in Paris.
        journalRow(7, { token_jti: A, at: new Date('2026-11-20T23:30:00Z') }),
        // 29 days ago counts in the 30 days; 30 days ago does not; 70 days ago is past the two months.
        journalRow(8, { token_jti: A, at: new Date(NOW.getTime() - 29 * DAY) }),
        journalRow(9, { token_jti: A, at: new Date(NOW.getTime() - 30 * DAY) }),
        journalRow(10, { token_jti: A, at: new Date(NOW.getTime() - 70 * DAY) }),
        // Refused before authentication: no token.
        journalRow(11, { token_jti: null, status: 401, error_code: '00101', at: new Date(NOW.getTime() - 7000) }),
      ];
      await Promise.all(rows.map((row) => writer.append(row)));
    });
    after(async () => database?.close());

    test('rolls the journal up per day, token, route and status, and a second run changes nothing', async () => {
      const first = await rollupStats(database.db, { now: NOW });
      assert.equal(first.fromDay, '2026-09-14');
      const snapshot = async () =>
        (await database.db.selectFrom('stats_daily').selectAll().execute())
          .map((r) => JSON.stringify({ ...r, day: (r.day as Date).toISOString().slice(0, 10) }))
          .sort();
      const before = await snapshot();
      await rollupStats(database.db, { now: NOW });
      await rollupStats(database.db, { now: NOW, recomputeDays: 90 });
      assert.deepEqual(await snapshot(), before);

      const today = await database.db.selectFrom('stats_daily').selectAll().where('token_jti', '=', A).where('status', '=', 200).where('day', '=', new Date('2026-11-23T00:00:00Z')).executeTakeFirstOrThrow();
      assert.equal(today.calls, 3);
      assert.equal(Math.round(today.latency_sum_ms), 630);
      assert.equal(today.latency_max_ms, 600);
      assert.deepEqual(today.latency_buckets, [2, 2, 2, 2, 3, 3, 3, 3]);
    });

    test('tokenUsage gives two months per day for the asked tokens only, in the French calendar', async () => {
      const usage = await tokenUsage(database.db, { tokenJtis: [A], now: NOW });
      assert.deepEqual(
        usage.map((u) => `${u.day} ${u.operationId} ${u.status} ${u.calls}`),
        ['2026-10-24 cnaf_quotient_familial 200 1', '2026-10-25 cnaf_quotient_familial 200 1', '2026-11-21 cnaf_quotient_familial 200 1', '2026-11-23 cnaf_quotient_familial 200 3', '2026-11-23 cnaf_quotient_familial 404 1'],
      );
      assert.ok(usage.every((u) => u.tokenJti === A));
      assert.deepEqual(await tokenUsage(database.db, { tokenJtis: [], now: NOW }), []);
    });

    test('"justificatifs papier évités" counts successful calls of the last 30 days', async () => {
      // A: 3 today + 1 on the 21st + 1 29 days ago; B: 2.
      assert.equal(await paperProofsAvoided(database.db, { now: NOW }), 7);
      assert.equal(await paperProofsAvoided(database.db, { now: NOW, tokenJtis: [B] }), 2);
    });

    test('public statistics are aggregates that name no token', async () => {
      const stats = await publicStats(database.db, NOW);
      assert.equal(stats.paperProofsAvoided.calls, 7);
      const today = stats.daily.find((d) => d.day === '2026-11-23');
      assert.deepEqual(today, { day: '2026-11-23', calls: 7, successful: 5, clientErrors: 2, serverErrors: 0 });
      const qf = stats.operations.find((o) => o.operationId === 'cnaf_quotient_familial');
      assert.equal(qf?.calls, 7, 'A: 4 today, 1 on the 21st, 1 29 days ago; the refused call');
      assert.equal(qf?.successful, 5);
      const text = JSON.stringify(stats);
      assert.ok(!text.includes(A) && !text.includes(B) && !text.includes('13002526500013'), 'no token id, no recipient');
    });
  });
}
