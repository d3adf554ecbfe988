/**
 * Messages exchanged between `PgliteWorkerClient` (main thread) and `pglite-worker.ts`.
 * Everything here must survive the structured clone of `postMessage`: plain objects, arrays,
 * Date, Uint8Array, bigint — no class instances, no functions.
 */

/** `workerData` given to the worker when it starts. */
export interface PgliteWorkerData {
  /** A filesystem path, or `memory://` for a throw-away database. */
  dataDir: string;
  /** Initial WASM memory in bytes; PGlite grows it on demand. */
  initialMemory: number;
}

export type PgliteRequest =
  | { type: 'query'; id: number; sql: string; params: readonly unknown[] }
  | { type: 'close'; id: number };

/** The fields of a Postgres ErrorResponse, named as `pg`'s `DatabaseError` names them. */
export interface SerializedDatabaseError {
  message: string;
  /** SQLSTATE, e.g. `23505` for a unique violation. */
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  file?: string;
  line?: string;
  routine?: string;
}

/**
 * `id` 0 answers the start-up (ready or failed). A query answer carries its rows, the affected-row
 * count for INSERT/UPDATE/DELETE/MERGE, and the names of bytea columns (they cross the thread
 * boundary as Uint8Array and are turned back into Buffer, as `pg` returns them).
 */
export type PgliteResponse =
  | {
      id: number;
      rows: Record<string, unknown>[];
      affectedRows?: number | undefined;
      byteaFields?: string[];
      error?: undefined;
    }
  | { id: number; error: SerializedDatabaseError };
