/** Calls per month from the daily rollup, on PGlite and PostgreSQL: window, outcome split, token filter. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { engines } from '../../../test/helpers/engines.ts';
import { monthlyCalls } from './monthly-calls.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');

for (const engine of engines()) {
  describe(`monthlyCalls (${engine.name})`, () => {
    test('twelve French months, this one included, split by outcome; some tokens only', async () => {
      const database = await engine.open();
      try {
        const [a, b] = [randomUUID(), randomUUID()];
        const row = (day: string, token: string, status: number, calls: number) => ({
          day, token_jti: token, operation_id: 'op', route: '/v3/x', status, calls, latency_sum_ms: calls * 10, latency_max_ms: 10, latency_buckets: [calls, calls, calls, calls, calls, calls, calls, calls],
        });
        await database.db.insertInto('stats_daily').values([
          row('2026-11-01', a, 200, 5),
          row('2026-11-23', b, 404, 2),
          row('2026-10-31', a, 502, 1),
          row('2025-12-01', a, 200, 7),
          row('2025-11-30', a, 200, 100),
        ]).execute();
        assert.deepEqual(await monthlyCalls(database.db, { now: NOW }), [
          { month: '2025-12', calls: 7, successful: 7, clientErrors: 0, serverErrors: 0 },
          { month: '2026-10', calls: 1, successful: 0, clientErrors: 0, serverErrors: 1 },
          { month: '2026-11', calls: 7, successful: 5, clientErrors: 2, serverErrors: 0 },
        ]);
        assert.deepEqual(await monthlyCalls(database.db, { now: NOW, months: 1, tokenJtis: [b] }), [{ month: '2026-11', calls: 2, successful: 0, clientErrors: 2, serverErrors: 0 }]);
        assert.deepEqual(await monthlyCalls(database.db, { now: NOW, tokenJtis: [] }), []);
        // 23:30 UTC on 30 November is already December in Paris: the window moves with the French calendar.
        assert.deepEqual((await monthlyCalls(database.db, { now: new Date('2026-11-30T23:30:00Z'), months: 1 })).map((m) => m.month), []);
      } finally {
        await database.close();
      }
    });
  });
}
