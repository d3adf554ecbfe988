/**
 * One leader among instances sharing a PostgreSQL (DESIGN §5): only one `AdvisoryLockLeadership`
 * holds the lock; it keeps it across checks; when it lets go — or its session is killed, as when
 * its process is `kill -9`ed — another takes over at its next check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Database } from '../infra/db/open-database.ts';
import { engines } from '../../test/helpers/engines.ts';
import { AdvisoryLockLeadership } from './leadership.ts';

const postgres = engines().find((e) => e.name === 'postgres');
const KEY = 4_242_424_242n; // not the service's key: other tests may run a service on the same server

describe('AdvisoryLockLeadership on PostgreSQL', () => {
  // Advisory locks are per database: two instances are two sessions on one database (two pooled connections here).
  let a: Database;
  before(async () => {
    a = await (postgres as NonNullable<typeof postgres>).open();
  });
  after(async () => {
    await a?.close();
  });

  test('one leader at a time; the other takes over on release and after its session dies', async () => {
    const first = new AdvisoryLockLeadership(a.db, KEY);
    const second = new AdvisoryLockLeadership(a.db, KEY);
    assert.equal(await first.check(), true);
    assert.equal(await second.check(), false);
    assert.equal(await first.check(), true, 'the leader stays leader');
    assert.equal(await second.check(), false);

    await first.release();
    assert.equal(await second.check(), true);
    assert.equal(await first.check(), false);

    // The leader's session killed (what kill -9 of its process does to it).
    await sql`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objid = ${Number(KEY & 0xffffffffn)} and granted`.execute(a.db);
    assert.equal(await second.check(), false, 'the killed leader notices it lost the lock');
    assert.equal(await first.check(), true, 'and the other instance takes over');
    await first.release();
    await second.release();
  });
});
