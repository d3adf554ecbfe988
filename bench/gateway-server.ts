/**
 * The full gateway for the benchmark: the real `buildApp()` (embedded PGlite in a temporary
 * DATA_DIR, or PostgreSQL with --database-url), N tokens with every scope written to a file, a
 * loopback listener on an ephemeral port. Talks to the runner over IPC; on `stop` (or SIGTERM) it
 * drains the access journal and reports how many rows were written during its life, to be compared
 * with the HTTP requests it received.
 *
 *   node --import tsx bench/gateway-server.ts [--database-url URL] [--tokens 200] [--log-level silent]
 *                                             [--data-dir DIR] [--tokens-file FILE] [--redis-url URL]
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { exitWithParent, rssMb, send, type ParentMessage } from './common.ts';

const started = performance.now();
const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    tokens: { type: 'string', default: '200' },
    'log-level': { type: 'string', default: 'silent' },
    'data-dir': { type: 'string' },
    'tokens-file': { type: 'string' },
    /** Shared state (limiter, 409 lock, response cache, revocations) on Redis, as `REDIS_URL` (`npm run bench -- --scale`). */
    'redis-url': { type: 'string' },
    /** Issue 2's and 4's stage "before the journal": rows are discarded (measurement only, never a configuration). */
    'without-journal': { type: 'boolean', default: false },
    /** Live mode (`npm run bench -- --live`): a file of `KEY=value` lines (`LIVE_*`, `MODE=live`…) added to, and overriding, the config above. */
    'live-env': { type: 'string' },
  },
});

const ownDataDir = args['data-dir'] === undefined;
const dataDir = args['data-dir'] ?? mkdtempSync(path.join(tmpdir(), 'apip-bench-'));
mkdirSync(dataDir, { recursive: true });
const logLevel = args['log-level'] ?? 'silent';
const tokenCount = Number(args.tokens);
if (!Number.isInteger(tokenCount) || tokenCount < 1 || tokenCount > 100_000) throw new Error('--tokens must be an integer in 1..100000');

let app: App | undefined;
let httpRequests = 0;
let journalRowsAtStart = 0;

async function journalRows(current: App): Promise<number> {
  const result = await sql<{ n: string | number }>`select count(*) as n from access_journal`.execute(current.services.database.db);
  return Number(result.rows[0]?.n ?? 0);
}

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(2), 20_000).unref();
  try {
    if (app !== undefined) {
      await app.services.journal.drain();
      if (stallLog !== undefined && stallLog !== '') {
        const metrics = await app.server.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
        const { getHeapSpaceStatistics, writeHeapSnapshot } = await import('node:v8');
        if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
        appendFileSync(stallLog, `memory ${JSON.stringify(process.memoryUsage())}\n${getHeapSpaceStatistics().map((space) => `${space.space_name} ${(space.space_size / 1048576).toFixed(1)} MB (used ${(space.space_used_size / 1048576).toFixed(1)})`).join('\n')}\n`);
        appendFileSync(stallLog, `${metrics.body.split('\n').filter((line) => /^apip_(gateway_overhead|provider_latency|journal_wait|journal_flush)_seconds_(bucket|sum|count)/.test(line)).join('\n')}\n`);
      }
      const rows = await journalRows(app);
      const rss = rssMb();
      await app.close();
      await send({ type: 'stopped', httpRequests, journalRows: rows - journalRowsAtStart, journalRowsAtStart, rssMb: rss });
    }
  } catch (error) {
    await send({ type: 'error', message: `shutdown failed: ${(error as Error).stack ?? String(error)}` });
    code = 1;
  } finally {
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(code);
}

/**
 * Diagnosis (`BENCH_STALL_LOG=FILE`): one line per event-loop stall over 20 ms and per GC pause over 10 ms,
 * with the time since start, to tell a tail in the open loop from what the process was doing.
 */
const stallLog = process.env.BENCH_STALL_LOG;
if (stallLog !== undefined && stallLog !== '') {
  const { PerformanceObserver } = await import('node:perf_hooks');
  const at = (): string => `${(performance.now() / 1000).toFixed(3)} [${(process.hrtime.bigint() / 1000n).toString()}]`;
  let expected = performance.now() + 5;
  setInterval(() => {
    const late = performance.now() - expected;
    if (late > 20) appendFileSync(stallLog, `${at()} stall ${late.toFixed(1)} ms after request ${httpRequests}\n`);
    expected = performance.now() + 5;
  }, 5).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration > 10) appendFileSync(stallLog, `${at()} gc ${entry.duration.toFixed(1)} ms kind ${String((entry as { detail?: { kind?: number } }).detail?.kind)}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}

exitWithParent(() => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
process.on('message', (message: ParentMessage) => {
  if (message.type === 'stop') void stop(0);
  if (message.type === 'stats' && app !== undefined) {
    const current = app;
    journalRows(current).then(
      (rows) =>
        void send({ type: 'stats', httpRequests, journalRows: rows - journalRowsAtStart, journalQueue: current.services.journal.queueDepth, rssMb: rssMb() }),
      (error: unknown) => void send({ type: 'error', message: String(error) }),
    );
  }
});

try {
  const liveEnv = args['live-env'] === undefined ? {} : Object.fromEntries(readFileSync(args['live-env'], 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: args['database-url'],
    REDIS_URL: args['redis-url'],
    LOG_LEVEL: logLevel,
    DEMO_TOKEN: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    // Both limits stay on (their cost is measured) but high enough that the load itself is never refused.
    RATE_LIMIT_IP_PER_SECOND: '100000',
    RATE_LIMIT_IP_BURST: '1000000',
    RATE_LIMIT_PER_SECOND: '10000',
    RATE_LIMIT_BURST: '10000',
    ...liveEnv,
    // A/B runs: `BENCH_GATEWAY_ENV='JOURNAL_LANES=1 TOKEN_CACHE_TTL_MS=60000'` overrides the settings above.
    ...Object.fromEntries((process.env.BENCH_GATEWAY_ENV ?? '').split(' ').filter((pair) => pair.includes('=')).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
  });
  // Logs go to this process's stdout, which the runner sends to a file (or /dev/null).
  const discardJournal = { append: () => Promise.resolve(), drain: () => Promise.resolve(), queueDepth: 0 };
  app = await buildApp(config, { ...(logLevel === 'silent' ? { logger: false } : {}), ...(args['without-journal'] === true ? { journal: discardJournal } : {}) });

  const tokens: string[] = [];
  for (let i = 0; i < tokenCount; i++) {
    const { token } = await app.services.tokens.create({ allScopes: true, name: `bench-${i}`, owner: 'bench', expiresIn: '1d' });
    tokens.push(token);
  }
  const tokensFile = args['tokens-file'] ?? path.join(dataDir, 'bench-tokens.txt');
  writeFileSync(tokensFile, `${tokens.join('\n')}\n`, { mode: 0o600 });

  journalRowsAtStart = await journalRows(app);
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  app.server.server.on('request', () => {
    httpRequests += 1;
  });
  const address = app.server.server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected listen address');
  if (stallLog !== undefined && stallLog !== '') appendFileSync(stallLog, `${(performance.now() / 1000).toFixed(3)} ready\n`);
  await send({ type: 'ready', port: address.port, tokensFile, engine: app.services.database.engine, startupMs: Math.round(performance.now() - started) });
} catch (error) {
  await send({ type: 'error', message: `gateway start failed: ${(error as Error).stack ?? String(error)}` });
  await stop(1);
}
