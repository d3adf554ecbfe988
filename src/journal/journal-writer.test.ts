/** Group commit on both engines: every appended row is committed, batched, and a full queue refuses. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../infra/db/open-database.ts';
import { engines } from '../../test/helpers/engines.ts';
import { JournalQueueFullError, JournalWriter, type JournalRow } from './journal-writer.ts';
import { verifyJournal } from './verify-journal.ts';

const row = (i: number): JournalRow => ({
  request_id: `r${i}`,
  at: new Date('2026-11-23T10:00:00Z'),
  token_jti: null,
  recipient: '13002526500013',
  route: '/v3/x',
  operation_id: 'op',
  modality: 'identite',
  status: 200,
  error_code: null,
  latency_ms: 1.5,
  provider_latency_ms: null,
  person_pseudonym: 'p',
});

for (const engine of engines()) {
  describe(`JournalWriter on ${engine.name}`, () => {
    let database: Database;
    before(async () => {
      database = await engine.open();
    });
    after(async () => database.close());

    test('500 concurrent appends all resolve once committed, in far fewer INSERTs than rows', async () => {
      await database.db.deleteFrom('access_journal').execute();
      let inserts = 0;
      const counting = database.db.withPlugin({
        transformQuery: (args) => {
          inserts += 1; // the writer sends nothing but its INSERTs
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const writer = new JournalWriter(counting, { maxQueue: 10_000 });
      await Promise.all(Array.from({ length: 500 }, (_, i) => writer.append(row(i))));
      const { count } = await database.db.selectFrom('access_journal').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
      assert.equal(Number(count), 500);
      assert.ok(inserts > 0 && inserts < 50, `${inserts} INSERTs for 500 rows`);
    });

    test('past maxQueue waiting rows, append rejects at once instead of queueing without bound', async () => {
      const writer = new JournalWriter(database.db, { maxQueue: 3 });
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => writer.append(row(1000 + i))));
      const rejected = results.filter((r) => r.status === 'rejected');
      assert.ok(rejected.length > 0);
      for (const r of rejected) assert.ok((r as PromiseRejectedResult).reason instanceof JournalQueueFullError);
      await writer.drain();
    });

    test('a latency next to the midpoint of two float4s is stored as it was hashed: the chain verifies', async () => {
      // 0.006299000000581145 is what `performance.now()` differences gave under load; PostgreSQL's
      // strtof and Math.fround round it to different float4s.
      const writer = new JournalWriter(database.db, { maxQueue: 100 });
      await writer.append({ ...row(3000), latency_ms: 0.04500700000062352, provider_latency_ms: 0.006299000000581145 });
      await writer.append({ ...row(3001), latency_ms: 0.006299000000581145, provider_latency_ms: null });
      const report = await verifyJournal(database.db);
      assert.deepEqual(report.problems, []);
      const stored = await database.db.selectFrom('access_journal').select(['latency_ms', 'provider_latency_ms']).where('request_id', '=', 'r3000').executeTakeFirstOrThrow();
      assert.equal(Math.fround(Number(stored.provider_latency_ms)), Math.fround(0.006299000000581145));
    });

    test('a failed INSERT rejects every row of its batch, and the writer keeps working', async () => {
      const writer = new JournalWriter(database.db, { maxQueue: 100 });
      const bad = { ...row(2000), modality: undefined as unknown as string }; // NOT NULL violation
      await assert.rejects(writer.append(bad));
      await writer.append(row(2001));
    });
  });
}
