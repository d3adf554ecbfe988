/**
 * The access journal's writer (DESIGN §2.3: no trace, no data). `append()` resolves once the row is
 * committed. Adaptive group commit keeps this cheap: when no flush is running a row is written at
 * once; rows arriving meanwhile join the next multi-row INSERT. The queue is bounded: past
 * `maxQueue` waiting rows, `append()` rejects so the caller answers 503 instead of serving an
 * unjournaled call.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { AccessJournalTable, Schema } from '../infra/db/schema.ts';

export type JournalRow = Insertable<AccessJournalTable>;

interface Pending {
  row: JournalRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class JournalQueueFullError extends Error {
  constructor() {
    super('journal queue is full');
    this.name = 'JournalQueueFullError';
  }
}

export class JournalWriter {
  readonly #db: Kysely<Schema>;
  readonly #maxQueue: number;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(db: Kysely<Schema>, options: { maxQueue: number; maxBatch?: number }) {
    this.#db = db;
    this.#maxQueue = options.maxQueue;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  get queueDepth(): number {
    return this.#queue.length;
  }

  append(row: JournalRow): Promise<void> {
    if (this.#queue.length >= this.#maxQueue) return Promise.reject(new JournalQueueFullError());
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      if (this.#flushing === undefined) this.#flushing = this.#drain();
    });
  }

  /** Resolves when every row appended so far is committed or failed. */
  async drain(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          await insertRows(this.#db, batch.map((p) => p.row));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.#flushing = undefined;
    }
  }
}

/**
 * One INSERT for the whole batch, with one array parameter per column (`unnest`): the statement and
 * its 12 parameters are the same whatever the batch size, so the database parses and binds it in
 * constant time — a multi-row VALUES list costs a parameter per cell, which dominated the embedded
 * database's time in the benchmark (docs/benchmarks.md).
 */
async function insertRows(db: Kysely<Schema>, rows: readonly JournalRow[]): Promise<void> {
  const column = <T>(pick: (row: JournalRow) => T): T[] => rows.map(pick);
  const iso = (value: Date | string): string => (value instanceof Date ? value.toISOString() : value);
  await sql`
    insert into access_journal
      (request_id, at, token_jti, recipient, route, operation_id, modality, status, error_code, latency_ms, provider_latency_ms, person_pseudonym)
    select * from unnest(
      ${column((r) => r.request_id)}::text[],
      ${column((r) => iso(r.at))}::timestamptz[],
      ${column((r) => r.token_jti ?? null)}::uuid[],
      ${column((r) => r.recipient ?? null)}::text[],
      ${column((r) => r.route)}::text[],
      ${column((r) => r.operation_id)}::text[],
      ${column((r) => r.modality)}::text[],
      ${column((r) => r.status)}::smallint[],
      ${column((r) => r.error_code ?? null)}::text[],
      ${column((r) => r.latency_ms)}::real[],
      ${column((r) => r.provider_latency_ms ?? null)}::real[],
      ${column((r) => r.person_pseudonym ?? null)}::text[]
    )`.execute(db);
}
