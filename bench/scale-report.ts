/**
 * The report of the scale benchmark (bench/scale-run.ts): the table of the five columns, the
 * issue-6 targets as PASS/FAIL lines, the journal and Redis checks, and each run's figures, as the
 * `scale` section of docs/benchmarks.md.
 */
import { median } from './harness.ts';
import type { ClosedLoopResult } from './closed-loop.ts';
import type { OpenLoopResult } from './open-loop.ts';

export const TARGETS = ['direct', 'undici', 'nginx', 'embedded', 'postgres'] as const;
export type Target = (typeof TARGETS)[number];
export const LABEL: Record<Target, string> = {
  direct: 'direct to simulator',
  undici: 'bare undici proxy',
  nginx: 'nginx',
  embedded: 'gateway, embedded PGlite',
  postgres: 'gateway, PostgreSQL + Redis',
};
export const GATEWAYS = ['embedded', 'postgres'] as const;

export interface Cpu {
  server: number;
  client: number;
  simulator: number;
  /** Everything else: PostgreSQL and Redis in the last column, other users' jobs anywhere. */
  other: number;
}

export interface Measured {
  run: number;
  busyBefore: number;
  closed: ClosedLoopResult;
  closedCpu: Cpu;
  open: OpenLoopResult;
  openCpu: Cpu;
  rssMb: number;
  warmupFailures: number;
  /** Failed requests of the whole measurement by status (`error`: no answer; `no free token`: open loop saturated). */
  failures: Record<string, number>;
  journal?: { rows: number; httpRequests: number; sent: number; ok: number };
  redisCommands?: number;
}

export function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}
export function ms(us: number): string {
  return Number.isFinite(us) ? (us / 1000).toFixed(2) : 'n/a';
}

export interface ScaleReportInput {
  results: Record<Target, Measured[]>;
  /** Why a column was not run. */
  skipped: Partial<Record<Target, string>>;
  opts: { rate: number; openWarmup: number; openDuration: number; connections: number; warmup: number; duration: number; tokens: number; runs: number };
  /** The section's first bullet lines (date, machine, pinning, command, settings…), without the dash. */
  context: string[];
}

/** The section (markers included) and the problems that make the run fail (journal, Redis, errors under load). */
export function scaleReport({ results, skipped, opts, context }: ScaleReportInput): { section: string; problems: string[] } {
  const problems: string[] = [];
  const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n * 100)} %` : 'n/a');
  const med = (t: Target, pick: (m: Measured) => number) => median(results[t].map(pick));
  const sum = (t: Target, pick: (m: Measured) => number) => results[t].reduce((a, m) => a + pick(m), 0);
  /** Median over runs of a per-run difference between two columns (runs where both were measured). */
  const medDiff = (a: Target, b: Target, pick: (m: Measured) => number) =>
    median(results[a].flatMap((m) => results[b].filter((r) => r.run === m.run).map((r) => pick(m) - pick(r))));
  const cell = (t: Target, value: () => string) => (skipped[t] !== undefined ? 'not run' : results[t].length === 0 ? 'failed' : value());
  const row = (label: string, value: (t: Target) => string) => `| ${label} | ${TARGETS.map((t) => cell(t, () => value(t))).join(' | ')} |`;

  const rps = (t: Target) => med(t, (m) => m.closed.rps);
  const runsLabel = opts.runs > 1 ? `median of ${opts.runs} runs` : '1 run';
  const table = [
    `| ${runsLabel} | ${TARGETS.map((t) => LABEL[t]).join(' | ')} |`,
    `|---|${TARGETS.map(() => '---:').join('|')}|`,
    row(`open loop ${opts.rate} req/s p50, ms`, (t) => ms(med(t, (m) => m.open.p50))),
    row(`open loop ${opts.rate} req/s p90, ms`, (t) => ms(med(t, (m) => m.open.p90))),
    row(`open loop ${opts.rate} req/s p99, ms`, (t) => ms(med(t, (m) => m.open.p99))),
    row(`open loop ${opts.rate} req/s p99.9, ms`, (t) => ms(med(t, (m) => m.open.p999))),
    row('open-loop errors (sum of runs)', (t) => int(sum(t, (m) => m.open.errors))),
    row('server CPU, open loop (1 = one core)', (t) => med(t, (m) => m.openCpu.server).toFixed(2)),
    row('closed-loop throughput, req/s', (t) => int(rps(t))),
    row('closed-loop latency p50 / p99, ms', (t) => `${med(t, (m) => m.closed.p50)} / ${med(t, (m) => m.closed.p99)}`),
    row('closed-loop non-2xx + errors (sum of runs, warm-ups included)', (t) => int(sum(t, (m) => m.closed.non2xx + m.closed.errors + m.warmupFailures))),
    row('failures by status, sum of runs (`error`: no answer)', (t) => {
      const all: Record<string, number> = {};
      for (const m of results[t]) for (const [key, n] of Object.entries(m.failures)) all[key] = (all[key] ?? 0) + n;
      return Object.entries(all).map(([key, n]) => `${key} × ${n}`).join(', ') || 'none';
    }),
    row('server CPU, closed loop', (t) => med(t, (m) => m.closedCpu.server).toFixed(2)),
    row('CPU 0 (simulator + load generator), closed loop', (t) => med(t, (m) => m.closedCpu.simulator + m.closedCpu.client + (t === 'direct' ? m.closedCpu.server : 0)).toFixed(2)),
    row('other CPU (PostgreSQL, Redis, rest), closed loop', (t) => med(t, (m) => m.closedCpu.other).toFixed(2)),
    row('server RSS at the end, MB', (t) => int(med(t, (m) => m.rssMb))),
    row('throughput / bare undici proxy', (t) => pct(rps(t) / rps('undici'))),
    row('throughput / nginx', (t) => (skipped.nginx !== undefined ? 'n/a' : pct(rps(t) / rps('nginx')))),
    row('added p50 vs bare undici proxy, ms', (t) => ms(medDiff(t, 'undici', (m) => m.open.p50))),
    row('added p99 vs bare undici proxy, ms', (t) => ms(medDiff(t, 'undici', (m) => m.open.p99))),
    row('added p50 vs direct, ms', (t) => ms(medDiff(t, 'direct', (m) => m.open.p50))),
    row('added p99 vs direct, ms', (t) => ms(medDiff(t, 'direct', (m) => m.open.p99))),
    row('journal rows / HTTP requests received', (t) => (t === 'embedded' || t === 'postgres' ? `${int(sum(t, (m) => m.journal?.rows ?? Number.NaN))} / ${int(sum(t, (m) => m.journal?.httpRequests ?? Number.NaN))}` : '—')),
  ].join('\n');

  const verdict = (ok: boolean) => `**${ok ? 'PASS' : 'FAIL'}**`;
  const verdicts: string[] = [];
  const targets: Record<(typeof GATEWAYS)[number], { ratio: number; p50: number; p99: number; rss: number }> = {
    postgres: { ratio: 0.4, p50: 1000, p99: 8000, rss: 250 },
    embedded: { ratio: 0.25, p50: 3000, p99: 15000, rss: 400 },
  };
  for (const g of ['postgres', 'embedded'] as const) {
    const label = LABEL[g];
    if (skipped[g] !== undefined || results[g].length === 0 || results.undici.length === 0) {
      verdicts.push(`- ${label}: **not run** (${skipped[g] ?? 'failed, see the problems below'})`);
      continue;
    }
    const t = targets[g];
    const ratio = rps(g) / rps('undici');
    const p50 = medDiff(g, 'undici', (m) => m.open.p50);
    const p99 = medDiff(g, 'undici', (m) => m.open.p99);
    const rss = med(g, (m) => m.rssMb);
    verdicts.push(
      `- ${label}, throughput: ${int(rps(g))} req/s = **${pct(ratio)}** of the bare undici proxy's ${int(rps('undici'))} req/s (target ≥ ${pct(t.ratio)}): ${verdict(ratio >= t.ratio)}`,
      `- ${label}, added latency at ${opts.rate} req/s vs the bare undici proxy: p50 **${ms(p50)} ms** (target ≤ ${t.p50 / 1000} ms): ${verdict(p50 <= t.p50)}; p99 **${ms(p99)} ms** (target ≤ ${t.p99 / 1000} ms): ${verdict(p99 <= t.p99)}`,
      `- ${label}, RSS at the end: **${int(rss)} MB** (target ≤ ${t.rss} MB): ${verdict(rss <= t.rss)}`,
    );
  }
  for (const g of GATEWAYS) {
    for (const m of results[g]) {
      const j = m.journal;
      const ok = j !== undefined && j.rows === j.httpRequests && j.rows >= j.ok && j.rows <= j.sent;
      verdicts.push(
        `- Journal, ${LABEL[g]}${opts.runs > 1 ? `, run ${m.run}` : ''}: ${int(j?.rows ?? Number.NaN)} rows for ${int(j?.httpRequests ?? Number.NaN)} HTTP requests received ` +
          `(client side: ${int(j?.ok ?? Number.NaN)} answered 200, ${int(j?.sent ?? Number.NaN)} sent): ${verdict(ok)}`,
      );
      if (!ok) problems.push(`journal check failed for ${LABEL[g]}, run ${m.run}`);
    }
  }
  for (const m of results.postgres) {
    const perRequest = (m.redisCommands ?? Number.NaN) / (m.journal?.httpRequests ?? Number.NaN);
    verdicts.push(`- Redis in use by ${LABEL.postgres}${opts.runs > 1 ? `, run ${m.run}` : ''}: ${int(m.redisCommands ?? Number.NaN)} commands processed by the Redis server during its life, ${perRequest.toFixed(1)} per request (≥ 1 expected): ${verdict(perRequest >= 1)}`);
    if (!(perRequest >= 1)) problems.push(`the PostgreSQL + Redis gateway did not use Redis (run ${m.run})`);
  }
  const failures = TARGETS.flatMap((t) => results[t].map((m) => m.open.errors + m.closed.non2xx + m.closed.errors + m.warmupFailures)).reduce((a, b) => a + b, 0);
  verdicts.push(`- Correctness under load (0 non-2xx, 0 errors in every column): ${verdict(failures === 0)}`);
  if (failures > 0) problems.push(`${failures} non-2xx answers or errors under load (see the table)`);
  if (skipped.nginx !== undefined) verdicts.push(`- nginx: **not run** — ${skipped.nginx}`);
  if (skipped.postgres !== undefined) problems.push(`${LABEL.postgres} not run: ${skipped.postgres}`);

  const perRun = [
    '| run | column | busy cores before | closed req/s | closed p50 / p99 ms | closed CPU server / CPU 0 / other | open p50 / p90 / p99 / p99.9 µs | open errors | send lag p99 µs | open CPU server / CPU 0 / other | RSS MB |',
    '|---|---|---:|---:|---|---|---|---:|---:|---|---:|',
    ...TARGETS.flatMap((t) =>
      results[t].map((m) => {
        const cpu0 = (c: Cpu) => c.client + c.simulator + (t === 'direct' ? c.server : 0);
        return (
          `| ${m.run} | ${LABEL[t]} | ${m.busyBefore.toFixed(2)} | ${int(m.closed.rps)} | ${m.closed.p50} / ${m.closed.p99} | ` +
          `${m.closedCpu.server.toFixed(2)} / ${cpu0(m.closedCpu).toFixed(2)} / ${m.closedCpu.other.toFixed(2)} | ` +
          `${int(m.open.p50)} / ${int(m.open.p90)} / ${int(m.open.p99)} / ${int(m.open.p999)} | ${m.open.errors} | ${int(m.open.sendLagP99)} | ` +
          `${m.openCpu.server.toFixed(2)} / ${cpu0(m.openCpu).toFixed(2)} / ${m.openCpu.other.toFixed(2)} | ${m.rssMb} |`
        );
      }),
    ),
  ].join('\n');

  const section = [
    '<!-- bench:begin scale -->',
    '## Scale: the gateway embedded and on PostgreSQL + Redis, against a bare undici proxy and nginx (issue 6)',
    '',
    ...context.map((line) => `- ${line}`),
    `- Settings: open loop ${opts.rate} req/s, ${opts.openWarmup} s dropped + ${opts.openDuration} s measured (latency from the due time); closed loop ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s (autocannon); ${opts.tokens} tokens; ${runsLabel}`,
    `- Other processes' CPU before each measurement: ${TARGETS.flatMap((t) => results[t].map((m) => m.busyBefore.toFixed(2))).join(', ')} core(s)`,
    '',
    table,
    '',
    `Targets (issue 6; "added" = gateway − bare undici proxy in the same run, open loop at ${opts.rate} req/s):`,
    '',
    ...verdicts,
    '',
    '<details><summary>Each run (CPU 0 = simulator + load generator)</summary>',
    '',
    perRun,
    '',
    '</details>',
    '<!-- bench:end scale -->',
  ].join('\n');
  return { section, problems };
}
