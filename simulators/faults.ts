/**
 * Fault injection of the upstream simulators (issue 4 item 4), by configuration (rates and a latency
 * distribution, for demos and load) and per request with the `X-Simulator-Fault` header (for tests):
 *
 * - `timeout`: never answers (until the client gives up or the simulator closes);
 * - `500` / `502` / `503` / `504`: that status with a generic body;
 * - `throttle`: 429;
 * - `malformed`: a 200 whose body is not the contract's (truncated JSON);
 * - `invalid`: a 200 with well-formed JSON that breaks the contract's schema;
 * - `reset`: the connection is destroyed without an answer;
 * - `latency=NNN`: answers normally after NNN ms.
 *
 * Several faults may be combined with commas (`latency=200,500`). Tests may also queue faults for the
 * next requests (`Faults.queue`) when the request is sent by the gateway, not by the test.
 */

export type Fault =
  | { kind: 'timeout' }
  | { kind: 'status'; status: number }
  | { kind: 'throttle' }
  | { kind: 'malformed' }
  | { kind: 'invalid' }
  | { kind: 'reset' }
  | { kind: 'latency'; ms: number };

export interface FaultConfig {
  /** Added latency of every answer: uniform between `min` and `max` ms, plus a `p99` tail (1 % of answers). */
  latency?: { minMs: number; maxMs: number; tailMs?: number };
  /** Shares (0–1) of requests answered 500, held until timeout, throttled, malformed. */
  errorRate?: number;
  timeoutRate?: number;
  throttleRate?: number;
  malformedRate?: number;
}

/** Parses an `X-Simulator-Fault` header; unknown items are reported, never guessed. */
export function parseFaults(header: string | undefined): { faults: Fault[]; unknown: string[] } {
  const faults: Fault[] = [];
  const unknown: string[] = [];
  for (const raw of (header ?? '').split(',')) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    if (item === 'timeout') faults.push({ kind: 'timeout' });
    else if (item === 'throttle') faults.push({ kind: 'throttle' });
    else if (item === 'malformed') faults.push({ kind: 'malformed' });
    else if (item === 'invalid') faults.push({ kind: 'invalid' });
    else if (item === 'reset') faults.push({ kind: 'reset' });
    else if (/^5\d\d$/.test(item)) faults.push({ kind: 'status', status: Number(item) });
    else if (/^latency=\d{1,6}$/.test(item)) faults.push({ kind: 'latency', ms: Number(item.slice(8)) });
    else unknown.push(item);
  }
  return { faults, unknown };
}

/** The faults of one simulator: configured rates plus a queue for the next requests. */
export class Faults {
  config: FaultConfig;
  readonly #queue: Fault[][] = [];
  readonly #random: () => number;

  constructor(config: FaultConfig = {}, random: () => number = Math.random) {
    this.config = config;
    this.#random = random;
  }

  /** The next `count` requests get `faults` (tests driving the gateway). */
  queue(faults: Fault[] | string, count = 1): void {
    const parsed = typeof faults === 'string' ? parseFaults(faults) : { faults, unknown: [] };
    if (parsed.unknown.length > 0) throw new TypeError(`unknown faults: ${parsed.unknown.join(', ')}`);
    for (let i = 0; i < count; i++) this.#queue.push(parsed.faults);
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** The faults of a request: its header's, else the queued ones, else drawn from the configured rates. */
  draw(header: string | undefined): { faults: Fault[]; unknown: string[] } {
    const fromHeader = parseFaults(header);
    if (fromHeader.faults.length > 0 || fromHeader.unknown.length > 0) return fromHeader;
    const queued = this.#queue.shift();
    if (queued !== undefined) return { faults: queued, unknown: [] };
    const faults: Fault[] = [];
    const { latency, errorRate = 0, timeoutRate = 0, throttleRate = 0, malformedRate = 0 } = this.config;
    if (latency !== undefined) {
      const tail = latency.tailMs !== undefined && this.#random() < 0.01 ? latency.tailMs : 0;
      faults.push({ kind: 'latency', ms: latency.minMs + this.#random() * (latency.maxMs - latency.minMs) + tail });
    }
    const roll = this.#random();
    if (roll < timeoutRate) faults.push({ kind: 'timeout' });
    else if (roll < timeoutRate + errorRate) faults.push({ kind: 'status', status: 500 });
    else if (roll < timeoutRate + errorRate + throttleRate) faults.push({ kind: 'throttle' });
    else if (roll < timeoutRate + errorRate + throttleRate + malformedRate) faults.push({ kind: 'malformed' });
    return { faults, unknown: [] };
  }
}
