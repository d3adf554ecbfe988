/**
 * A small per-client limit on form submissions (issue 7 item 4: "rate-limit or size-limit the
 * form"): at most `max` accepted submissions per client IP per window. In memory and per instance:
 * it slows down a script, the body limit of the portal (16 KB) bounds each message.
 */
export class SubmissionLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, number[]>();

  constructor(options: { max: number; windowMs: number; now: () => number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
    this.#now = options.now;
  }

  /** True when `client` may submit now; counts the submission. */
  take(client: string): boolean {
    const now = this.#now();
    const recent = (this.#hits.get(client) ?? []).filter((t) => t > now - this.#windowMs);
    if (recent.length >= this.#max) {
      this.#hits.set(client, recent);
      return false;
    }
    recent.push(now);
    this.#hits.delete(client);
    // Bounded: the oldest clients are forgotten first.
    if (this.#hits.size >= 10_000) this.#hits.delete(this.#hits.keys().next().value as string);
    this.#hits.set(client, recent);
    return true;
  }
}
