/**
 * Several journal writers side by side (PostgreSQL): a row goes to a writer that is not flushing,
 * so it waits for its own commit only, not first for the end of another batch's.
 *
 * With one writer, a row arriving while a flush runs waits for that flush, then for the next one
 * that carries it: at 1000 calls/s on the benchmark machine a flush took ~1.5 ms and calls waited
 * ~2.2 ms on average for their row. Each writer is its own hash-chained segment
 * (docs/adr/0090-journal-hash-chain.md) on its own connection of the pool, so lanes never share a
 * chain head and `journal verify` checks each as before; rows of one process are spread over its
 * lanes' segments (docs/adr/0174-journal-lanes.md). Under load rows join the batch already waiting
 * (see `#pick`), and batches grow as with one writer.
 */
import type { JournalRow, JournalSink, JournalWriter } from './journal-writer.ts';

export class LanedJournal implements JournalSink {
  readonly #lanes: readonly JournalWriter[];
  #next = 0;

  constructor(lanes: readonly JournalWriter[]) {
    if (lanes.length === 0) throw new RangeError('a laned journal needs at least one writer');
    this.#lanes = lanes;
  }

  append(row: JournalRow): Promise<void> {
    return this.#pick().append(row);
  }

  async drain(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.drain()));
  }

  get queueDepth(): number {
    return this.#lanes.reduce((sum, lane) => sum + lane.queueDepth, 0);
  }

  /** The segments the lanes append to now. */
  get segments(): string[] {
    return this.#lanes.map((lane) => lane.segment);
  }

  /**
   * At low load (every busy lane's queue empty) an idle lane, taking turns: the row is committed at
   * once instead of after the flush under way. Under load (rows already waiting) the row joins the
   * shortest waiting batch instead: splitting batches over more lanes would mean more statements for
   * the same rows, and the measured closed-loop throughput fell with it.
   */
  #pick(): JournalWriter {
    const count = this.#lanes.length;
    let idle: number | undefined;
    let waiting: JournalWriter | undefined;
    for (let i = 0; i < count; i++) {
      const index = (this.#next + i) % count;
      const lane = this.#lanes[index] as JournalWriter;
      if (!lane.flushing) idle ??= index;
      else if (lane.queueDepth > 0 && (waiting === undefined || lane.queueDepth < waiting.queueDepth)) waiting = lane;
    }
    if (waiting !== undefined) return waiting;
    if (idle !== undefined) {
      this.#next = (idle + 1) % count;
      return this.#lanes[idle] as JournalWriter;
    }
    // Every lane flushing, none with rows waiting: start the next batch on the next lane in turn.
    const lane = this.#lanes[this.#next] as JournalWriter;
    this.#next = (this.#next + 1) % count;
    return lane;
  }
}
