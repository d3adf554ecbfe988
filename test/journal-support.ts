/**
 * Shared by the journal tests (issue 6): a throw-away PostgreSQL database reachable by URL (for a
 * spawned service or the CLI, which `engines()` does not give), and journal rows to append.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/infra/db/schema.ts';
import type { JournalRow } from '../src/journal/journal-writer.ts';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database on the test server; `drop()` terminates its sessions and removes it. */
export async function throwawayPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `apip_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      admin(async (client) => {
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        await client.query(`drop database if exists ${name}`);
      }),
  };
}

/** A journal row as the data route appends it; `i` makes the request id unique. */
export function journalRow(i: number, overrides: Partial<JournalRow> = {}): JournalRow {
  return {
    request_id: `req-${i}`,
    at: new Date(Date.UTC(2026, 10, 23, 10, 0, 0, i)),
    token_jti: randomUUID(),
    recipient: '13002526500013',
    route: '/v3/dss/quotient_familial/identite',
    operation_id: 'cnaf_quotient_familial',
    modality: 'identite',
    status: 200,
    error_code: null,
    latency_ms: 12.345678 + i,
    provider_latency_ms: 3.3,
    person_pseudonym: `pseudo-${i % 7}`,
    ...overrides,
  };
}

/**
 * Makes the database refuse journal rows (a trigger raising "disk full"); call the returned function
 * to accept them again. A real refusal by the database, on either engine.
 */
export async function refuseJournalRows(db: Kysely<Schema>): Promise<() => Promise<void>> {
  await sql`create function refuse_journal() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(db);
  await sql`create trigger refuse_journal before insert on access_journal for each row execute function refuse_journal()`.execute(db);
  return async () => {
    await sql`drop trigger refuse_journal on access_journal`.execute(db);
    await sql`drop function refuse_journal()`.execute(db);
  };
}
