/**
 * Live-mode benchmark (`npm run bench -- --live`, issue 4): in the same run, against the same
 * upstream simulator answering at once,
 *   1. **direct**: the load generator calls the simulator itself;
 *   2. **bare proxy**: through a pass-through proxy (node:http + undici Pool, nothing else);
 *   3. **gateway**: through the gateway in live mode (token, validation, scopes, lock, live driver
 *      with budget/breaker/OAuth2 token/schema check/mapping, masking, journal).
 * Open loop at a fixed rate (latency from the due time, `open-loop.ts`) for all three; closed loop
 * (autocannon) for proxy and gateway throughput. Added latency = gateway − bare proxy (and − direct).
 * The route is Cnous `/ine` (no response cache, so every call reaches the upstream).
 *
 *   npm run bench -- --live [--rate 1000] [--open-duration 10] [--open-warmup 2] [--duration 10]
 *                           [--warmup 3] [--connections 50] [--runs 3] [--tokens 200] [--no-doc] [--quick]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closedLoop as closedLoopOnce } from './closed-loop.ts';
import { ChildGroup, describeMachine, median, pinLoadGenerator, replaceDocSection, RUNTIME, waitIdle } from './harness.ts';
import { GATEWAY_PATH, UPSTREAM_PATH, startLiveUpstream, writeLiveEnv } from './live-upstream.ts';
import { openLoop, type OpenLoopResult } from './open-loop.ts';

const { values: argv } = parseArgs({
  options: {
    live: { type: 'boolean' },
    rate: { type: 'string' },
    'open-duration': { type: 'string' },
    'open-warmup': { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    runs: { type: 'string' },
    tokens: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    'wait-idle': { type: 'string' },
    /** Issue 4's stage, "before the journal": the gateway discards journal rows (bench only). */
    'without-journal': { type: 'boolean', default: false },
  },
});
const withoutJournal = argv['without-journal'] === true;
const sectionKey = withoutJournal ? 'live-without-journal' : 'live';
const quick = argv.quick === true;
const n = (raw: string | undefined, fallback: number) => (raw === undefined ? fallback : Number(raw));
const opts = {
  rate: n(argv.rate, 1000),
  openDurationMs: n(argv['open-duration'], quick ? 2 : 10) * 1000,
  openWarmupMs: n(argv['open-warmup'], quick ? 1 : 2) * 1000,
  duration: n(argv.duration, quick ? 2 : 10),
  warmup: n(argv.warmup, quick ? 1 : 3),
  connections: n(argv.connections, 50),
  runs: n(argv.runs, quick ? 1 : 3),
  tokens: n(argv.tokens, 200),
  writeDoc: !(argv['no-doc'] === true || quick),
  /** Before each run, wait up to this many seconds for other processes to use < 0.25 core. */
  waitIdle: n(argv['wait-idle'], quick ? 0 : 120),
};

const busyBefore: number[] = [];

// Read before pinning: `nproc` counts the CPUs this process may use.
const m = describeMachine();
const machine = `${m.nproc} CPUs, ${m.cpu}, Node ${m.node}`;
const group = new ChildGroup('apip-bench-live-', pinLoadGenerator(argv['no-pin'] === true));
const pin = group.pin;

async function closedLoop(origin: string, pathAndQuery: string, tokens: readonly string[]) {
  const run = (duration: number) => closedLoopOnce({ origin, path: pathAndQuery, tokens, connections: opts.connections, duration });
  if (opts.warmup > 0) await run(opts.warmup);
  return run(opts.duration);
}

interface RunResult {
  direct: OpenLoopResult;
  proxy: OpenLoopResult;
  gateway: OpenLoopResult;
  proxyClosed: Awaited<ReturnType<typeof closedLoop>>;
  gatewayClosed: Awaited<ReturnType<typeof closedLoop>>;
}

async function oneRun(): Promise<RunResult> {
  const live = await startLiveUpstream(group, '0');
  const simulator = live.simulator;
  const upstream = live.origin;
  const upstreamTokens = Array.from({ length: opts.tokens }, () => live.accessToken);
  const envFile = path.join(group.tempDir, 'live.env');
  writeLiveEnv(envFile, live);
  const tokensFile = path.join(group.tempDir, 'tokens.txt');
  const proxy = await group.start('passthrough-proxy-server.ts', ['--upstream', upstream], '1');
  const gateway = await group.start('gateway-server.ts', ['--live-env', envFile, '--tokens', String(opts.tokens), '--tokens-file', tokensFile, ...(withoutJournal ? ['--without-journal'] : [])], '1');
  const apiTokens = readFileSync(tokensFile, 'utf8').trim().split('\n');
  try {
    const open = (origin: string, p: string, tokens: readonly string[]) =>
      openLoop({ origin, path: p, rate: opts.rate, warmupMs: opts.openWarmupMs, durationMs: opts.openDurationMs, tokens });
    const direct = await open(upstream, UPSTREAM_PATH, upstreamTokens);
    const proxyOpen = await open(`http://127.0.0.1:${proxy.ready.port}`, UPSTREAM_PATH, upstreamTokens);
    const gatewayOpen = await open(`http://127.0.0.1:${gateway.ready.port}`, GATEWAY_PATH, apiTokens);
    const proxyClosed = await closedLoop(`http://127.0.0.1:${proxy.ready.port}`, UPSTREAM_PATH, upstreamTokens);
    const gatewayClosed = await closedLoop(`http://127.0.0.1:${gateway.ready.port}`, GATEWAY_PATH, apiTokens);
    return { direct, proxy: proxyOpen, gateway: gatewayOpen, proxyClosed, gatewayClosed };
  } finally {
    await gateway.stop();
    await proxy.stop();
    await simulator.stop();
  }
}

const runs: RunResult[] = [];
for (let i = 0; i < opts.runs; i++) {
  process.stdout.write(`live run ${i + 1}/${opts.runs}…\n`);
  busyBefore.push(await waitIdle(opts.waitIdle));
  runs.push(await oneRun());
}

const us = (v: number) => (v / 1000).toFixed(2);
const med = (pick: (r: RunResult) => number) => median(runs.map(pick));
const rows = {
  directP50: med((r) => r.direct.p50),
  directP99: med((r) => r.direct.p99),
  proxyP50: med((r) => r.proxy.p50),
  proxyP99: med((r) => r.proxy.p99),
  gatewayP50: med((r) => r.gateway.p50),
  gatewayP99: med((r) => r.gateway.p99),
  addedP50: med((r) => r.gateway.p50 - r.proxy.p50),
  addedP99: med((r) => r.gateway.p99 - r.proxy.p99),
  addedP50Direct: med((r) => r.gateway.p50 - r.direct.p50),
  addedP99Direct: med((r) => r.gateway.p99 - r.direct.p99),
  errors: runs.reduce((a, r) => a + r.direct.errors + r.proxy.errors + r.gateway.errors + r.proxyClosed.non2xx + r.gatewayClosed.non2xx + r.proxyClosed.errors + r.gatewayClosed.errors, 0),
  proxyRps: med((r) => r.proxyClosed.rps),
  gatewayRps: med((r) => r.gatewayClosed.rps),
};
const ratio = rows.gatewayRps / rows.proxyRps;
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
const section = [
  `<!-- bench:begin ${sectionKey} -->`,
  `## live mode against a simulator answering at once${withoutJournal ? ', without the access journal (issue 4 stage)' : ', durable journal on the embedded PGlite'}`,
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${machine}; ${RUNTIME}`,
  `- Pinning: ${pin ? 'proxy and gateway on CPU 1; simulator and load generator on CPU 0 (`taskset`)' : 'none'}`,
  `- Command: \`${command}\``,
  `- Route: \`GET /v3/cnous/etudiant_boursier/ine\` (no response cache) → simulator \`GET /v1/etudiants-boursiers\` (OAuth2); open loop ${opts.rate} req/s, ${opts.openWarmupMs / 1000} s dropped + ${opts.openDurationMs / 1000} s measured; closed loop ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s; median of ${opts.runs} run(s); non-2xx or errors in all runs: ${rows.errors}; other processes' CPU before each run: ${busyBefore.map((b) => b.toFixed(2)).join(', ')} core(s)`,
  '',
  '| open loop, ms | direct to simulator | bare undici proxy | gateway (live) | added vs proxy | added vs direct |',
  '|---|---:|---:|---:|---:|---:|',
  `| p50 | ${us(rows.directP50)} | ${us(rows.proxyP50)} | ${us(rows.gatewayP50)} | ${us(rows.addedP50)} | ${us(rows.addedP50Direct)} |`,
  `| p99 | ${us(rows.directP99)} | ${us(rows.proxyP99)} | ${us(rows.gatewayP99)} | ${us(rows.addedP99)} | ${us(rows.addedP99Direct)} |`,
  '',
  `| closed loop | bare undici proxy | gateway (live) | gateway / proxy |`,
  '|---|---:|---:|---:|',
  `| throughput, req/s | ${Math.round(rows.proxyRps).toLocaleString('en')} | ${Math.round(rows.gatewayRps).toLocaleString('en')} | ${Math.round(ratio * 100)} % |`,
  '',
  `Targets (issue 4): added p50 ≤ 0.5 ms — ${verdict(rows.addedP50 <= 500)}; added p99 ≤ 5 ms — ${verdict(rows.addedP99 <= 5000)}; throughput ≥ 50 % of the bare proxy — ${verdict(ratio >= 0.5)}.`,
  ...(withoutJournal ? ['', "Journal excluded (`--without-journal`): issue 4 sets these targets for the stage before the journal; the run without the flag measures the full pipeline."] : []),
  `<!-- bench:end ${sectionKey} -->`,
].join('\n');
process.stdout.write(`\n${section}\n`);
if (opts.writeDoc) replaceDocSection(sectionKey, section);
process.exit(0);
