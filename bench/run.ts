/**
 * Benchmark runner (`npm run bench`): the full gateway pipeline against a bare fastify route, in
 * the same run, on the same machine. See docs/benchmarks.md for what is measured and why.
 *
 * Both servers run in child processes (pinned to CPU 1 with taskset when there are ≥ 2 CPUs); this
 * process is the load generator (pinned to CPU 0). Per run and per server: a closed-loop warm-up
 * (discarded), a closed-loop measured run (autocannon), then an open-loop run at a fixed rate
 * (undici, latency from the due time). Medians over `--runs`. At the end the gateway drains its
 * journal and reports its row count, which must equal the HTTP requests it received.
 *
 *   npm run bench -- [--duration 10] [--warmup 3] [--connections 50] [--rate 1000]
 *                    [--open-duration 10] [--open-warmup 2] [--runs 3] [--tokens 200]
 *                    [--database-url postgres://…] [--create-db] [--log-level silent]
 *                    [--quick] [--no-doc] [--profile DIR] [--no-pin] [--wait-idle 120]
 *   npm run bench -- --live …   live mode against the upstream simulator (bench/live-run.ts)
 *   npm run bench -- --scale …  issue 6: gateway embedded and PostgreSQL + Redis vs undici proxy and nginx (bench/scale-run.ts)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { request } from 'undici';
import { REQUEST_PATH, type ChildMessage, type ParentMessage } from './common.ts';
import { openLoop, type OpenLoopResult } from './open-loop.ts';
import { benchEntry, buildForBench, RUNTIME } from './harness.ts';
import { assertLoopbackDatabaseUrl, createScratchDb, type ScratchDb } from './scratch-db.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(ROOT, 'docs', 'benchmarks.md');
const TARGET_RATIO = 0.4;
const TARGET_P99_US = 5000;

// ---------------------------------------------------------------- options

// Every kind of run starts its servers from the compiled build (BENCH_RUNTIME=tsx: from the sources).
buildForBench();
// `--live` hands the run to bench/live-run.ts (its own options; it exits when done).
if (process.argv.includes('--live')) await import('./live-run.ts');
// `--scale` likewise hands the run to bench/scale-run.ts (issue 6).
if (process.argv.includes('--scale')) await import('./scale-run.ts');

const { values: argv } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    rate: { type: 'string' },
    'open-duration': { type: 'string' },
    'open-warmup': { type: 'string' },
    runs: { type: 'string' },
    tokens: { type: 'string' },
    'database-url': { type: 'string' },
    'create-db': { type: 'boolean', default: false },
    'log-level': { type: 'string' },
    'without-journal': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    profile: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    'wait-idle': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (argv.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0] ?? '');
  process.exit(0);
}

function num(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number in ${min}..${max} (got "${raw}")`);
  return value;
}

const quick = argv.quick === true;
const opts = {
  duration: num('duration', argv.duration, quick ? 2 : 10, 1, 600),
  warmup: num('warmup', argv.warmup, quick ? 1 : 3, 0, 120),
  connections: num('connections', argv.connections, 50, 1, 1000),
  rate: num('rate', argv.rate, 1000, 1, 100_000),
  openDuration: num('open-duration', argv['open-duration'], quick ? 2 : 10, 1, 600),
  openWarmup: num('open-warmup', argv['open-warmup'], quick ? 1 : 2, 0, 120),
  runs: num('runs', argv.runs, quick ? 1 : 3, 1, 9),
  tokens: num('tokens', argv.tokens, 200, 1, 10_000),
  databaseUrl: argv['database-url'],
  createDb: argv['create-db'] === true,
  logLevel: argv['log-level'] ?? 'silent',
  /** Issue 2's stage: the pipeline before the access journal existed (rows discarded, bench only). */
  withoutJournal: argv['without-journal'] === true,
  writeDoc: !(argv['no-doc'] === true || quick),
  profileDir: argv.profile === undefined ? undefined : path.resolve(argv.profile),
  /** Seconds to wait, before each measurement, for other processes to leave the CPUs alone. */
  waitIdle: num('wait-idle', argv['wait-idle'], quick ? 0 : 120, 0, 3600),
};
if (opts.createDb && opts.databaseUrl === undefined) throw new Error('--create-db needs --database-url (the server to create the scratch database on)');
if (opts.databaseUrl !== undefined) assertLoopbackDatabaseUrl(opts.databaseUrl);

// ---------------------------------------------------------------- machine

function tryExec(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

const cpuCount = os.availableParallelism();
const tasksetPath = argv['no-pin'] === true ? undefined : tryExec('which', ['taskset']);
const pin = tasksetPath !== undefined && tasksetPath !== '' && cpuCount >= 2;
const machine = {
  nproc: tryExec('nproc', []) ?? String(cpuCount),
  memory: /^Mem:\s+(\S+)/m.exec(tryExec('free', ['-h']) ?? '')?.[1] ?? `${Math.round(os.totalmem() / 2 ** 30)}Gi`,
  cpu: /^model name\s*:\s*(.+)$/m.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  kernel: `${os.type()} ${os.release()}`,
};
const clockTicks = Number(tryExec('getconf', ['CLK_TCK']) ?? 100) || 100;

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** Cores kept busy by the whole machine over `ms`. */
async function machineBusyCores(ms: number): Promise<number> {
  const before = machineJiffies();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineJiffies();
  return ((after.busy - before.busy) / (after.total - before.total)) * cpuCount;
}

if (pin) tryExec('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);

// ---------------------------------------------------------------- children

const children = new Set<ChildProcess>();
const tempDir = mkdtempSync(path.join(os.tmpdir(), 'apip-bench-run-'));

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
process.on('exit', () => {
  killAll();
  rmSync(tempDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

class Server {
  readonly name: string;
  readonly child: ChildProcess;
  readonly #waiters: Array<{ type: ChildMessage['type']; resolve: (m: ChildMessage) => void; reject: (e: Error) => void }> = [];
  #exited = false;

  constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'error') {
        for (const w of this.#waiters.splice(0)) w.reject(new Error(`${name}: ${message.message}`));
        return;
      }
      const index = this.#waiters.findIndex((w) => w.type === message.type);
      if (index >= 0) this.#waiters.splice(index, 1)[0]?.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.#exited = true;
      children.delete(child);
      for (const w of this.#waiters.splice(0)) w.reject(new Error(`${name} exited (code ${code}, signal ${signal})`));
    });
  }

  waitFor<T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> {
    if (this.#exited) return Promise.reject(new Error(`${this.name} is not running`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<ChildMessage, { type: T }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  tell(message: ParentMessage): void {
    if (this.child.connected) this.child.send(message);
  }

  /** utime + stime of the server process (all its threads, PGlite's worker included), in seconds. */
  cpuSeconds(): number {
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / clockTicks;
    } catch {
      return Number.NaN;
    }
  }

  async stop(): Promise<Extract<ChildMessage, { type: 'stopped' }>> {
    const stopped = this.waitFor('stopped', 30_000);
    this.tell({ type: 'stop' });
    try {
      return await stopped;
    } finally {
      const exited = new Promise<void>((resolve) => {
        if (this.#exited) resolve();
        else this.child.once('exit', () => resolve());
      });
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  }
}

async function startServer(name: string, script: string, args: string[], logFile: string | undefined): Promise<{ server: Server; ready: Extract<ChildMessage, { type: 'ready' }> }> {
  const nodeArgs: string[] = [];
  if (name === 'gateway' && opts.profileDir !== undefined) {
    mkdirSync(opts.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`);
  }
  nodeArgs.push(...benchEntry(script), ...args);
  const [command, commandArgs] = pin ? ['taskset', ['-c', '1', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const out = logFile === undefined ? 'ignore' : openSync(logFile, 'a');
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', out, 'inherit', 'ipc'] });
  if (typeof out === 'number') closeSync(out);
  children.add(child);
  const server = new Server(name, child);
  const ready = await server.waitFor('ready', 120_000);
  return { server, ready };
}

// ---------------------------------------------------------------- load

interface ClosedLoopResult {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  sent: number;
  serverCpu: number;
  clientCpu: number;
  /** Cores used by everything else on the machine meanwhile (other users' jobs, PostgreSQL…). */
  otherCpu: number;
  tokensExhausted: number;
}

async function closedLoop(origin: string, tokens: readonly string[], durationS: number, server: Server): Promise<ClosedLoopResult> {
  const free = [...tokens];
  let exhausted = 0;
  let roundRobin = 0;
  const cpu = cpuMeter(server);
  const run = autocannon({
    url: origin,
    connections: opts.connections,
    pipelining: 1,
    duration: durationS,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        path: REQUEST_PATH,
        // Each connection has one request in flight; a token goes back to the pool with its
        // response, so no two in-flight requests share a token (the gateway would answer 409).
        setupRequest: (req, context) => {
          let token = free.pop();
          if (token === undefined) {
            exhausted += 1;
            token = tokens[roundRobin++ % tokens.length] as string;
          }
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
  const result = await run;
  const { serverCpu, clientCpu, otherCpu } = cpu.read();
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    sent: result.requests.sent,
    serverCpu,
    clientCpu,
    otherCpu,
    tokensExhausted: exhausted,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface CpuUse {
  /** Cores used by the server process (all threads), the load generator, and everything else. */
  serverCpu: number;
  clientCpu: number;
  otherCpu: number;
}

function cpuMeter(server: Server): { read(): CpuUse } {
  const serverBefore = server.cpuSeconds();
  const machineBefore = machineJiffies();
  const clientBefore = process.cpuUsage();
  const wallBefore = performance.now();
  return {
    read() {
      const wall = (performance.now() - wallBefore) / 1000;
      const client = process.cpuUsage(clientBefore);
      const machineAfter = machineJiffies();
      const serverCpu = (server.cpuSeconds() - serverBefore) / wall;
      const clientCpu = (client.user + client.system) / 1e6 / wall;
      const machineCpu = ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * cpuCount;
      return { serverCpu, clientCpu, otherCpu: Math.max(0, machineCpu - serverCpu - clientCpu) };
    },
  };
}

interface RunResult {
  closed: ClosedLoopResult;
  open: OpenLoopResult & CpuUse;
  /** Busy cores on the machine just before the measurement (should be ≈ 0). */
  idleBefore: number;
}

interface Tally {
  sent: number;
  ok: number;
}

/** Waits (bounded) until the machine is quiet: on a shared machine other jobs skew every number. */
async function waitForIdle(): Promise<number> {
  const deadline = performance.now() + opts.waitIdle * 1000;
  let busy = await machineBusyCores(1000);
  let announced = false;
  while (busy > 0.25 && performance.now() < deadline) {
    if (!announced) process.stdout.write(`bench: other processes use ${busy.toFixed(2)} cores, waiting up to ${opts.waitIdle} s for the machine to be idle…\n`);
    announced = true;
    busy = await machineBusyCores(1000);
  }
  return busy;
}

async function measure(name: string, origin: string, tokens: readonly string[], server: Server, tally: Tally): Promise<RunResult> {
  const idleBefore = await waitForIdle();
  if (opts.warmup > 0) {
    const warm = await closedLoop(origin, tokens, opts.warmup, server);
    tally.sent += warm.sent;
    tally.ok += warm.ok;
    if (warm.non2xx + warm.errors > 0) throw new Error(`${name}: warm-up had ${warm.non2xx} non-2xx and ${warm.errors} errors`);
  }
  await sleep(300);
  const closed = await closedLoop(origin, tokens, opts.duration, server);
  tally.sent += closed.sent;
  tally.ok += closed.ok;
  await sleep(300);
  const cpu = cpuMeter(server);
  const openResult = await openLoop({
    origin,
    path: REQUEST_PATH,
    rate: opts.rate,
    warmupMs: opts.openWarmup * 1000,
    durationMs: opts.openDuration * 1000,
    tokens,
  });
  const open = { ...openResult, ...cpu.read() };
  tally.sent += open.sent;
  tally.ok += open.okTotal;
  await sleep(300);
  return { closed, open, idleBefore };
}

// ---------------------------------------------------------------- report helpers

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : 'n/a');
const pct = (n: number): string => (Number.isFinite(n) ? `${Math.round(n * 100)} %` : 'n/a');

function commandLine(): string {
  const args = process.argv.slice(2).join(' ');
  return process.env.npm_lifecycle_event === 'bench' ? `npm run bench${args ? ` -- ${args}` : ''}` : `node --import tsx bench/run.ts${args ? ` ${args}` : ''}`;
}

const INTRO = `# Benchmarks

What is measured: one v3 data call, \`GET ${REQUEST_PATH.split('?')[0]}?…\` with a civil status and a
bearer token, through the **whole gateway pipeline** (JWT verification with its cache, parameter validation,
scope and modality checks, in-flight lock, sandbox driver, masking, and a durable access-journal row committed
by group commit before the reply), compared in the same run with a **bare fastify 5 route** on the same path
returning the same 200 JSON body. Both servers run in child processes pinned to CPU 1 (\`taskset\`), and the
load generator runs in the runner process pinned to CPU 0, so load generation and serving do not share an
event loop or a core. The gateway uses 200 tokens with every scope; no two in-flight requests share a token.

- **Closed-loop throughput**: autocannon 9, 50 connections, pipelining 1; a warm-up run is discarded, then a
  measured run. Latency percentiles from autocannon (millisecond resolution). Any non-2xx fails the run.
- **Open-loop latency at a fixed rate** (1000 req/s): an undici \`Pool\` sends one request every 1 ms without
  waiting for answers; latency is measured from each request's *due* time (no coordinated omission). The first
  2 s are dropped, then 10 s are measured; percentiles in µs.
- **Journal check**: at the end the gateway drains its journal and counts \`access_journal\` rows; the count
  must equal the HTTP requests it received (every call journaled, none lost).
- **Targets at this stage** (issue): gateway closed-loop throughput **≥ 40 %** of the bare route's, and
  open-loop **p99 ≤ 5 ms** at 1000 req/s.

Reproduce:

\`\`\`sh
npm run bench                                   # embedded PGlite, median of 3 runs (~3 min)
npm run bench -- --quick                        # smoke test: 1 short run, does not touch this file
createdb -h 127.0.0.1 -U postgres apip_bench    # or let the runner do it with --create-db
npm run bench -- --database-url postgres://postgres@127.0.0.1:5432/postgres --create-db
\`\`\`

Options: \`--duration S\` (closed-loop measured run, default 10), \`--warmup S\` (3), \`--connections N\` (50),
\`--rate R\` (open-loop req/s, 1000), \`--open-duration S\` (10), \`--open-warmup S\` (2), \`--runs N\` (3, medians
reported), \`--tokens N\` (200), \`--database-url URL\` (PostgreSQL instead of the embedded PGlite),
\`--create-db\` (create a scratch database on that server and drop it afterwards), \`--log-level L\` (gateway
logger, default \`silent\` like the bare route; \`info\` is the production default, logs go to a temporary file),
\`--without-journal\` (the pipeline as issue 2 set its targets, before the access journal existed: the gateway
discards journal rows — a benchmark-only substitute passed to \`buildApp()\`, no configuration reaches it),
\`--wait-idle S\` (before each measurement, wait up to S s — default 120, 0 with \`--quick\` — until other
processes use < 0.25 core: on a shared machine other jobs skew everything; the busy cores before and during
each run are reported), \`--profile DIR\` (gateway child run with \`--cpu-prof\`; summarise with
\`node --import tsx bench/profile-summary.ts DIR/*.cpuprofile\`), \`--no-pin\`, \`--no-doc\`, \`--quick\`.

Each run replaces its own section below (one per database engine and log level); analysis sections are
written by hand and left alone.
`;

function writeSection(key: string, body: string): void {
  const begin = `<!-- bench:begin ${key} -->`;
  const end = `<!-- bench:end ${key} -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  let text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : `${INTRO}\n`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) text = `${text.slice(0, from)}${block}${text.slice(to + end.length)}`;
  else text = `${text.trimEnd()}\n\n${block}\n`;
  mkdirSync(path.dirname(DOC), { recursive: true });
  writeFileSync(DOC, text);
}

// ---------------------------------------------------------------- main

const deadlineMs =
  (opts.runs * 2 * (opts.warmup + opts.duration + opts.openWarmup + opts.openDuration + opts.waitIdle + 15) + 240) * 1000;
const watchdog = setTimeout(() => {
  process.stderr.write(`bench: hard time limit (${Math.round(deadlineMs / 1000)} s) reached, killing everything\n`);
  killAll();
  process.exit(3);
}, deadlineMs);
watchdog.unref();

let scratchDb: ScratchDb | undefined;

async function main(): Promise<number> {
  const date = new Date().toISOString();
  const engineLabel = `${opts.databaseUrl === undefined ? 'embedded PGlite (worker thread)' : 'PostgreSQL'}${opts.withoutJournal ? ', without the access journal (issue 2 stage)' : ''}`;
  process.stdout.write(
    `bench: ${engineLabel}, ${opts.runs} run(s), closed-loop ${opts.warmup}+${opts.duration} s c=${opts.connections}, ` +
      `open-loop ${opts.rate} req/s ${opts.openWarmup}+${opts.openDuration} s, pinning ${pin ? 'on (gateway/bare CPU 1, load CPU 0)' : 'off'}\n`,
  );

  let databaseUrl = opts.databaseUrl;
  if (databaseUrl !== undefined && opts.createDb) {
    scratchDb = await createScratchDb(databaseUrl);
    databaseUrl = scratchDb.url;
  }

  const gatewayLog = opts.logLevel === 'silent' ? undefined : path.join(tempDir, 'gateway.log');
  // The gateway's DATA_DIR (PGlite files, secrets) lives in this run's temporary directory, so that
  // it is removed on exit even if the child had to be killed.
  const gatewayArgs = ['--tokens', String(opts.tokens), '--log-level', opts.logLevel, '--tokens-file', path.join(tempDir, 'tokens.txt'), '--data-dir', path.join(tempDir, 'gateway-data')];
  if (databaseUrl !== undefined) gatewayArgs.push('--database-url', databaseUrl);
  if (opts.withoutJournal) gatewayArgs.push('--without-journal');

  const bare = await startServer('bare', 'bare-server.ts', [], undefined);
  const gateway = await startServer('gateway', 'gateway-server.ts', gatewayArgs, gatewayLog);
  const tokens = readFileSync(gateway.ready.tokensFile as string, 'utf8').split('\n').filter((t) => t !== '');
  process.stdout.write(`bench: bare ready in ${bare.ready.startupMs} ms, gateway (${gateway.ready.engine}) ready in ${gateway.ready.startupMs} ms with ${tokens.length} tokens\n`);

  const origins = { bare: `http://127.0.0.1:${bare.ready.port}`, gateway: `http://127.0.0.1:${gateway.ready.port}` };
  const tally: Tally = { sent: 0, ok: 0 };

  // Smoke check: both answer 200 with the same body shape.
  const bodies: Record<string, string> = {};
  for (const [name, origin] of Object.entries(origins)) {
    const response = await request(`${origin}${REQUEST_PATH}`, { headers: { authorization: `Bearer ${tokens[0]}` }, headersTimeout: 10_000 });
    bodies[name] = await response.body.text();
    if (name === 'gateway') {
      tally.sent += 1;
      if (response.statusCode === 200) tally.ok += 1;
    }
    if (response.statusCode !== 200) throw new Error(`${name} answered ${response.statusCode}: ${bodies[name]}`);
  }
  process.stdout.write(`bench: bare body ${bodies.bare}\nbench: gateway body ${bodies.gateway}\n`);

  const results: Record<'bare' | 'gateway', RunResult[]> = { bare: [], gateway: [] };
  const dummy: Tally = { sent: 0, ok: 0 };
  for (let run = 1; run <= opts.runs; run++) {
    for (const name of ['bare', 'gateway'] as const) {
      const server = name === 'bare' ? bare.server : gateway.server;
      const result = await measure(name, origins[name], tokens, server, name === 'gateway' ? tally : dummy);
      results[name].push(result);
      const c = result.closed;
      const o = result.open;
      process.stdout.write(
        `run ${run} ${name.padEnd(7)} closed ${int(c.rps)} req/s p50 ${c.p50} p90 ${c.p90} p99 ${c.p99} ms, non-2xx ${c.non2xx}, errors ${c.errors}, ` +
          `CPU server ${c.serverCpu.toFixed(2)} client ${c.clientCpu.toFixed(2)} other ${c.otherCpu.toFixed(2)} | open ${opts.rate}/s p50 ${int(o.p50)} p90 ${int(o.p90)} p99 ${int(o.p99)} max ${int(o.max)} µs, ` +
          `errors ${o.errors}, send lag p99 ${int(o.sendLagP99)} µs, CPU server ${o.serverCpu.toFixed(2)} client ${o.clientCpu.toFixed(2)} other ${o.otherCpu.toFixed(2)}\n`,
      );
    }
  }

  const gatewayStats = await gateway.server.stop();
  await bare.server.stop();

  // ------------------------------------------------------------ verdicts
  const problems: string[] = [];
  for (const name of ['bare', 'gateway'] as const) {
    for (const [i, r] of results[name].entries()) {
      if (r.closed.non2xx + r.closed.errors > 0) problems.push(`${name} run ${i + 1}: closed-loop had ${r.closed.non2xx} non-2xx and ${r.closed.errors} errors`);
      if (r.open.errors > 0) problems.push(`${name} run ${i + 1}: open-loop had ${r.open.errors} errors (${r.open.saturated} with no free token)`);
    }
  }
  const journalRows = gatewayStats.journalRows ?? Number.NaN;
  const journalOk = opts.withoutJournal ? journalRows === 0 : journalRows === gatewayStats.httpRequests && journalRows >= tally.ok && journalRows <= tally.sent;
  if (!journalOk) {
    problems.push(`journal rows ${journalRows} ≠ gateway HTTP requests ${gatewayStats.httpRequests} (client: ${tally.ok} answered 200, ${tally.sent} sent)`);
  }

  const med = (name: 'bare' | 'gateway', pick: (r: RunResult) => number): number => median(results[name].map(pick));
  const bareRps = med('bare', (r) => r.closed.rps);
  const gwRps = med('gateway', (r) => r.closed.rps);
  const ratio = gwRps / bareRps;
  const gwP99 = med('gateway', (r) => r.open.p99);
  const ratioPass = ratio >= TARGET_RATIO;
  const p99Pass = gwP99 <= TARGET_P99_US;

  const row = (label: string, pick: (r: RunResult) => number, format: (n: number) => string, withRatio = false): string => {
    const b = med('bare', pick);
    const g = med('gateway', pick);
    return `| ${label} | ${format(b)} | ${format(g)} | ${withRatio ? pct(g / b) : ''} |`;
  };
  const sum = (name: 'bare' | 'gateway', pick: (r: RunResult) => number): number => results[name].reduce((total, r) => total + pick(r), 0);
  const runsLabel = opts.runs > 1 ? `median of ${opts.runs} runs` : '1 run';
  const summary = [
    `| ${runsLabel} | bare fastify | gateway | gateway / bare |`,
    '|---|---:|---:|---:|',
    row('closed-loop throughput, req/s', (r) => r.closed.rps, int, true),
    row('closed-loop latency p50, ms', (r) => r.closed.p50, ms),
    row('closed-loop latency p90, ms', (r) => r.closed.p90, ms),
    row('closed-loop latency p99, ms', (r) => r.closed.p99, ms),
    row('server CPU during closed loop (1 = one core)', (r) => r.closed.serverCpu, (n) => n.toFixed(2)),
    row('load generator CPU during closed loop', (r) => r.closed.clientCpu, (n) => n.toFixed(2)),
    row('other processes CPU during closed loop', (r) => r.closed.otherCpu, (n) => n.toFixed(2)),
    row(`open-loop ${opts.rate} req/s p50, µs`, (r) => r.open.p50, int),
    row(`open-loop ${opts.rate} req/s p90, µs`, (r) => r.open.p90, int),
    row(`open-loop ${opts.rate} req/s p99, µs`, (r) => r.open.p99, int),
    row(`open-loop ${opts.rate} req/s p99.9, µs`, (r) => r.open.p999, int),
    row(`open-loop ${opts.rate} req/s max, µs`, (r) => r.open.max, int),
    row('server CPU during open loop', (r) => r.open.serverCpu, (n) => n.toFixed(2)),
    row('other processes CPU during open loop', (r) => r.open.otherCpu, (n) => n.toFixed(2)),
    `| open-loop errors (sum of runs) | ${sum('bare', (r) => r.open.errors)} | ${sum('gateway', (r) => r.open.errors)} | |`,
    `| closed-loop non-2xx + errors (sum of runs) | ${sum('bare', (r) => r.closed.non2xx + r.closed.errors)} | ${sum('gateway', (r) => r.closed.non2xx + r.closed.errors)} | |`,
  ].join('\n');

  const perRun = [
    '| run | server | busy cores before | closed req/s | p50 / p90 / p99 ms | CPU server / client / other | open p50 / p90 / p99 / max µs | open errors | client send lag p99 µs | open CPU server / client / other |',
    '|---|---|---:|---:|---|---|---|---:|---:|---|',
    ...(['bare', 'gateway'] as const).flatMap((name) =>
      results[name].map(
        (r, i) =>
          `| ${i + 1} | ${name} | ${r.idleBefore.toFixed(2)} | ${int(r.closed.rps)} | ${r.closed.p50} / ${r.closed.p90} / ${r.closed.p99} | ` +
          `${r.closed.serverCpu.toFixed(2)} / ${r.closed.clientCpu.toFixed(2)} / ${r.closed.otherCpu.toFixed(2)} | ` +
          `${int(r.open.p50)} / ${int(r.open.p90)} / ${int(r.open.p99)} / ${int(r.open.max)} | ${r.open.errors} | ${int(r.open.sendLagP99)} | ` +
          `${r.open.serverCpu.toFixed(2)} / ${r.open.clientCpu.toFixed(2)} / ${r.open.otherCpu.toFixed(2)} |`,
      ),
    ),
  ].join('\n');

  const verdicts = [
    `- Throughput: gateway ${int(gwRps)} req/s = **${pct(ratio)}** of bare ${int(bareRps)} req/s (target ≥ ${pct(TARGET_RATIO)}): **${ratioPass ? 'PASS' : 'FAIL'}**`,
    `- Open-loop p99 at ${opts.rate} req/s: gateway **${ms(gwP99 / 1000)} ms** (target ≤ ${TARGET_P99_US / 1000} ms): **${p99Pass ? 'PASS' : 'FAIL'}**`,
    opts.withoutJournal
      ? `- Journal: excluded (\`--without-journal\`: rows discarded, ${int(journalRows)} written) — issue 2's targets are for the stage before the journal; the full pipeline is measured without this flag`
      : `- Journal: ${int(journalRows)} rows written for ${int(gatewayStats.httpRequests)} HTTP requests received by the gateway ` +
        `(client side: ${int(tally.ok)} answered 200, ${int(tally.sent)} sent, warm-ups included): **${journalOk ? 'PASS' : 'FAIL'}**`,
    `- Correctness under load (0 non-2xx, 0 errors): **${problems.filter((p) => !p.startsWith('journal')).length === 0 ? 'PASS' : 'FAIL'}**`,
    `- Gateway RSS at the end: ${gatewayStats.rssMb} MB; start-up ${gateway.ready.startupMs} ms (database open, migrations, ${tokens.length} tokens)`,
  ].join('\n');

  const key = `${opts.databaseUrl === undefined ? 'pglite' : 'postgres'}${opts.withoutJournal ? '-without-journal' : ''}${opts.logLevel === 'silent' ? '' : `-log-${opts.logLevel}`}`;
  const section = `## ${engineLabel}${opts.logLevel === 'silent' ? '' : `, gateway log level ${opts.logLevel}`}

- Date: ${date}
- Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.memory} RAM (\`free -h\`), ${machine.cpu}, ${machine.kernel}, Node ${machine.node}; ${RUNTIME}
- Pinning: ${pin ? 'servers on CPU 1, load generator on CPU 0 (`taskset`)' : 'none'}${opts.databaseUrl === undefined ? '; PGlite runs in a worker thread of the gateway process, so on CPU 1 too' : '; the PostgreSQL server processes are not pinned and share both CPUs'}
- Command: \`${commandLine()}\`
- Settings: closed loop ${opts.warmup} s warm-up + ${opts.duration} s, ${opts.connections} connections; open loop ${opts.rate} req/s, ${opts.openWarmup} s dropped + ${opts.openDuration} s measured; ${tokens.length} tokens; gateway log level \`${opts.logLevel}\`

${summary}

${verdicts}

<details><summary>Each run</summary>

${perRun}

</details>
`;

  process.stdout.write(`\n${section}\n`);
  if (problems.length > 0) process.stdout.write(`\nPROBLEMS:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  if (opts.writeDoc) {
    writeSection(key, section);
    process.stdout.write(`bench: section "${key}" written to ${path.relative(ROOT, DOC)}\n`);
  }
  return problems.length > 0 ? 1 : 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
} finally {
  killAll();
  try {
    await scratchDb?.drop();
  } catch (error) {
    process.stderr.write(`bench: could not drop the scratch database: ${String(error)}\n`);
  }
}
process.exit(exitCode);
