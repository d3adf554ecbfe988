/**
 * A Kysely dialect for the embedded PGlite running in a worker thread.
 *
 * Same adapter, compiler and introspector as stock Postgres: only the driver differs. PGlite has a
 * single session, so the driver hands out one connection at a time: a caller keeps it from
 * `acquireConnection()` to `releaseConnection()`, and another caller's query can never land inside
 * its transaction.
 */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { PgliteWorkerClient } from './pglite-worker-client.ts';

/** FIFO mutex: waiters are served in arrival order. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves with the release function once every earlier holder has released. */
  async lock(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => released);
    await previous;
    return release;
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly #client: PgliteWorkerClient;

  constructor(client: PgliteWorkerClient) {
    this.#client = client;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // The error is created in the worker round trip; add the caller's stack, as Kysely's own
    // Postgres driver does, so that a failing query points at the code that ran it.
    const callSite = new Error();
    try {
      const { rows, affectedRows } = await this.#client.query(compiledQuery.sql, compiledQuery.parameters);
      return {
        rows: rows as R[],
        numAffectedRows: affectedRows === undefined ? undefined : BigInt(affectedRows),
      };
    } catch (error) {
      if (error instanceof Error && callSite.stack) {
        error.stack = `${error.stack ?? error.message}\n${callSite.stack.split('\n').slice(1).join('\n')}`;
      }
      throw error;
    }
  }

  // PGlite has no cursors over the RPC: run the query once and hand the rows out in chunks, so
  // that code written for `stream()` works on both engines (memory use is not bounded here).
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new TypeError('chunkSize must be a positive integer');
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) {
      yield { rows: rows.slice(start, start + chunkSize) };
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

class PgliteDriver implements Driver {
  readonly #client: PgliteWorkerClient;
  readonly #connection: PgliteConnection;
  readonly #mutex = new Mutex();
  #release: (() => void) | undefined;

  constructor(client: PgliteWorkerClient) {
    this.#client = client;
    this.#connection = new PgliteConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      statement = 'start transaction';
      if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) statement += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(savepointName)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(savepointName)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(savepointName)}`));
  }

  /** Called by `Kysely#destroy()`: waits for the current holder, then closes PGlite. */
  async destroy(): Promise<void> {
    const release = await this.#mutex.lock();
    try {
      await this.#client.close();
    } finally {
      release();
    }
  }
}

/**
 * @example
 * const client = await PgliteWorkerClient.start({ dataDir: 'memory://' });
 * const db = new Kysely<Schema>({ dialect: new PgliteDialect(client) });
 */
export class PgliteDialect implements Dialect {
  readonly #client: PgliteWorkerClient;

  constructor(client: PgliteWorkerClient) {
    this.#client = client;
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#client);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Dialect signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
