/**
 * Main-thread handle on the PGlite worker: starts it, sends queries, turns answers back into
 * rows and errors shaped like those of `pg`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  PgliteRequest,
  PgliteResponse,
  PgliteWorkerData,
  SerializedDatabaseError,
} from './pglite-worker-protocol.ts';

/** 128 MiB, PGlite's minimum: it grows on demand, and a smaller start keeps RSS down (STACK-NOTES §3.1). */
const execFileAsync = promisify(execFile);

const DEFAULT_INITIAL_MEMORY = 128 * 1024 * 1024;

export interface StartPgliteWorkerOptions {
  /** A filesystem path, or `memory://` for a throw-away database. */
  dataDir: string;
  initialMemory?: number;
}

export interface PgliteQueryResult {
  rows: Record<string, unknown>[];
  /** Set for INSERT, UPDATE, DELETE and MERGE only, as Kysely's Postgres driver does. */
  affectedRows: number | undefined;
}

/**
 * A query error raised by PGlite, with the same fields as `pg`'s `DatabaseError`, so that
 * `error.code === '23505'` works whatever the engine.
 */
export class PgliteDatabaseError extends Error {
  /** SQLSTATE. */
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly schema: string | undefined;
  readonly severity: string | undefined;
  readonly hint: string | undefined;
  readonly position: string | undefined;
  readonly where: string | undefined;

  constructor(fields: SerializedDatabaseError) {
    super(fields.message);
    this.name = 'PgliteDatabaseError';
    this.code = fields.code;
    this.detail = fields.detail;
    this.constraint = fields.constraint;
    this.table = fields.table;
    this.column = fields.column;
    this.schema = fields.schema;
    this.severity = fields.severity;
    this.hint = fields.hint;
    this.position = fields.position;
    this.where = fields.where;
  }
}

interface Pending {
  resolve(response: PgliteResponse): void;
  reject(error: Error): void;
}

// Under tsx (dev, tests, the CLI) this module and the worker are .ts files. On Node 20 a worker
// started with `execArgv: ['--import', 'tsx']` still fails with ERR_UNKNOWN_FILE_EXTENSION (its
// entry is loaded before the hooks apply), so a tiny data: URL bootstrap registers tsx in the
// worker and then imports the real entry. Both are absolute URLs: nothing resolves from the cwd.
function workerEntry(): URL {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './pglite-worker.ts' : './pglite-worker.js', import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return entry;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

/** Creates the database in `dataDir` (initdb) in a child process that exits when done. */
async function initialiseInChildProcess(dataDir: string, initialMemory: number): Promise<void> {
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `import { PGlite } from ${JSON.stringify(pglite)};
const db = await PGlite.create(${JSON.stringify(dataDir)}, { initialMemory: ${initialMemory} });
await db.close();`;
  try {
    await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { timeout: 120_000, maxBuffer: 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new PgliteDatabaseError({ message: `PGlite could not create the database in ${dataDir}: ${stderr.trim().split('\n').slice(-3).join(' ') || String(error)}` });
  }
}

function toBuffers(rows: Record<string, unknown>[], fields: string[]): void {
  for (const row of rows) {
    for (const field of fields) {
      const value = row[field];
      if (value instanceof Uint8Array) row[field] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
}

/** One PGlite instance in its own thread. Queries are answered in the order they are sent. */
export class PgliteWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /**
   * Starts the worker and waits until PGlite is ready.
   *
   * On a directory that holds no database yet, initdb runs first in a short-lived child process:
   * run in the worker, it leaves ~100–500 MB of WebAssembly memory that the process keeps (even after
   * the thread ends), where a worker opening an initialised directory starts at about 300 MB in all
   * (docs/benchmarks.md, "Memory"). Costs one process start, once per data directory.
   */
  static async start(options: StartPgliteWorkerOptions): Promise<PgliteWorkerClient> {
    const initialMemory = options.initialMemory ?? DEFAULT_INITIAL_MEMORY;
    if (!options.dataDir.startsWith('memory://') && !existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
      await initialiseInChildProcess(options.dataDir, initialMemory);
    }
    return PgliteWorkerClient.#startOnce(options);
  }

  static async #startOnce(options: StartPgliteWorkerOptions): Promise<PgliteWorkerClient> {
    const data: PgliteWorkerData = {
      dataDir: options.dataDir,
      initialMemory: options.initialMemory ?? DEFAULT_INITIAL_MEMORY,
    };
    const worker = new Worker(workerEntry(), { workerData: data });
    const client = new PgliteWorkerClient(worker);
    const ready = new Promise<PgliteResponse>((resolve, reject) => client.#pending.set(0, { resolve, reject }));
    client.#listen();
    const answer = await ready;
    if (answer.error) {
      await worker.terminate();
      throw new PgliteDatabaseError({ ...answer.error, message: `PGlite failed to start: ${answer.error.message}` });
    }
    return client;
  }

  async query(sql: string, params: readonly unknown[]): Promise<PgliteQueryResult> {
    const answer = await this.#send({ type: 'query', id: this.#nextId++, sql, params });
    if (answer.error) throw new PgliteDatabaseError(answer.error);
    if (answer.byteaFields?.length) toBuffers(answer.rows, answer.byteaFields);
    return { rows: answer.rows, affectedRows: answer.affectedRows };
  }

  /** Closes PGlite cleanly (it flushes the data directory) and ends the thread. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#failure) await this.#send({ type: 'close', id: this.#nextId++ }).catch(() => undefined);
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #send(request: PgliteRequest): Promise<PgliteResponse> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closing && request.type === 'query') return Promise.reject(new Error('the PGlite database is closed'));
    return new Promise((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject });
      try {
        this.#worker.postMessage(request);
      } catch (error) {
        // A parameter that structured clone cannot copy (a function, a class with private state).
        this.#pending.delete(request.id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  #listen(): void {
    this.#worker.on('message', (response: PgliteResponse) => {
      const pending = this.#pending.get(response.id);
      this.#pending.delete(response.id);
      pending?.resolve(response);
    });
    const fail = (error: Error): void => {
      this.#failure ??= error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#worker.on('error', (error) => fail(new Error('the PGlite worker crashed', { cause: error })));
    this.#worker.on('messageerror', (error) => fail(new Error('a PGlite worker message could not be read', { cause: error })));
    this.#worker.on('exit', (code) => fail(new Error(`the PGlite worker exited (code ${code})`)));
  }
}
