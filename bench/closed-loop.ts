/**
 * Closed-loop load with autocannon for the multi-server runs (`--live`, `--scale`): a fixed number
 * of connections, one request in flight on each, as fast as the server answers. Each in-flight
 * request holds a token no other in-flight request holds while there are enough, so the gateway's
 * in-flight lock (409) does not trigger.
 */
import autocannon from 'autocannon';

export interface ClosedLoopOptions {
  origin: string;
  path: string;
  tokens: readonly string[];
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface ClosedLoopResult {
  rps: number;
  /** Latency percentiles, ms (autocannon's resolution). */
  p50: number;
  p90: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Requests sent and answered 2xx (for a journal check). */
  sent: number;
  ok: number;
  /** Non-2xx answers by HTTP status. */
  failures: Record<string, number>;
}

export async function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { tokens } = options;
  const free = [...tokens];
  let i = 0;
  const result = await autocannon({
    url: options.origin,
    connections: options.connections,
    pipelining: 1,
    duration: options.duration,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        path: options.path,
        setupRequest: (req, context) => {
          const token = free.pop() ?? (tokens[i++ % tokens.length] as string);
          context.token = token;
          return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } };
        },
        onResponse: (_status, _body, context) => {
          if (typeof context.token === 'string') free.push(context.token);
          context.token = undefined;
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    sent: result.requests.sent,
    ok: result['2xx'],
    failures: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).filter(([code]) => !code.startsWith('2')).map(([code, { count }]) => [code, count])),
  };
}
