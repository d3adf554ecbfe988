/**
 * A scratch PostgreSQL database for one benchmark run (`--create-db`), on a loopback server only:
 * created at the start, dropped at the end (with `force`, so a killed gateway's sessions do not keep it).
 */
import pg from 'pg';

export interface ScratchDb {
  /** The scratch database's URL (the server's URL with its own database name). */
  url: string;
  drop(): Promise<void>;
}

/** Throws unless `url` points at a PostgreSQL server on this machine: the benchmark creates and drops databases there. */
export function assertLoopbackDatabaseUrl(url: string): void {
  if (!/^postgres(ql)?:\/\/(postgres(:[^@]*)?@)?(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) {
    throw new Error('--database-url must point at a loopback PostgreSQL server');
  }
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDb(serverUrl: string): Promise<ScratchDb> {
  const name = `apip_bench_${process.pid}_${Date.now()}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      await withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
      dropped = true;
    },
  };
}

/** Resolves when `url` accepts a connection and a `select 1`. */
export async function checkDatabase(url: string): Promise<void> {
  await withClient(url, (client) => client.query('select 1'));
}
