/**
 * Scale benchmark (`npm run bench -- --scale`, issue 6): in one run on one machine, against the same
 * Cnous simulator answering at once (bench/live-upstream.ts),
 *   1. **direct**: the load generator calls the simulator itself;
 *   2. **bare undici proxy**: node:http + undici Pool, nothing else (bench/passthrough-proxy-server.ts);
 *   3. **nginx**: Debian's nginx-light as a plain reverse proxy (bench/nginx-proxy.ts), "not run" if absent;
 *   4. **gateway, embedded**: the full pipeline in live mode, durable journal on PGlite;
 *   5. **gateway, PostgreSQL + Redis**: the same on a scratch PostgreSQL database, with the limiter,
 *      409 lock, response cache and revocations on Redis (a database number of its own).
 * For each: closed loop (autocannon, warm-up then measured) and open loop at --rate (latency from the
 * due time, bench/open-loop.ts), server CPU, RSS at the end. Servers under test on CPU 1, simulator
 * and load generator on CPU 0. Each gateway drains its journal when stopped: rows must equal the
 * HTTP requests it received. Writes the `scale` section of docs/benchmarks.md.
 *
 *   npm run bench -- --scale [--rate 1000] [--open-duration 10] [--open-warmup 2] [--duration 10] [--warmup 3]
 *                            [--connections 50] [--runs 3] [--tokens 200] [--wait-idle 120] [--no-pin]
 *                            [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--create-db]
 *                            [--redis-url redis://127.0.0.1:6379/15] [--no-doc] [--quick]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { closedLoop } from './closed-loop.ts';
import { ChildGroup, describeMachine, machineJiffies, pinLoadGenerator, processCpuSeconds, processRssMb, replaceDocSection, RUNTIME, waitIdle } from './harness.ts';
import { GATEWAY_PATH, UPSTREAM_PATH, startLiveUpstream, writeLiveEnv, type LiveUpstream } from './live-upstream.ts';
import { NGINX_INSTALL_HINT, findNginx, nginxVersion, startNginx } from './nginx-proxy.ts';
import { openLoop } from './open-loop.ts';
import { LABEL, TARGETS, int, ms, scaleReport, type Cpu, type Measured, type Target } from './scale-report.ts';
import { assertLoopbackDatabaseUrl, checkDatabase, createScratchDb, type ScratchDb } from './scratch-db.ts';

// ---------------------------------------------------------------- options

const { values: argv } = parseArgs({
  options: {
    scale: { type: 'boolean' },
    rate: { type: 'string' },
    'open-duration': { type: 'string' },
    'open-warmup': { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    runs: { type: 'string' },
    tokens: { type: 'string' },
    'database-url': { type: 'string' },
    'create-db': { type: 'boolean', default: false },
    'redis-url': { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    'wait-idle': { type: 'string' },
  },
});
function num(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number in ${min}..${max} (got "${raw}")`);
  return value;
}
const quick = argv.quick === true;
const opts = {
  rate: num('rate', argv.rate, 1000, 1, 100_000),
  openDuration: num('open-duration', argv['open-duration'], quick ? 2 : 10, 1, 600),
  openWarmup: num('open-warmup', argv['open-warmup'], quick ? 1 : 2, 0, 120),
  duration: num('duration', argv.duration, quick ? 2 : 10, 1, 600),
  warmup: num('warmup', argv.warmup, quick ? 1 : 3, 0, 120),
  connections: num('connections', argv.connections, 50, 1, 1000),
  runs: num('runs', argv.runs, quick ? 1 : 3, 1, 9),
  tokens: num('tokens', argv.tokens, 200, 1, 10_000),
  // Without --database-url, a scratch database on the local server, dropped at the end.
  databaseUrl: argv['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  createDb: argv['create-db'] === true || argv['database-url'] === undefined,
  // A database number of its own: the gateway's Redis keys have no configurable prefix.
  redisUrl: argv['redis-url'] ?? 'redis://127.0.0.1:6379/15',
  writeDoc: !(argv['no-doc'] === true || quick),
  /** Before each measurement, wait up to this many seconds for other processes to use < 0.25 core. */
  waitIdle: num('wait-idle', argv['wait-idle'], quick ? 0 : 120, 0, 3600),
};
assertLoopbackDatabaseUrl(opts.databaseUrl);
if (!/^redis:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(opts.redisUrl)) throw new Error('--redis-url must point at a loopback Redis server');

// ---------------------------------------------------------------- setting up

const machine = describeMachine();
const group = new ChildGroup('apip-bench-scale-', pinLoadGenerator(argv['no-pin'] === true));
const cpuCount = os.cpus().length;
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const say = (line: string) => process.stdout.write(`scale: ${line}\n`);
const redacted = (url: string) => {
  const u = new URL(url);
  if (u.password !== '') u.password = '***';
  return u.toString();
};

const deadlineMs = (opts.runs * TARGETS.length * (opts.warmup + opts.duration + opts.openWarmup + opts.openDuration + opts.waitIdle + 40) + 300) * 1000;
setTimeout(() => {
  process.stderr.write(`scale: hard time limit (${Math.round(deadlineMs / 1000)} s) reached, killing everything\n`);
  process.exit(3);
}, deadlineMs).unref();

/** Why a column is not measured ("not run" in the table). */
const skipped: Partial<Record<Target, string>> = {};
const nginxBinary = findNginx();
if (nginxBinary === undefined) {
  skipped.nginx = `nginx is not installed (\`${NGINX_INSTALL_HINT}\`)`;
  say(`nginx not found: install it with \`${NGINX_INSTALL_HINT}\`; the nginx column is marked "not run"`);
}

let scratch: ScratchDb | undefined;
let databaseUrl = opts.databaseUrl;
try {
  if (opts.createDb) {
    scratch = await createScratchDb(opts.databaseUrl);
    databaseUrl = scratch.url;
  } else {
    await checkDatabase(databaseUrl);
  }
} catch (error) {
  skipped.postgres = `PostgreSQL at ${redacted(opts.databaseUrl)} unusable: ${(error as Error).message}`;
}

const redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
redis.on('error', () => {});
try {
  await redis.connect();
  await redis.ping();
} catch (error) {
  skipped.postgres ??= `Redis at ${opts.redisUrl} unreachable: ${(error as Error).message}`;
}
/** Commands the whole Redis server has processed (INFO is server-wide, so others' traffic counts too). */
async function redisCommands(): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? Number.NaN);
}

// ---------------------------------------------------------------- measuring

function cpuMeter(serverCpu: () => number, simulatorPid: number, serverIsSimulator: boolean): { read(): Cpu } {
  const server0 = serverCpu();
  const simulator0 = processCpuSeconds(simulatorPid);
  const machine0 = machineJiffies();
  const client0 = process.cpuUsage();
  const wall0 = performance.now();
  return {
    read() {
      const wall = (performance.now() - wall0) / 1000;
      const client = process.cpuUsage(client0);
      const machine1 = machineJiffies();
      const server = (serverCpu() - server0) / wall;
      const simulator = serverIsSimulator ? 0 : (processCpuSeconds(simulatorPid) - simulator0) / wall;
      const clientCores = (client.user + client.system) / 1e6 / wall;
      const busy = ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * cpuCount;
      return { server, client: clientCores, simulator, other: Math.max(0, busy - server - clientCores - simulator) };
    },
  };
}

/** A server under test, started: where to send the load and what /proc says about it. */
interface Served {
  origin: string;
  path: string;
  tokens: readonly string[];
  cpuSeconds(): number;
  rssMb(): number;
  /** Stops it; gateways report their RSS and journal count as they stop. */
  stop(): Promise<{ rssMb?: number; journalRows?: number; httpRequests?: number }>;
}

async function startTarget(target: Target, upstream: LiveUpstream, run: number): Promise<Served> {
  const upstreamTokens = Array.from({ length: opts.tokens }, () => upstream.accessToken);
  if (target === 'direct') {
    const pid = upstream.simulator.pid;
    return { origin: upstream.origin, path: UPSTREAM_PATH, tokens: upstreamTokens, cpuSeconds: () => processCpuSeconds(pid), rssMb: () => processRssMb(pid), stop: async () => ({}) };
  }
  if (target === 'undici') {
    const proxy = await group.start('passthrough-proxy-server.ts', ['--upstream', upstream.origin], '1');
    return {
      origin: `http://127.0.0.1:${proxy.ready.port}`,
      path: UPSTREAM_PATH,
      tokens: upstreamTokens,
      cpuSeconds: () => processCpuSeconds(proxy.pid),
      rssMb: () => processRssMb(proxy.pid),
      stop: async () => ({ rssMb: (await proxy.stop())?.rssMb }),
    };
  }
  if (target === 'nginx') {
    const nginx = await startNginx(group, nginxBinary as string, upstream.simulator.ready.port, '1');
    return {
      origin: `http://127.0.0.1:${nginx.port}`,
      path: UPSTREAM_PATH,
      tokens: upstreamTokens,
      cpuSeconds: nginx.cpuSeconds,
      rssMb: nginx.rssMb,
      stop: async () => {
        await nginx.stop();
        return {};
      },
    };
  }
  const envFile = path.join(group.tempDir, 'live.env');
  writeLiveEnv(envFile, upstream);
  const tokensFile = path.join(group.tempDir, `tokens-${target}-${run}.txt`);
  const args = ['--live-env', envFile, '--tokens', String(opts.tokens), '--tokens-file', tokensFile, '--data-dir', path.join(group.tempDir, `gateway-${target}-${run}`)];
  if (target === 'postgres') args.push('--database-url', databaseUrl, '--redis-url', opts.redisUrl);
  const gateway = await group.start('gateway-server.ts', args, '1');
  say(`${LABEL[target]} ready in ${gateway.ready.startupMs} ms (${gateway.ready.engine})`);
  return {
    origin: `http://127.0.0.1:${gateway.ready.port}`,
    path: GATEWAY_PATH,
    tokens: readFileSync(tokensFile, 'utf8').trim().split('\n'),
    cpuSeconds: () => processCpuSeconds(gateway.pid),
    rssMb: () => processRssMb(gateway.pid),
    stop: async () => {
      const stopped = await gateway.stop();
      return { rssMb: stopped?.rssMb, journalRows: stopped?.journalRows, httpRequests: stopped?.httpRequests };
    },
  };
}

async function measure(target: Target, upstream: LiveUpstream, run: number): Promise<Measured> {
  const redisBefore = target === 'postgres' ? await redisCommands() : Number.NaN;
  const served = await startTarget(target, upstream, run);
  let stopped = false;
  try {
    const busyBefore = await waitIdle(opts.waitIdle);
    const tally = { sent: 1, ok: 0 };
    const smoke = await request(`${served.origin}${served.path}`, { headers: { authorization: `Bearer ${served.tokens[0]}` } });
    const smokeBody = await smoke.body.text();
    if (smoke.statusCode !== 200) throw new Error(`${LABEL[target]} answered ${smoke.statusCode}: ${smokeBody.slice(0, 300)}`);
    tally.ok += 1;

    const load = { origin: served.origin, path: served.path, tokens: served.tokens, connections: opts.connections };
    let warmupFailures = 0;
    const failures: Record<string, number> = {};
    const count = (more: Record<string, number>) => {
      for (const [key, n] of Object.entries(more)) if (n > 0) failures[key] = (failures[key] ?? 0) + n;
    };
    if (opts.warmup > 0) {
      const warm = await closedLoop({ ...load, duration: opts.warmup });
      tally.sent += warm.sent;
      tally.ok += warm.ok;
      warmupFailures = warm.non2xx + warm.errors;
      count({ ...warm.failures, error: warm.errors });
    }
    await sleep(300);
    let meter = cpuMeter(served.cpuSeconds, upstream.simulator.pid, target === 'direct');
    const closed = await closedLoop({ ...load, duration: opts.duration });
    const closedCpu = meter.read();
    tally.sent += closed.sent;
    tally.ok += closed.ok;
    count({ ...closed.failures, error: closed.errors });
    await sleep(500);
    meter = cpuMeter(served.cpuSeconds, upstream.simulator.pid, target === 'direct');
    const open = await openLoop({ origin: served.origin, path: served.path, rate: opts.rate, warmupMs: opts.openWarmup * 1000, durationMs: opts.openDuration * 1000, tokens: served.tokens });
    const openCpu = meter.read();
    tally.sent += open.sent;
    tally.ok += open.okTotal;
    count(open.failures);
    count({ 'no free token': open.saturated });

    const rssAtEnd = served.rssMb();
    stopped = true;
    const report = await served.stop();
    const measured: Measured = { run, busyBefore, closed, closedCpu, open, openCpu, rssMb: report.rssMb ?? rssAtEnd, warmupFailures, failures };
    if (target === 'embedded' || target === 'postgres') {
      measured.journal = { rows: report.journalRows ?? Number.NaN, httpRequests: report.httpRequests ?? Number.NaN, ...tally };
    }
    if (target === 'postgres') measured.redisCommands = (await redisCommands()) - redisBefore - 1;
    return measured;
  } finally {
    if (!stopped) await served.stop().catch(() => ({}));
  }
}

// ---------------------------------------------------------------- the run

const date = new Date().toISOString();
const results: Record<Target, Measured[]> = { direct: [], undici: [], nginx: [], embedded: [], postgres: [] };
const runProblems: string[] = [];
for (const [target, why] of Object.entries(skipped)) say(`${LABEL[target as Target]}: not run — ${why}`);
say(`${opts.runs} run(s); closed loop ${opts.warmup}+${opts.duration} s c=${opts.connections}; open loop ${opts.rate} req/s ${opts.openWarmup}+${opts.openDuration} s; pinning ${group.pin ? 'on' : 'off'}`);

try {
  for (let run = 1; run <= opts.runs; run++) {
    const upstream = await startLiveUpstream(group, '0');
    try {
      for (const target of TARGETS) {
        if (skipped[target] !== undefined) continue;
        try {
          const m = await measure(target, upstream, run);
          results[target].push(m);
          say(
            `run ${run} ${LABEL[target]}: closed ${int(m.closed.rps)} req/s (CPU ${m.closedCpu.server.toFixed(2)}), open p50 ${ms(m.open.p50)} p99 ${ms(m.open.p99)} ms ` +
              `(CPU ${m.openCpu.server.toFixed(2)}), RSS ${m.rssMb} MB${m.journal ? `, journal ${m.journal.rows}/${m.journal.httpRequests}` : ''}`,
          );
        } catch (error) {
          runProblems.push(`run ${run}, ${LABEL[target]}: ${(error as Error).message}`);
          say(`run ${run} ${LABEL[target]} failed: ${(error as Error).message}`);
        }
      }
    } finally {
      await upstream.simulator.stop();
    }
  }
} finally {
  await scratch?.drop().catch((error: unknown) => runProblems.push(`could not drop the scratch database: ${String(error)}`));
  redis.disconnect();
}

const args = process.argv.slice(2).join(' ');
const { section, problems: reportProblems } = scaleReport({
  results,
  skipped,
  opts,
  context: [
    `Date: ${date}`,
    `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.memory} RAM (\`free -h\`), ${machine.cpu}, ${machine.kernel}, Node ${machine.node}`,
    `Runtime: ${RUNTIME}`,
    `Pinning: ${group.pin ? 'servers under test on CPU 1 (undici proxy; nginx master and worker; gateway with its PGlite worker); simulator and load generator on CPU 0 (`taskset`); PostgreSQL and Redis are system services, not pinned' : 'none'}`,
    `Command: \`${process.env.npm_lifecycle_event === 'bench' ? `npm run bench -- ${args}` : `node --import tsx bench/run.ts ${args}`}\``,
    `Route: \`GET /v3/cnous/etudiant_boursier/ine\` (no response cache) → simulator \`GET /v1/etudiants-boursiers\` (OAuth2), answering at once; the proxies and direct calls send the upstream request with the simulator's bearer token`,
    `Gateways: live mode, log level \`silent\`, durable access journal; embedded = PGlite in a temporary DATA_DIR; PostgreSQL = ${opts.createDb ? 'a scratch database created and dropped on' : 'the database'} \`${redacted(opts.databaseUrl)}\`, Redis \`${opts.redisUrl}\` (its own database number); nginx: ${skipped.nginx === undefined ? `${nginxVersion(nginxBinary as string)}, 1 worker, keep-alive upstream, access log off` : 'not run'}`,
  ],
});
const problems = [...runProblems, ...reportProblems];
process.stdout.write(`\n${section}\n`);
if (problems.length > 0) process.stdout.write(`\nPROBLEMS:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
if (opts.writeDoc) {
  replaceDocSection('scale', section);
  say('section "scale" written to docs/benchmarks.md');
}
process.exit(problems.length > 0 ? 1 : 0);
