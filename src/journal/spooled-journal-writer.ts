/**
 * The access journal's writer on the embedded database (docs/adr/0171-embedded-journal-spool.md).
 *
 * `append()` chains the row (docs/adr/0090-journal-hash-chain.md) and writes it to the spool file —
 * one `write(2)`, plus a grouped `fdatasync(2)` when `sync` is on — and resolves: the row is durable
 * before the call's answer leaves, as with `JournalWriter` on PostgreSQL. A mover then inserts the
 * spooled rows into `access_journal` in large batches: one embedded-database commit costs as much
 * CPU as a whole call, and at a steady rate every call would otherwise commit alone.
 *
 * Bounded like `JournalWriter`: past `maxQueue` rows spooled but not yet in the table (the database
 * refusing them, say), `append()` rejects so the call answers 503. A failed spool write rejects its
 * call and continues in a new file and a new segment (the failed write may have left half a line).
 * A failed move keeps the rows in memory and in the spool and is retried; whatever is left when the
 * process stops is replayed at the next start (`recoverJournalSpool`).
 */
import { fdatasync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';
import { GENESIS_HASH } from './chain.ts';
import { ensureSpoolDir, SpoolFile, spoolFileName, spoolGenerations } from './journal-spool.ts';
import { chainRow, insertChained, JournalQueueFullError, type ChainedRow, type JournalRow, type JournalSink } from './journal-writer.ts';

export interface SpooledJournalOptions {
  /** The spool directory (`spoolDirOf(dataDir)`); replay it with `recoverJournalSpool` before writing. */
  dir: string;
  /** Rows spooled and not yet in the table beyond which `append()` rejects (503). */
  maxQueue: number;
  /** Rows per INSERT when moving (default 1000). */
  maxBatch?: number;
  /** `fdatasync` the spool before `append()` resolves: durable against power loss, not only a crash (default false). */
  sync?: boolean;
  /** Start a new spool file past this size (default 8 MiB); a file is deleted once all its rows are moved. */
  rotateBytes?: number;
  /** Wait before retrying a failed move (default 1000 ms). */
  retryMs?: number;
  /**
   * Wait this long after a row arrives before moving (default 50 ms), so that a move carries many rows:
   * at a steady rate a row moved alone costs a commit — the whole point of the spool. Moving is off the
   * answers' path, so the wait only delays the table; `drain()` moves at once.
   */
  moveDelayMs?: number;
  /** Told the duration and size of every move, and whether it succeeded (metrics, as `JournalWriter`). */
  onFlush?: (durationMs: number, rows: number, ok: boolean) => void;
  /** Told every failed move (logged by the app: the error, never a row). */
  onMoveError?: (error: unknown) => void;
  /** Where a generation's file lives (default `<dir>/spool-<generation>.ndjson`). */
  fileFor?: (generation: number) => string;
}

interface Spooled {
  row: ChainedRow;
  file: SpoolFile;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SpooledJournalWriter implements JournalSink {
  readonly #db: Kysely<Schema>;
  readonly #options: Required<Omit<SpooledJournalOptions, 'onFlush' | 'onMoveError'>> & Pick<SpooledJournalOptions, 'onFlush' | 'onMoveError'>;
  #segment = randomUUID();
  #lastSeq = 0;
  #lastHash = GENESIS_HASH;
  #file: SpoolFile;
  #nextGeneration: number;
  /** Rows in the spool and not yet in the table, in spool order. */
  #pending: Spooled[] = [];
  #moving: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #delayed: NodeJS.Timeout | undefined;
  #syncing = false;
  #syncWaiters: Waiter[] = [];
  #closed = false;

  constructor(db: Kysely<Schema>, options: SpooledJournalOptions) {
    this.#db = db;
    this.#options = {
      maxBatch: 1000,
      sync: false,
      rotateBytes: 8 * 1024 * 1024,
      retryMs: 1000,
      moveDelayMs: 50,
      fileFor: (generation) => join(options.dir, spoolFileName(generation)),
      ...options,
    };
    ensureSpoolDir(options.dir);
    this.#nextGeneration = (spoolGenerations(options.dir).at(-1) ?? 0) + 1;
    this.#file = this.#openNext();
  }

  get queueDepth(): number {
    return this.#pending.length;
  }

  /** The segment this writer appends to now (a new one after a failed spool write). */
  get segment(): string {
    return this.#segment;
  }

  append(row: JournalRow): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('journal closed'));
    if (this.#pending.length >= this.#options.maxQueue) return Promise.reject(new JournalQueueFullError());
    let chained: ChainedRow;
    try {
      chained = chainRow(this.#segment, this.#lastSeq + 1, this.#lastHash, row);
      // Not while an fdatasync runs on the file: it would be closed under it (the file grows a little instead).
      if (this.#file.bytes >= this.#options.rotateBytes && !this.#syncing) this.#rotate();
      this.#file.write(`${JSON.stringify(chained)}\n`);
    } catch (error) {
      this.#abandonFile();
      return Promise.reject(error);
    }
    this.#lastSeq = chained.seq;
    this.#lastHash = chained.hash;
    this.#file.unmoved += 1;
    this.#pending.push({ row: chained, file: this.#file });
    this.#schedule();
    return this.#options.sync ? this.#synced() : Promise.resolve();
  }

  /**
   * Resolves when every row appended so far is in the table, or when a move failed (the rows then
   * stay in the spool: retried, and replayed at the next start). A move waiting to be retried is tried now.
   */
  async drain(): Promise<void> {
    this.#clearTimers();
    while (this.#moving !== undefined) await this.#moving;
    if (this.#pending.length === 0) return;
    // Every row, including those appended meanwhile, or until a move fails.
    this.#moving = this.#moveAll(true);
    while (this.#moving !== undefined) await this.#moving;
  }

  /** A move in `moveDelayMs`, unless one runs, waits or is to be retried. */
  #schedule(): void {
    if (this.#pending.length === 0 || this.#moving !== undefined || this.#retry !== undefined || this.#delayed !== undefined || this.#closed) return;
    if (this.#pending.length >= this.#options.maxBatch) {
      this.#moving = this.#moveAll(false);
      return;
    }
    this.#delayed = setTimeout(() => {
      this.#delayed = undefined;
      if (this.#moving === undefined && this.#pending.length > 0) this.#moving = this.#moveAll(false);
    }, this.#options.moveDelayMs);
    this.#delayed.unref();
  }

  #clearTimers(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    if (this.#delayed !== undefined) clearTimeout(this.#delayed);
    this.#retry = undefined;
    this.#delayed = undefined;
  }

  /** Moves what it can, then closes the spool; rows left unmoved are replayed at the next start. */
  async close(): Promise<void> {
    await this.drain();
    this.#closed = true;
    this.#clearTimers();
    this.#file.close({ sync: this.#options.sync });
    if (this.#file.unmoved === 0) this.#file.remove();
  }

  #openNext(): SpoolFile {
    const generation = this.#nextGeneration;
    this.#nextGeneration += 1;
    return new SpoolFile(this.#options.fileFor(generation), generation);
  }

  /** Continues in a new file: rows still to move keep their old file until they are moved. */
  #rotate(): void {
    const previous = this.#file;
    this.#file = this.#openNext();
    // Rows waiting for a grouped fdatasync were written to the old file: flush it before closing.
    previous.close({ sync: this.#options.sync });
    if (previous.unmoved === 0) previous.remove();
  }

  /**
   * After a failed write the file may end with half a line, and whether that row reached the disk
   * is unknown: the writer continues in a new file and a new segment rather than risk forking the chain.
   */
  #abandonFile(): void {
    const previous = this.#file;
    try {
      previous.close({ sync: false });
    } catch {
      // The file is unusable either way; its complete lines are replayed at the next start.
    }
    this.#segment = randomUUID();
    this.#lastSeq = 0;
    this.#lastHash = GENESIS_HASH;
    try {
      this.#file = this.#openNext();
    } catch {
      // The next append tries again (and fails with the system's error until the disk recovers).
      this.#file = previous;
    }
    if (previous !== this.#file && previous.unmoved === 0) this.#tryRemove(previous);
  }

  /** One `fdatasync` for every row written while the previous one ran (group commit). */
  #synced(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#syncWaiters.push({ resolve, reject });
      if (!this.#syncing) this.#startSync();
    });
  }

  #startSync(): void {
    const waiters = this.#syncWaiters;
    this.#syncWaiters = [];
    const fd = this.#file.fd;
    if (fd === undefined) {
      for (const w of waiters) w.reject(new Error('journal spool closed'));
      return;
    }
    this.#syncing = true;
    fdatasync(fd, (error) => {
      this.#syncing = false;
      for (const w of waiters) {
        if (error) w.reject(error);
        else w.resolve();
      }
      if (this.#syncWaiters.length > 0) this.#startSync();
    });
  }

  /** Called with rows waiting. Moves full batches (all rows with `everything`), or stops at a failure; what is left waits for the next move. */
  async #moveAll(everything: boolean): Promise<void> {
    try {
      // The first batch whatever its size (its delay has passed), then only full ones unless asked for everything.
      do {
        // One segment per INSERT: after a failed write the queue holds the old segment, then the new one.
        const first = (this.#pending[0] as Spooled).row.segment_id;
        let count = 0;
        while (count < this.#pending.length && count < this.#options.maxBatch && (this.#pending[count] as Spooled).row.segment_id === first) count += 1;
        const batch = this.#pending.slice(0, count);
        const started = performance.now();
        try {
          const moved = await this.#insert(batch.map((s) => s.row));
          this.#options.onFlush?.(performance.now() - started, moved, true);
        } catch (error) {
          this.#options.onFlush?.(performance.now() - started, batch.length, false);
          this.#options.onMoveError?.(error);
          if (!this.#closed) this.#retry = setTimeout(() => this.#retryMove(), this.#options.retryMs).unref();
          return;
        }
        this.#pending.splice(0, count);
        for (const s of batch) s.file.unmoved -= 1;
        for (const s of new Set(batch.map((b) => b.file))) if (s !== this.#file && s.unmoved === 0) this.#tryRemove(s);
      } while (this.#pending.length > 0 && (everything || this.#pending.length >= this.#options.maxBatch));
    } finally {
      this.#moving = undefined;
    }
    this.#schedule();
  }

  #retryMove(): void {
    this.#retry = undefined;
    if (this.#moving === undefined && this.#pending.length > 0) this.#moving = this.#moveAll(false);
  }

  /**
   * Inserts rows that follow each other in one segment. If the segment's head is not where the first
   * row expects it, an earlier attempt may have committed without our knowing (a lost answer): rows
   * the table already holds are skipped, the rest inserted. Returns the rows inserted now.
   */
  async #insert(rows: ChainedRow[]): Promise<number> {
    const first = rows[0] as ChainedRow;
    const segment = first.segment_id;
    const inserted = await insertChained(this.#db, segment, first.seq - 1, rows);
    if (inserted === rows.length) return inserted;
    const head = await this.#db.selectFrom('journal_segments').select('last_seq').where('segment_id', '=', segment).executeTakeFirst();
    const moved = Number(head?.last_seq ?? 0);
    const rest = rows.filter((r) => r.seq > moved);
    if (rest.length === 0) return 0;
    if ((rest[0] as ChainedRow).seq !== moved + 1) throw new Error(`journal segment ${segment} head at ${moved}, spool continues at ${(rest[0] as ChainedRow).seq}`);
    const again = await insertChained(this.#db, segment, moved, rest);
    if (again !== rest.length) throw new Error(`journal segment ${segment} head moved: ${again} of ${rest.length} rows written`);
    return again;
  }

  #tryRemove(file: SpoolFile): void {
    try {
      file.remove();
    } catch {
      // Left for the next start, whose replay skips rows already in the table.
    }
  }
}
