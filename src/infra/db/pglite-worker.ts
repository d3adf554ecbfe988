/**
 * Worker-thread entry that owns the embedded PGlite instance.
 *
 * Why a worker: PGlite runs Postgres as WASM on the calling thread, so every query blocks the
 * event loop (STACK-NOTES §3.2, elizaOS/eliza#16407). `PGliteWorker` only targets browser Web
 * Workers (electric-sql/pglite#398), hence this small postMessage RPC. Started by
 * `PgliteWorkerClient`; never imported by the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types, type Results } from '@electric-sql/pglite';
import type {
  PgliteRequest,
  PgliteResponse,
  PgliteWorkerData,
  SerializedDatabaseError,
} from './pglite-worker-protocol.ts';

// Where PGlite's default parsers differ from `pg`'s, follow `pg`, so that repositories behave
// identically on both engines:
// - int8 (bigserial, count(*)) → string, as it may exceed 2^53 (PGlite gives a number);
// - date → local midnight, as `pg` does (PGlite gives UTC midnight).
// Known remaining difference: `interval` is a string here and a PostgresInterval object in `pg`;
// cast it (`::text`, `extract(epoch from …)`) rather than select it raw.
const INT8_ARRAY = 1016;
const DATE_ARRAY = 1182;

function parseDate(value: string): Date | number {
  if (value === 'infinity') return Infinity;
  if (value === '-infinity') return -Infinity;
  const match = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/.exec(value);
  if (!match) return new Date(Number.NaN);
  const year = match[4] ? 1 - Number(match[1]) : Number(match[1]);
  const date = new Date(2000, Number(match[2]) - 1, Number(match[3]));
  date.setFullYear(year); // the Date constructor maps years 0–99 to 1900–1999
  return date;
}

const parsers = {
  [types.INT8]: (value: string): string => value,
  [INT8_ARRAY]: (value: string): unknown => types.arrayParser(value, (v: string) => v, INT8_ARRAY),
  [types.DATE]: parseDate,
  [DATE_ARRAY]: (value: string): unknown => types.arrayParser(value, parseDate, DATE_ARRAY),
};

// The fields a Postgres ErrorResponse may carry; copied as-is so callers see what `pg` gives them.
const ERROR_FIELDS = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

function serializeError(error: unknown): SerializedDatabaseError {
  if (!(error instanceof Error)) return { message: String(error) };
  const serialized: SerializedDatabaseError = { message: error.message };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of ERROR_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string') serialized[field] = value;
  }
  return serialized;
}

// Only these commands report an affected-row count in Kysely's Postgres driver; mirror it.
const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

function toResponse(id: number, result: Results<Record<string, unknown>>): PgliteResponse {
  const { command } = result;
  return {
    id,
    rows: result.rows,
    affectedRows: command !== undefined && COUNTED_COMMANDS.has(command) ? (result.affectedRows ?? 0) : undefined,
    byteaFields: result.fields.filter((f) => f.dataTypeID === types.BYTEA).map((f) => f.name),
  };
}

/**
 * Server settings written to the data directory's postgresql.conf at every start. PostgreSQL's
 * default 128 MB of shared buffers is touched at start-up, so it is all resident: 32 MB holds this
 * service's working set (tokens, habilitations, the journal's tail) and the operating system still
 * caches the files. Measured: ~100 MB less RSS (docs/benchmarks.md, "Memory").
 */
const POSTGRESQL_CONF = ['shared_buffers = 32MB'];

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new TypeError('pglite-worker must run inside a worker thread');
  const { dataDir, initialMemory } = workerData as PgliteWorkerData;

  let db: PGlite;
  try {
    db = await PGlite.create(dataDir, { initialMemory, parsers, postgresqlconf: POSTGRESQL_CONF });
  } catch (error) {
    port.postMessage({ id: 0, error: serializeError(error) } satisfies PgliteResponse);
    return;
  }
  port.postMessage({ id: 0, rows: [] } satisfies PgliteResponse);

  // Requests are handled one after the other: PGlite has a single session anyway, and ordering
  // keeps `begin; …; commit` sent by one holder of the connection mutex in sequence.
  let queue = Promise.resolve();
  port.on('message', (request: PgliteRequest) => {
    queue = queue.then(async () => {
      if (request.type === 'close') {
        await db.close().catch(() => undefined);
        port.postMessage({ id: request.id, rows: [] } satisfies PgliteResponse);
        port.close();
        return;
      }
      try {
        const result = await db.query<Record<string, unknown>>(request.sql, [...request.params], { rowMode: 'object' });
        port.postMessage(toResponse(request.id, result));
      } catch (error) {
        port.postMessage({ id: request.id, error: serializeError(error) } satisfies PgliteResponse);
      }
    });
  });
}

await main();
