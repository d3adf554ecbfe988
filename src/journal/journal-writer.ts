/**
 * The access journal's writer (DESIGN §2.3: no trace, no data). `append()` resolves once the row is
 * committed. Adaptive group commit keeps this cheap: when no flush is running a row is written at
 * once; rows arriving meanwhile join the next multi-row INSERT. The queue is bounded: past
 * `maxQueue` waiting rows, `append()` rejects so the caller answers 503 instead of serving an
 * unjournaled call.
 *
 * Rows are hash-chained in this writer's own segment (docs/adr/0090-journal-hash-chain.md): the
 * writer alone appends to it, so it keeps the head in memory and a batch is still ONE statement that
 * inserts the rows and moves the segment's recorded head together — all of a batch or none of it
 * survives a crash. After a failed flush the writer starts a new segment rather than guess whether
 * the failed statement committed.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { PreparedQuery } from '../infra/db/open-database.ts';
import type { AccessJournalTable, Schema } from '../infra/db/schema.ts';
import { chainHash, GENESIS_HASH, journalInstant, type ChainedFields } from './chain.ts';

/** What a caller appends; the writer adds the chain columns. */
export type JournalRow = Omit<Insertable<AccessJournalTable>, 'id' | 'segment_id' | 'seq' | 'hash'>;

interface Pending {
  row: JournalRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface ChainedRow extends ChainedFields {
  hash: string;
}

/** What the data pipelines need of the journal (the benchmark's "before the journal" stage swaps it). */
export interface JournalSink {
  /** Resolves once the row is durably committed; rejects when it cannot be (the call then answers 503). */
  append(row: JournalRow): Promise<void>;
  /** Resolves when every row appended so far is committed or failed. */
  drain(): Promise<void>;
  readonly queueDepth: number;
  /** Releases what the sink holds open (the embedded spool's file), after `drain()`. */
  close?(): Promise<void>;
}

export class JournalQueueFullError extends Error {
  constructor() {
    super('journal queue is full');
    this.name = 'JournalQueueFullError';
  }
}

export class JournalWriter implements JournalSink {
  readonly #db: Kysely<Schema>;
  readonly #maxQueue: number;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  #segment = randomUUID();
  #lastSeq = 0;
  #lastHash = GENESIS_HASH;

  readonly #onFlush: ((durationMs: number, rows: number, ok: boolean) => void) | undefined;
  readonly #prepared: PreparedQuery | undefined;

  /**
   * @param options.onFlush told the duration and size of every flush (metrics, docs/adr/0009-metrics.md).
   * @param options.prepared runs the insert as a prepared statement (PostgreSQL); absent, through Kysely.
   */
  constructor(db: Kysely<Schema>, options: { maxQueue: number; maxBatch?: number; onFlush?: (durationMs: number, rows: number, ok: boolean) => void; prepared?: PreparedQuery }) {
    this.#db = db;
    this.#onFlush = options.onFlush;
    this.#prepared = options.prepared;
    this.#maxQueue = options.maxQueue;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  get queueDepth(): number {
    return this.#queue.length;
  }


  /** The segment this writer appends to now (a new one after a failed flush). */
  get segment(): string {
    return this.#segment;
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
        const started = performance.now();
        try {
          await this.#flush(batch.map((p) => p.row));
          this.#onFlush?.(performance.now() - started, batch.length, true);
          for (const p of batch) p.resolve();
        } catch (error) {
          this.#onFlush?.(performance.now() - started, batch.length, false);
          // Whether the statement committed is unknown (e.g. connection lost before the answer):
          // continuing this segment could fork it, so the next batch opens a fresh one.
          this.#segment = randomUUID();
          this.#lastSeq = 0;
          this.#lastHash = GENESIS_HASH;
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  async #flush(rows: readonly JournalRow[]): Promise<void> {
    const previousSeq = this.#lastSeq;
    const chained = chainRows(this.#segment, previousSeq, this.#lastHash, rows);
    const inserted = await insertChained(this.#db, this.#segment, previousSeq, chained, this.#prepared);
    if (inserted !== chained.length) throw new Error(`journal segment ${this.#segment} head moved: ${inserted} of ${chained.length} rows written`);
    this.#lastSeq = previousSeq + chained.length;
    this.#lastHash = (chained[chained.length - 1] as ChainedRow).hash;
  }
}

/** The rows as they are stored: numbered after `previousSeq` in `segment`, each hashed over the one before. */
export function chainRows(segment: string, previousSeq: number, previousHash: string, rows: readonly JournalRow[]): ChainedRow[] {
  let hash = previousHash;
  return rows.map((row, i): ChainedRow => {
    const chained = chainRow(segment, previousSeq + i + 1, hash, row);
    hash = chained.hash;
    return chained;
  });
}

/** One row as it is stored: rank `seq` in `segment`, hashed over `previousHash`. */
export function chainRow(segment: string, seq: number, previousHash: string, row: JournalRow): ChainedRow {
  const fields: ChainedFields = {
    segment_id: segment,
    seq,
    request_id: row.request_id,
    at: journalInstant(row.at),
    token_jti: row.token_jti ?? null,
    habilitation_id: row.habilitation_id ?? null,
    recipient: row.recipient ?? null,
    route: row.route,
    operation_id: row.operation_id,
    modality: row.modality,
    status: row.status,
    error_code: row.error_code ?? null,
    // Latencies are stored as float4: send the float4 value itself. PostgreSQL parses the decimal
    // text of a double straight to float4 (strtof), which for a double lying next to the midpoint of
    // two float4s (0.006299000000581145, say) is not Math.fround's choice — the stored value would then
    // differ from the hashed one and `journal verify` report an untouched row as altered.
    latency_ms: Math.fround(row.latency_ms),
    provider_latency_ms: row.provider_latency_ms == null ? null : Math.fround(row.provider_latency_ms),
    person_pseudonym: row.person_pseudonym ?? null,
    fc_sub_pseudonym: row.fc_sub_pseudonym ?? null,
  };
  return { ...fields, hash: chainHash(previousHash, fields) };
}

/**
 * One statement for the whole batch: it moves the segment's head (only if it is still where this
 * writer left it) and inserts the rows, with one array parameter per column (`unnest`): the
 * statement and its parameters are the same whatever the batch size, so the database parses and
 * binds it in constant time — a multi-row VALUES list costs a parameter per cell, which dominated the
 * embedded database's time in the benchmark (docs/benchmarks.md). Returns the rows inserted.
 */
export async function insertChained(db: Kysely<Schema>, segment: string, previousSeq: number, rows: readonly ChainedRow[], prepared?: PreparedQuery): Promise<number> {
  const column = <T>(pick: (row: ChainedRow) => T): T[] => rows.map(pick);
  const last = rows[rows.length - 1] as ChainedRow;
  const query = sql<{ n: number }>`
    with head as (
      insert into journal_segments as s (segment_id, last_seq, last_hash)
      values (${segment}::uuid, ${last.seq}::bigint, ${last.hash})
      on conflict (segment_id) do update set last_seq = excluded.last_seq, last_hash = excluded.last_hash
        where s.last_seq = ${previousSeq}::bigint
      returning 1
    ), written as (
      insert into access_journal
        (segment_id, seq, hash, request_id, at, token_jti, habilitation_id, recipient, route, operation_id, modality, status,
         error_code, latency_ms, provider_latency_ms, person_pseudonym, fc_sub_pseudonym)
      select ${segment}::uuid, u.* from unnest(
        ${column((r) => r.seq)}::bigint[],
        ${column((r) => r.hash)}::text[],
        ${column((r) => r.request_id)}::text[],
        ${column((r) => (r.at instanceof Date ? r.at.toISOString() : r.at))}::timestamptz[],
        ${column((r) => r.token_jti)}::uuid[],
        ${column((r) => r.habilitation_id)}::text[],
        ${column((r) => r.recipient)}::text[],
        ${column((r) => r.route)}::text[],
        ${column((r) => r.operation_id)}::text[],
        ${column((r) => r.modality)}::text[],
        ${column((r) => r.status)}::smallint[],
        ${column((r) => r.error_code)}::text[],
        ${column((r) => r.latency_ms)}::real[],
        ${column((r) => r.provider_latency_ms)}::real[],
        ${column((r) => r.person_pseudonym)}::text[],
        ${column((r) => r.fc_sub_pseudonym)}::text[]
      ) as u
      where exists (select 1 from head)
      returning 1
    )
    select count(*)::int as n from written`.compile(db);
  // The text is the same whatever the number of rows (one array per column): prepared once per connection.
  const { rows: result } = prepared === undefined ? await db.executeQuery(query) : await prepared<{ n: number }>('journal_insert_chained', query.sql, query.parameters);
  return Number(result[0]?.n ?? 0);
}
