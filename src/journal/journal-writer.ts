/**
 * The access journal's writer (DESIGN §2.3: no trace, no data). `append()` resolves once the row is
 * committed. Adaptive group commit keeps this cheap: when no flush is running a row is written at
 * once; rows arriving meanwhile join the next multi-row INSERT. The queue is bounded: past
 * `maxQueue` waiting rows, `append()` rejects so the caller answers 503 instead of serving an
 * unjournaled call.
 */
import type { Insertable, Kysely } from 'kysely';
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
          await this.#db.insertInto('access_journal').values(batch.map((p) => p.row)).execute();
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
