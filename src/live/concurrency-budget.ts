/**
 * The concurrency budget of a provider: at most `max` calls in flight. A call over budget is
 * refused at once rather than queued (a queue in front of a slow upstream only turns slowness into
 * time-outs for everyone); the caller answers it with the provider's "service non disponible"
 * code and a short `retry_in` (docs/adr/0081-live-failure-codes.md).
 */
export class ConcurrencyBudget {
  readonly max: number;
  #inFlight = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError('the concurrency budget must be a positive integer');
    this.max = max;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Takes a slot: returns its release function, or `undefined` when the budget is spent. */
  tryAcquire(): (() => void) | undefined {
    if (this.#inFlight >= this.max) return undefined;
    this.#inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
    };
  }
}
