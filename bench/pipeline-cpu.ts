/**
 * CPU per call of the gateway pipeline, in process, without sockets: `app.inject()` against the real
 * `buildApp()` and, in the same process, against a bare fastify route answering the same body. It
 * counts CPU time (`process.cpuUsage()`: every thread of this process, so the PGlite worker too), not
 * wall time, so it stays readable on a machine that other jobs keep busy — the socket benchmarks
 * (`npm run bench`) need a quiet machine; this one is for comparing two versions of the code.
 *
 *   node --import tsx bench/pipeline-cpu.ts [--calls 20000] [--concurrency 50] [--tokens 200]
 *                                           [--without-journal] [--database-url URL]
 *
 * Prints µs of CPU per call for the bare route and the gateway, and their ratio (the closed-loop
 * throughput ratio of `npm run bench` is about its inverse when both servers are CPU-bound, minus the
 * socket work both share).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { BARE_BODY, REQUEST_PATH, ROUTE_PATH } from './common.ts';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '50' },
    tokens: { type: 'string', default: '200' },
    'without-journal': { type: 'boolean', default: false },
    'database-url': { type: 'string' },
  },
});
const calls = Number(args.calls);
const concurrency = Number(args.concurrency);
const tokenCount = Number(args.tokens);

/** Runs `calls` injections, `concurrency` at a time; returns CPU µs per call and wall ms. */
async function measure(server: FastifyInstance, headersFor: (i: number) => Record<string, string>): Promise<{ cpuUs: number; wallMs: number }> {
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const i = next++;
      const response = await server.inject({ method: 'GET', url: REQUEST_PATH, headers: headersFor(i) });
      if (response.statusCode !== 200) failures += 1;
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  if (failures > 0) throw new Error(`${failures} calls did not answer 200`);
  return { cpuUs: (used.user + used.system) / calls, wallMs: performance.now() - started };
}

const bare = Fastify({ logger: false });
bare.get(ROUTE_PATH, async () => BARE_BODY);
await bare.ready();

const dataDir = mkdtempSync(path.join(tmpdir(), 'apip-pipeline-cpu-'));
const discardJournal = { append: () => Promise.resolve(), drain: () => Promise.resolve(), queueDepth: 0 };
const app = await buildApp(
  loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: args['database-url'],
    DEMO_TOKEN: 'false',
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    RATE_LIMIT_IP_PER_SECOND: '100000',
    RATE_LIMIT_IP_BURST: '1000000',
    RATE_LIMIT_PER_SECOND: '10000',
    RATE_LIMIT_BURST: '10000',
  }),
  { logger: false, ...(args['without-journal'] === true ? { journal: discardJournal } : {}) },
);
try {
  const tokens: string[] = [];
  for (let i = 0; i < tokenCount; i++) tokens.push((await app.services.tokens.create({ allScopes: true, name: `cpu-${i}`, owner: 'bench', expiresIn: '1d' })).token);
  const gatewayHeaders = (i: number): Record<string, string> => ({ authorization: `Bearer ${tokens[i % tokens.length]}` });

  // Warm-up (JIT, caches), then measure each twice in alternation and keep the lower figure.
  await measure(bare, () => ({}));
  await measure(app.server, gatewayHeaders);
  const bareRuns = [];
  const gatewayRuns = [];
  for (let round = 0; round < 2; round++) {
    bareRuns.push(await measure(bare, () => ({})));
    gatewayRuns.push(await measure(app.server, gatewayHeaders));
  }
  const best = (runs: Array<{ cpuUs: number }>): number => Math.min(...runs.map((r) => r.cpuUs));
  const bareUs = best(bareRuns);
  const gatewayUs = best(gatewayRuns);
  process.stdout.write(
    `pipeline-cpu: ${calls} calls × 2, concurrency ${concurrency}, ${tokens.length} tokens, ${app.services.database.engine}` +
      `${args['without-journal'] === true ? ', journal discarded' : ', durable journal'}\n` +
      `  bare fastify (inject): ${bareUs.toFixed(1)} µs CPU per call\n` +
      `  gateway      (inject): ${gatewayUs.toFixed(1)} µs CPU per call (${(gatewayUs / bareUs).toFixed(2)}× bare)\n`,
  );
} finally {
  await app.close();
  await bare.close();
  rmSync(dataDir, { recursive: true, force: true });
}
