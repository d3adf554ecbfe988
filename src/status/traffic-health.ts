/**
 * Health of each provider as seen by real traffic, in sandbox and live mode alike: the calls that
 * reached the provider, in a rolling window. A call is a success when the provider answered
 * usefully — data or a "not found" — and a failure on a 5xx (timeout, upstream error, breaker).
 */
import { RollingWindow } from '../live/provider-health.ts';

export class TrafficHealth {
  readonly #windows = new Map<string, RollingWindow>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  record(provider: string, status: number, latencyMs: number): void {
    let window = this.#windows.get(provider);
    if (window === undefined) {
      window = new RollingWindow({ size: 500, maxAgeMs: 5 * 60_000, now: this.#now });
      this.#windows.set(provider, window);
    }
    window.record(status < 500, latencyMs);
  }

  summary(provider: string): ReturnType<RollingWindow['summary']> {
    return this.#windows.get(provider)?.summary() ?? { calls: 0, successRate: null, p50: null, p95: null };
  }
}
