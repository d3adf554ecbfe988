/**
 * Prometheus metrics of one app instance (issue 6, item 5; docs/adr/0009-metrics.md). A registry per
 * instance, never the global one, so tests and several apps in one process do not mix counts.
 * Labels stay low-cardinality: route templates, provider ids, statuses, policy names — never a token,
 * an IP or a parameter.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; fine at the low end, where the gateway's own overhead lives. */
const FAST_BUCKETS = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const UPSTREAM_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface CallObservation {
  route: string;
  provider: string;
  status: number;
  totalMs: number;
  /** Absent when the call never reached the provider (refused, invalid, cached). */
  providerMs: number | undefined;
  journalMs: number;
  /** Names of the rate-limit policies that refused the call. */
  refusedBy: readonly string[];
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #calls: Counter<'route' | 'status'>;
  readonly #overhead: Histogram<never>;
  readonly #upstream: Histogram<'provider'>;
  readonly #journalWait: Histogram<never>;
  readonly #journalFlush: Histogram<never>;
  readonly #journalFlushRows: Counter<'outcome'>;
  readonly #rejections: Counter<'policy'>;

  constructor(options: { journalQueueDepth: () => number; defaultMetrics?: boolean }) {
    const registers = [this.registry];
    this.#calls = new Counter({ name: 'apip_data_calls_total', help: 'Data API calls by route template and HTTP status', labelNames: ['route', 'status'], registers });
    this.#overhead = new Histogram({
      name: 'apip_gateway_overhead_seconds',
      help: "Time spent in the gateway itself on a data call: total minus the provider's time",
      buckets: FAST_BUCKETS,
      registers,
    });
    this.#upstream = new Histogram({ name: 'apip_provider_latency_seconds', help: 'Time taken by the provider (sandbox or upstream) per call', labelNames: ['provider'], buckets: UPSTREAM_BUCKETS, registers });
    this.#journalWait = new Histogram({ name: 'apip_journal_wait_seconds', help: 'Time a call waits for its journal row to be committed', buckets: FAST_BUCKETS, registers });
    this.#journalFlush = new Histogram({ name: 'apip_journal_flush_seconds', help: 'Duration of one journal flush (one transaction, many rows)', buckets: FAST_BUCKETS, registers });
    this.#journalFlushRows = new Counter({ name: 'apip_journal_rows_total', help: 'Journal rows written or failed, by outcome', labelNames: ['outcome'], registers });
    this.#rejections = new Counter({ name: 'apip_rate_limit_rejections_total', help: 'Calls refused with a 429 by the gateway, by policy', labelNames: ['policy'], registers });
    new Gauge({
      name: 'apip_journal_queue_depth',
      help: 'Journal rows waiting for a flush',
      registers,
      collect() {
        this.set(options.journalQueueDepth());
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'apip_' });
  }

  /** Labelled children, looked up once per label set (prom-client hashes the labels on every call otherwise). */
  readonly #callsBy = new Map<string, { inc(): void }>();
  readonly #upstreamBy = new Map<string, { observe(value: number): void }>();

  observeCall(call: CallObservation): void {
    const callsKey = `${call.status} ${call.route}`;
    let calls = this.#callsBy.get(callsKey);
    if (calls === undefined) {
      calls = this.#calls.labels({ route: call.route, status: String(call.status) });
      this.#callsBy.set(callsKey, calls);
    }
    calls.inc();
    const overheadMs = call.totalMs - (call.providerMs ?? 0);
    this.#overhead.observe(Math.max(0, overheadMs) / 1000);
    if (call.providerMs !== undefined) {
      let upstream = this.#upstreamBy.get(call.provider);
      if (upstream === undefined) {
        upstream = this.#upstream.labels({ provider: call.provider });
        this.#upstreamBy.set(call.provider, upstream);
      }
      upstream.observe(call.providerMs / 1000);
    }
    this.#journalWait.observe(call.journalMs / 1000);
    for (const policy of call.refusedBy) this.#rejections.inc({ policy });
  }

  observeJournalFlush(durationMs: number, rows: number, ok: boolean): void {
    this.#journalFlush.observe(durationMs / 1000);
    this.#journalFlushRows.inc({ outcome: ok ? 'written' : 'failed' }, rows);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
