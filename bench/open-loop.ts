/**
 * Open-loop load at a fixed rate, free of coordinated omission: request i is due at t0 + i/rate and
 * its latency is measured from that due time, not from when it was actually sent, so a stalled
 * server (or client) shows up in the percentiles instead of silently lowering the offered load.
 * Requests never wait for earlier ones. Each request takes a token that no other in-flight request
 * holds, so the gateway's in-flight lock (409) cannot trigger.
 *
 * The generator spins (see the loop) and so takes a whole core. While it runs it lowers its own
 * priority to nice 19: the processes that share its core — the upstream simulator, and PostgreSQL
 * and Redis, which are not pinned — then run as soon as they wake instead of waiting for the spinner's
 * time slice, as they would on a server that is not also the client. It costs the generator a few
 * microseconds of send lag when they run (reported as `sendLagP99`, and counted in the latencies,
 * which start at the due time).
 */
import { getPriority, setPriority } from 'node:os';
import { Pool } from 'undici';

export interface OpenLoopOptions {
  origin: string;
  path: string;
  /** Requests per second. */
  rate: number;
  warmupMs: number;
  durationMs: number;
  tokens: readonly string[];
  /** Connections in the undici pool. */
  connections?: number;
  /** After the last send, how long to wait for stragglers before counting them as errors. */
  drainTimeoutMs?: number;
}

export interface OpenLoopResult {
  rate: number;
  /** Requests due in the measured window. */
  scheduled: number;
  ok: number;
  errors: number;
  /** Due requests with no free token (more in flight than tokens): counted in `errors` too. */
  saturated: number;
  /** Sends in the whole run, warm-up included, that reached the client (for the journal check). */
  sent: number;
  /** Successful answers in the whole run, warm-up included. */
  okTotal: number;
  /** Latency from due time to full response, µs. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** How late the client sent compared with the schedule, µs: a sanity check of the generator. */
  sendLagP99: number;
  achievedRate: number;
  /** Failed requests of the whole run by HTTP status, `error` when no answer came (warm-up included, saturation excluded). */
  failures: Record<string, number>;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Sets this process's nice value; raising it back needs privileges, so a refusal is ignored (the value stays). */
function lowerPriority(nice: number): void {
  try {
    setPriority(nice);
  } catch {
    // not permitted: the measurement goes on at the current priority
  }
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const intervalMs = 1000 / options.rate;
  const total = Math.round(((options.warmupMs + options.durationMs) * options.rate) / 1000);
  const pool = new Pool(options.origin, {
    connections: options.connections ?? 64,
    pipelining: 1,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    keepAliveTimeout: 60_000,
  });
  const free = [...options.tokens];
  const latencies: number[] = [];
  const lags: number[] = [];
  let errors = 0;
  let saturated = 0;
  let sent = 0;
  let okTotal = 0;
  let inFlight = 0;
  let measuredEnd = 0;
  const failures: Record<string, number> = {};
  const fail = (key: string): false => {
    failures[key] = (failures[key] ?? 0) + 1;
    return false;
  };

  const t0 = performance.now() + 20;
  const measureFrom = t0 + options.warmupMs;

  const fire = (due: number, now: number): void => {
    const measured = due >= measureFrom;
    if (measured) lags.push((now - due) * 1000);
    const token = free.pop();
    if (token === undefined) {
      if (measured) {
        saturated += 1;
        errors += 1;
      }
      return;
    }
    inFlight += 1;
    sent += 1;
    void pool
      .request({ origin: options.origin, path: options.path, method: 'GET', headers: { authorization: `Bearer ${token}` } })
      .then(async (response) => {
        await response.body.dump();
        return response.statusCode === 200 || fail(String(response.statusCode));
      })
      .catch(() => fail('error'))
      .then((ok) => {
        const done = performance.now();
        inFlight -= 1;
        free.push(token);
        if (ok) okTotal += 1;
        if (!measured) return;
        if (ok) {
          latencies.push((done - due) * 1000);
          measuredEnd = Math.max(measuredEnd, done);
        } else {
          errors += 1;
        }
      });
  };

  // A setImmediate loop: it spins, but it polls I/O on every turn and misses the schedule by
  // microseconds, where a 1 ms timer would add up to a millisecond of client-side lag.
  let next = 0;
  const priority = getPriority();
  lowerPriority(19);
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (next < total && t0 + next * intervalMs <= now) {
        fire(t0 + next * intervalMs, now);
        next += 1;
      }
      if (next < total) setImmediate(tick);
      else resolve();
    };
    setImmediate(tick);
  });

  const drainDeadline = performance.now() + (options.drainTimeoutMs ?? 10_000);
  while (inFlight > 0 && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 5));
  const stragglers = inFlight;
  lowerPriority(priority);
  await pool.destroy();

  const sorted = Float64Array.from(latencies).sort();
  const sortedLags = Float64Array.from(lags).sort();
  const scheduled = total - Math.round((options.warmupMs * options.rate) / 1000);
  const windowMs = Math.max(measuredEnd - measureFrom, options.durationMs);
  return {
    rate: options.rate,
    scheduled,
    ok: latencies.length,
    errors: errors + stragglers,
    saturated,
    sent,
    okTotal,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
    sendLagP99: percentile(sortedLags, 99),
    achievedRate: (latencies.length * 1000) / windowMs,
    failures,
  };
}
