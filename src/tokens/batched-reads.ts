/**
 * Reads rows by key in as few queries as the load allows: at most one query is in flight, and the
 * reads asked while it runs go together in the next one.
 *
 * An urgent read (a call is waiting for it) starts a query at once when no urgent query is in flight,
 * so a lone read costs no added wait. A lazy read (a background re-read) waits up to `windowMs` for
 * others to share its query, and goes with the next urgent one if that comes first. Urgent and lazy
 * queries run in two lanes, one query in flight each: a call never queues behind a slow background
 * re-read (after a revocation notice, say, it must read the row afresh, not wait for an older read).
 *
 * Why: the token verifier reads one row per token it has not seen for a while. Issued one query per
 * read, a burst of such tokens (a restart, a load spike that wakes idle clients) queued ~200 queries
 * on the embedded database's single connection and held calls for 100–300 ms (the live benchmark's
 * p99); read together, the same burst costs a few queries of many rows.
 */
interface Read<K, V> {
  key: K;
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

export interface BatchedReadsOptions<K, V> {
  /** Reads the rows of `keys` (distinct, at most `maxKeys`); an absent key is an absent row. */
  readMany: (keys: K[]) => Promise<Map<K, V>>;
  /** How long a lazy read waits for others (ms). */
  windowMs: number;
  /** Most keys in one query (a query's parameters are bounded); more are read in several. */
  maxKeys?: number;
}

export class BatchedReads<K, V> {
  readonly #readMany: (keys: K[]) => Promise<Map<K, V>>;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  #queue: Array<Read<K, V>> = [];
  #urgent = false;
  readonly #inFlight = { urgent: false, lazy: false };
  #timer: NodeJS.Timeout | undefined;

  constructor(options: BatchedReadsOptions<K, V>) {
    this.#readMany = options.readMany;
    this.#windowMs = options.windowMs;
    this.#maxKeys = options.maxKeys ?? 500;
  }

  read(key: K, urgent: boolean): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, resolve, reject });
      if (urgent) this.#urgent = true;
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#queue.length === 0) return;
    if (this.#urgent) {
      if (!this.#inFlight.urgent) void this.#flush('urgent');
    } else if (!this.#inFlight.lazy && this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (!this.#inFlight.lazy) void this.#flush('lazy');
      }, this.#windowMs).unref();
    }
  }

  /** Reads every queued key (urgent or lazy) in the given lane. */
  async #flush(lane: 'urgent' | 'lazy'): Promise<void> {
    if (lane === 'urgent') {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const reads = this.#queue;
    this.#queue = [];
    this.#urgent = false;
    this.#inFlight[lane] = true;
    try {
      const keys = [...new Set(reads.map((read) => read.key))];
      const rows = new Map<K, V>();
      for (let i = 0; i < keys.length; i += this.#maxKeys) {
        for (const [key, value] of await this.#readMany(keys.slice(i, i + this.#maxKeys))) rows.set(key, value);
      }
      for (const read of reads) read.resolve(rows.get(read.key));
    } catch (error) {
      for (const read of reads) read.reject(error);
    } finally {
      this.#inFlight[lane] = false;
      this.#schedule();
    }
  }
}
