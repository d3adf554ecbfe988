import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { engines } from '../../../test/helpers/engines.ts';
import { migrations } from '../../../migrations/index.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './open-database.ts';

function aToken(overrides: Partial<{ jti: string; scopes: string[] }> = {}) {
  return {
    jti: overrides.jti ?? randomUUID(),
    uid: randomUUID(),
    name: 'Mairie de Saint-Ouen — portail famille',
    owner: 'mairie@example.fr',
    // Elements that need quoting in an array literal: comma, quote, brace, backslash, space, accent.
    scopes: overrides.scopes ?? ['cnaf_quotient_familial', 'a,b', 'say "hi"', '{x}', 'back\\slash', 'é t'],
    modalities: ['identite', 'france_connect'],
    kid: 'key-2026-01',
    expires_at: new Date('2027-07-01T10:20:30.456Z'),
    revoked_at: null,
  };
}

// A zone away from UTC, so that a date parsed at UTC midnight instead of local midnight shows.
process.env.TZ = 'Europe/Paris';

// Column types whose JS value differs between PGlite's and pg's default parsers unless aligned.
const PARITY_QUERY = sql<Record<string, unknown>>`
  select 9007199254740993::int8 as big, array[1, 2]::int8[] as bigs, 2::int2 as small, 1.5::real as real,
         1.25::numeric as numeric, '2024-06-01'::date as date, array['2024-01-02'::date, null] as dates,
         '2024-06-01 12:00:00'::timestamp as naive, '2024-06-01 12:00:00.123+02'::timestamptz as instant,
         array['a', null, 'b c']::text[] as texts, '{}'::text[] as empty, '{"a": [1]}'::jsonb as json,
         '\\x0102'::bytea as bytes, true as yes, null::text as nothing`;
const parityRows = new Map<string, Record<string, unknown>>();

for (const engine of engines()) {
  void describe(`openDatabase (${engine.name})`, () => {
    let database: Database;

    before(async () => {
      database = await engine.open();
    });
    after(async () => {
      await database?.close();
    });

    void it('reports its engine', () => {
      assert.equal(database.engine, engine.name);
    });

    void it('has applied every migration, and a second run applies nothing', async () => {
      const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
      assert.deepEqual(recorded.rows.map((r) => r.name), Object.keys(migrations));
      assert.deepEqual(await migrateToLatest(database.db), { applied: [] });
    });

    void it('migrates down and up again', async () => {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      assert.equal(down.error, undefined);
      const tables = await database.db.introspection.getTables();
      assert.deepEqual(tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_')), []);
      assert.deepEqual(await migrateToLatest(database.db), { applied: Object.keys(migrations) });
    });

    void it('returns the same JS values as the other engine for the same column types', async () => {
      const { rows } = await PARITY_QUERY.execute(database.db);
      assert.ok(rows[0]);
      assert.equal(rows[0].big, '9007199254740993');
      assert.ok(Buffer.isBuffer(rows[0].bytes));
      parityRows.set(engine.name, rows[0]);
    });

    void it('round-trips a token with text[] and timestamptz as pg does', async () => {
      const token = aToken();
      await database.db.insertInto('tokens').values(token).execute();
      const row = await database.db.selectFrom('tokens').selectAll().where('jti', '=', token.jti).executeTakeFirstOrThrow();
      const { created_at: createdAt, ...rest } = row;
      assert.deepEqual(rest, { ...token, fc_client_ids: [], rate_limit_per_second: null, purpose: 'api' });
      assert.ok(createdAt instanceof Date && Math.abs(createdAt.getTime() - Date.now()) < 60_000);
      assert.ok(row.expires_at instanceof Date);

      const matching = await database.db
        .selectFrom('tokens')
        .select('jti')
        .where(sql<boolean>`${'a,b'} = any(scopes)`)
        .execute();
      assert.deepEqual(matching, [{ jti: token.jti }]);
    });

    void it('returns bigserial as a string, smallint and real as numbers', async () => {
      const inserted = await database.db
        .insertInto('access_journal')
        .values({
          request_id: 'req-1',
          at: new Date('2026-01-02T03:04:05.006Z'),
          token_jti: null,
          recipient: '13002526500013',
          route: '/v3/dss/quotient_familial/identite',
          operation_id: 'cnaf_quotient_familial',
          modality: 'identite',
          status: 200,
          error_code: null,
          latency_ms: 12.5,
          provider_latency_ms: null,
          person_pseudonym: null,
        })
        .returning(['id', 'status', 'latency_ms', 'at'])
        .executeTakeFirstOrThrow();
      assert.equal(typeof inserted.id, 'string');
      assert.match(inserted.id, /^\d+$/);
      assert.deepEqual({ ...inserted, id: 'n' }, { id: 'n', status: 200, latency_ms: 12.5, at: new Date('2026-01-02T03:04:05.006Z') });
      const count = await database.db.selectFrom('access_journal').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(count.n, '1');
    });

    void it('reports affected rows like the pg driver', async () => {
      const token = aToken();
      await database.db.insertInto('tokens').values(token).execute();
      const [result] = await database.db.updateTable('tokens').set({ revoked_at: new Date() }).where('jti', '=', token.jti).execute();
      assert.equal(result?.numUpdatedRows, 1n);
    });

    void it('rolls back a transaction that throws', async () => {
      const token = aToken();
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await trx.insertInto('tokens').values(token).execute();
          throw new Error('boom');
        }),
        /boom/,
      );
      const found = await database.db.selectFrom('tokens').select('jti').where('jti', '=', token.jti).execute();
      assert.deepEqual(found, []);
    });

    void it('surfaces a unique violation with SQLSTATE 23505', async () => {
      const token = aToken();
      await database.db.insertInto('tokens').values(token).execute();
      await assert.rejects(database.db.insertInto('tokens').values(token).execute(), (error: unknown) => {
        assert.equal((error as { code?: string }).code, '23505');
        assert.equal((error as { constraint?: string }).constraint, 'tokens_pkey');
        return true;
      });
    });

    void it('runs 20 concurrent read-then-write transactions without losing an update', async () => {
      await sql`create table test_counter (id int primary key, n int not null)`.execute(database.db);
      await sql`insert into test_counter values (1, 0)`.execute(database.db);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          database.db.transaction().execute(async (trx) => {
            const { rows } = await sql<{ n: number }>`select n from test_counter where id = 1 for update`.execute(trx);
            await new Promise((resolve) => setTimeout(resolve, 1)); // let the others try to cut in
            await sql`update test_counter set n = ${(rows[0]?.n ?? NaN) + 1} where id = 1`.execute(trx);
          }),
        ),
      );
      const { rows } = await sql<{ n: number }>`select n from test_counter where id = 1`.execute(database.db);
      assert.deepEqual(rows, [{ n: 20 }]);
      await sql`drop table test_counter`.execute(database.db);
    });

    void it('never runs a concurrent query inside another caller\'s transaction', async () => {
      const inside = aToken();
      const outside = aToken();
      let entered!: () => void;
      const transactionStarted = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const failing = database.db.transaction().execute(async (trx) => {
        await trx.insertInto('tokens').values(inside).execute();
        entered();
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('rolled back');
      });
      await transactionStarted;
      // Sent while the transaction is open: it must wait, not join it and be rolled back with it.
      const plain = database.db.insertInto('tokens').values(outside).execute();
      await assert.rejects(failing, /rolled back/);
      await plain;
      const found = await database.db
        .selectFrom('tokens')
        .select('jti')
        .where('jti', 'in', [inside.jti, outside.jti])
        .execute();
      assert.deepEqual(found, [{ jti: outside.jti }]);
    });
  });
}

void describe('engine parity', () => {
  void it('gives identical rows on PGlite and PostgreSQL', () => {
    assert.deepEqual([...parityRows.keys()].sort(), ['pglite', 'postgres']);
    assert.deepStrictEqual(parityRows.get('pglite'), parityRows.get('postgres'));
  });
});
