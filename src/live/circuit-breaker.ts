/**
 * A circuit breaker per provider (DESIGN §2.4, issue 4): after `failureThreshold` consecutive
 * failures the breaker opens and calls are answered at once, without touching the upstream; after
 * `openMs` it lets one probe through (half-open) — a success closes it, a failure opens it again.
 * The clock is injected so that tests freeze it (STYLE, jose habit).
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before it lets a probe through. */
  openMs: number;
  /** Milliseconds since an arbitrary origin. */
  now?: () => number;
}

/** What the breaker says about a call about to be made. */
export type BreakerPermit = { allowed: true } | { allowed: false; retryInMs: number };

export class CircuitBreaker {
  readonly #threshold: number;
  readonly #openMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openedAt: number | undefined;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1) || !(options.openMs >= 0)) throw new TypeError('failureThreshold ≥ 1 and openMs ≥ 0 are required');
    this.#threshold = options.failureThreshold;
    this.#openMs = options.openMs;
    this.#now = options.now ?? (() => performance.now());
  }

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#openMs ? 'half-open' : 'open';
  }

  /**
   * Asks to make a call. In half-open state only one probe is allowed at a time; the others are
   * refused as if the breaker were open.
   */
  permit(): BreakerPermit {
    const state = this.state;
    if (state === 'closed') return { allowed: true };
    if (state === 'half-open' && !this.#probeInFlight) {
      this.#probeInFlight = true;
      return { allowed: true };
    }
    const left = (this.#openedAt ?? 0) + this.#openMs - this.#now();
    return { allowed: false, retryInMs: Math.max(left, 0) };
  }

  /** Reports a call that reached the upstream and got a usable answer (data or not found). */
  success(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#probeInFlight = false;
  }

  /** Reports a failed call (timeout, connection, 5xx, malformed body). */
  failure(): void {
    this.#failures += 1;
    if (this.#probeInFlight || this.#failures >= this.#threshold) {
      this.#openedAt = this.#now();
      this.#probeInFlight = false;
    }
  }

  /** Reports a call that ended without a verdict on the upstream's health (throttled, cancelled). */
  neutral(): void {
    this.#probeInFlight = false;
  }
}
