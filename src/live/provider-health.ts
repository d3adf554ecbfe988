/**
 * Rolling health of a provider for the status page (issue 4 item 6): over the last `size` calls
 * (and no older than `maxAgeMs`), the success rate and latency percentiles, with the breaker state.
 * A ring buffer: recording a call is O(1) and allocates nothing.
 */
import type { BreakerState } from './circuit-breaker.ts';

/** What the status page reads for one provider. */
export interface ProviderHealth {
  provider: string;
  breaker: BreakerState;
  /** Calls in the window. */
  calls: number;
  /** Share of calls in the window that got a usable answer (data or not found); `null` without calls. */
  successRate: number | null;
  latencyMs: { p50: number | null; p95: number | null };
  inFlight: number;
}

export class RollingWindow {
  readonly #ok: Uint8Array;
  readonly #ms: Float64Array;
  readonly #at: Float64Array;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #next = 0;
  #filled = 0;

  constructor(options: { size?: number; maxAgeMs?: number; now?: () => number } = {}) {
    const size = options.size ?? 500;
    this.#ok = new Uint8Array(size);
    this.#ms = new Float64Array(size);
    this.#at = new Float64Array(size);
    this.#maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.#now = options.now ?? (() => Date.now());
  }

  record(ok: boolean, latencyMs: number): void {
    this.#ok[this.#next] = ok ? 1 : 0;
    this.#ms[this.#next] = latencyMs;
    this.#at[this.#next] = this.#now();
    this.#next = (this.#next + 1) % this.#ok.length;
    this.#filled = Math.min(this.#filled + 1, this.#ok.length);
  }

  summary(): { calls: number; successRate: number | null; p50: number | null; p95: number | null } {
    const oldest = this.#now() - this.#maxAgeMs;
    const latencies: number[] = [];
    let ok = 0;
    for (let i = 0; i < this.#filled; i++) {
      if ((this.#at[i] ?? 0) < oldest) continue;
      latencies.push(this.#ms[i] ?? 0);
      ok += this.#ok[i] ?? 0;
    }
    if (latencies.length === 0) return { calls: 0, successRate: null, p50: null, p95: null };
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? null;
    return { calls: latencies.length, successRate: ok / latencies.length, p50: at(0.5), p95: at(0.95) };
  }
}
