/**
 * The two database engines every repository test runs against: embedded PGlite and the
 * PostgreSQL server used in production (STACK-NOTES §3.2: PGlite is PG 18, production is PG 15,
 * so both must pass).
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { migrateToLatest } from '../../src/infra/db/migrate.ts';
import { openDatabase, type Database } from '../../src/infra/db/open-database.ts';

export interface TestEngine {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty database. `close()` it at the end (for postgres it is dropped). */
  open(): Promise<Database>;
}

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_SERVER;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Runs `fn` with a one-connection client to the server's maintenance database. */
async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = serverUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    // Fail loudly: CI always has a PostgreSQL, and a silent skip would hide a PG 15 incompatibility.
    throw new Error(
      `PostgreSQL test server unreachable at ${redact(url)} (${error instanceof Error ? error.message : String(error)}). ` +
        'Start it (e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) ' +
        'or point TEST_DATABASE_URL at one.',
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function openPostgres(): Promise<Database> {
  const name = `apip_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: withDatabase(serverUrl(), name), dataDir: tmpdir(), poolSize: 5 });
    await migrateToLatest(database.db);
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
  return {
    ...database,
    async close() {
      try {
        await database.close();
      } finally {
        await dropDatabase(name);
      }
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  await withAdminClient(async (client) => {
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    await client.query(`drop database if exists ${name}`);
  });
}

async function openPglite(): Promise<Database> {
  const database = await openDatabase({ dataDir: tmpdir(), memory: true });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * Both engines, to run the same test against each. PGlite starts in seconds: open one database
 * per test file (in `before`) and clean tables between tests rather than one per test.
 *
 * The PostgreSQL server is `TEST_DATABASE_URL`, by default `postgres://postgres@127.0.0.1:5432/postgres`;
 * each `open()` creates a uniquely named database (`apip_test_…`) and drops it on `close()`.
 * If the server is unreachable, `open()` rejects: the test fails, it is never skipped.
 *
 * @example
 * import { after, before, describe, it } from 'node:test';
 * import type { Database } from '../../src/infra/db/open-database.ts';
 * import { engines } from '../../test/helpers/engines.ts';
 *
 * for (const engine of engines()) {
 *   void describe(`token repository (${engine.name})`, () => {
 *     let database: Database;
 *     before(async () => { database = await engine.open(); });
 *     after(async () => { await database?.close(); });
 *     void it('finds a token by jti', async () => { ... database.db ... });
 *   });
 * }
 */
export function engines(): TestEngine[] {
  return [
    { name: 'pglite', open: openPglite },
    { name: 'postgres', open: openPostgres },
  ];
}
