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
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { request } from 'undici';
import { UPSTREAM_KEYS } from '../src/live/live-config.ts';
import type { ChildMessage } from './common.ts';
import { openLoop, type OpenLoopResult } from './open-loop.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(ROOT, 'docs', 'benchmarks.md');
const INE = '0905012345A';
const GATEWAY_PATH = `/v3/cnous/etudiant_boursier/ine?recipient=13002526500013&ine=${INE}`;
const UPSTREAM_PATH = `/v1/etudiants-boursiers?ine=${INE}`;

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
  },
});
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

/** Cores kept busy by the whole machine over `ms` (first line of /proc/stat). */
async function busyCores(ms: number): Promise<number> {
  const read = () => {
    const v = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  };
  const before = read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = read();
  return ((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length;
}

async function waitIdle(): Promise<number> {
  const until = Date.now() + opts.waitIdle * 1000;
  let busy = await busyCores(1000);
  while (busy >= 0.25 && Date.now() < until) busy = await busyCores(2000);
  return busy;
}
const busyBefore: number[] = [];

const tryExec = (command: string, args: string[]) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};
// Read before pinning: `nproc` counts the CPUs this process may use.
const machine = `${tryExec('nproc', []) ?? os.availableParallelism()} CPUs, ${/^model name\s*:\s*(.+)$/m.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? 'unknown'}, Node ${process.version}`;
const pin = argv['no-pin'] !== true && os.availableParallelism() >= 2 && (tryExec('which', ['taskset']) ?? '') !== '';
if (pin) tryExec('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'apip-bench-live-'));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(tempDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

interface Child {
  child: ChildProcess;
  ready: Extract<ChildMessage, { type: 'ready' }>;
  stop(): Promise<void>;
}

/** Starts a bench child on `cpu` and waits for its `ready`. */
function start(script: string, args: string[], cpu: string): Promise<Child> {
  const nodeArgs = ['--import', 'tsx', path.join(ROOT, 'bench', script), ...args];
  const [command, commandArgs] = pin ? ['taskset', ['-c', cpu, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const log = openSync(path.join(tempDir, `${script}.log`), 'a');
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', log, 'inherit', 'ipc'] });
  closeSync(log);
  children.add(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script}: not ready in 120 s`)), 120_000);
    child.on('exit', (code) => reject(new Error(`${script} exited (${code})`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'error') reject(new Error(`${script}: ${message.message}`));
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        child,
        ready: message,
        stop: () =>
          new Promise<void>((done) => {
            const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', () => {
              clearTimeout(kill);
              children.delete(child);
              done();
            });
            child.send({ type: 'stop' });
          }),
      });
    });
  });
}

async function closedLoop(origin: string, pathAndQuery: string, tokens: readonly string[]): Promise<{ rps: number; p50: number; p99: number; non2xx: number; errors: number }> {
  const free = [...tokens];
  let i = 0;
  const run = (duration: number) =>
    autocannon({
      url: origin,
      connections: opts.connections,
      pipelining: 1,
      duration,
      requests: [
        {
          method: 'GET',
          path: pathAndQuery,
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
  if (opts.warmup > 0) await run(opts.warmup);
  const result = await run(opts.duration);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface RunResult {
  direct: OpenLoopResult;
  proxy: OpenLoopResult;
  gateway: OpenLoopResult;
  proxyClosed: Awaited<ReturnType<typeof closedLoop>>;
  gatewayClosed: Awaited<ReturnType<typeof closedLoop>>;
}

async function oneRun(): Promise<RunResult> {
  const simulator = await start('live-simulator-server.ts', [], '0');
  const upstream = `http://127.0.0.1:${simulator.ready.port}`;
  const secret = simulator.ready.tokensFile ?? '';
  const tokenAnswer = await request(`${upstream}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`bench:${secret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  const upstreamToken = ((await tokenAnswer.body.json()) as { access_token: string }).access_token;
  const upstreamTokens = Array.from({ length: opts.tokens }, () => upstreamToken);

  // Every upstream points at the simulator (only Cnous is called); OAuth2 like the real Cnous.
  const envFile = path.join(tempDir, 'live.env');
  // The gateway's own limits stay on but never refuse this load.
  const env = ['MODE=live', 'RATE_LIMIT_IP_PER_SECOND=100000', 'RATE_LIMIT_IP_BURST=1000000'];
  for (const key of UPSTREAM_KEYS) {
    const p = `LIVE_${key.toUpperCase()}_`;
    env.push(`${p}URL=${upstream}`, `${p}AUTH=oauth2`, `${p}TOKEN_URL=${upstream}/oauth/token`, `${p}CLIENT_ID=bench`, `${p}CLIENT_SECRET=${secret}`, `${p}CONCURRENCY=256`);
  }
  writeFileSync(envFile, `${env.join('\n')}\n`, { mode: 0o600 });
  const tokensFile = path.join(tempDir, 'tokens.txt');
  const proxy = await start('passthrough-proxy-server.ts', ['--upstream', upstream], '1');
  const gateway = await start('gateway-server.ts', ['--live-env', envFile, '--tokens', String(opts.tokens), '--tokens-file', tokensFile], '1');
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
  busyBefore.push(await waitIdle());
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
  '<!-- bench:begin live -->',
  '## live mode against a simulator answering at once',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${machine}`,
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
  '<!-- bench:end live -->',
].join('\n');
process.stdout.write(`\n${section}\n`);
if (opts.writeDoc) {
  const doc = readFileSync(DOC, 'utf8');
  const re = /<!-- bench:begin live -->[\s\S]*?<!-- bench:end live -->/;
  writeFileSync(DOC, re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`);
}
process.exit(0);
