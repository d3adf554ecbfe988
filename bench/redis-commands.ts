/**
 * Redis commands per data call, in process: `app.inject()` against the real `buildApp()` with
 * `REDIS_URL` on a Redis database number of its own, counting with `MONITOR` the commands that
 * database sees — those sent by the gateway's connections and those its Lua scripts run, as Redis's
 * `INFO commandstats` counts them. `MONITOR` rather than `INFO` deltas because the counters are
 * server-wide and other jobs may use the same Redis.
 *
 *   node --import tsx bench/redis-commands.ts [--calls 200] [--db 13] [--redis-url redis://127.0.0.1:6379]
 *
 * Three kinds of call on the benchmark's route (bench/common.ts, a route with a response cache):
 * - `fresh`: `Cache-Control: no-cache`, so every call takes the 409 lock, calls the sandbox and stores;
 * - `hit`: the same call repeated, answered from the shared cache;
 * - `first`: each call by a new token, so a cache miss without `no-cache`;
 * and `nocache`: a route without a response cache (MESRI by INE, from the shipped cast).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { REQUEST_PATH } from './common.ts';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '200' },
    db: { type: 'string', default: '13' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const calls = Number(args.calls);
const db = Number(args.db);
const redisUrl = `${args['redis-url'].replace(/\/\d*$/, '')}/${db}`;

const dataDir = mkdtempSync(path.join(tmpdir(), 'apip-redis-commands-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  REDIS_URL: redisUrl,
  LOG_LEVEL: 'silent',
  DEMO_TOKEN: 'false',
  JOBS_ENABLED: 'false',
  // Both limits on, as in the benchmark, too high to refuse anything.
  RATE_LIMIT_IP_PER_SECOND: '100000',
  RATE_LIMIT_IP_BURST: '1000000',
  RATE_LIMIT_PER_SECOND: '10000',
  RATE_LIMIT_BURST: '10000',
});
const app = await buildApp(config, { logger: false });
const tokens: string[] = [];
for (let i = 0; i < calls + 1; i++) tokens.push((await app.services.tokens.create({ allScopes: true, name: `redis-commands-${i}`, owner: 'bench' })).token);

const monitor = new Redis(args['redis-url']);
const seen: Array<{ lua: boolean; name: string }> = [];
const feed = await monitor.monitor();
feed.on('monitor', (_time: string, argv: string[], source: string, database: string) => {
  // `source` is the client's address, or "lua" for a command run by a script.
  if (Number(database) === db) seen.push({ lua: source === 'lua', name: String(argv[0]).toLowerCase() });
});

async function count(label: string, run: (i: number) => Promise<number>): Promise<void> {
  // Lets the previous scenario's fire-and-forget commands land before counting starts.
  await new Promise((resolve) => setTimeout(resolve, 200));
  seen.length = 0;
  for (let i = 0; i < calls; i++) {
    const status = await run(i);
    if (status !== 200) throw new Error(`${label}: call ${i} answered ${status}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const byName = new Map<string, number>();
  for (const c of seen) byName.set(`${c.lua ? 'lua:' : ''}${c.name}`, (byName.get(`${c.lua ? 'lua:' : ''}${c.name}`) ?? 0) + 1);
  const sent = seen.filter((c) => !c.lua).length;
  const detail = [...byName].sort().map(([name, n]) => `${name} ${(n / calls).toFixed(2)}`).join(', ');
  console.log(`${label.padEnd(7)} ${(seen.length / calls).toFixed(2)} commands per call (${(sent / calls).toFixed(2)} sent by the gateway): ${detail}`);
}

const UNCACHED_PATH = '/v3/mesri/statut_etudiant/ine?recipient=13002526500013&ine=0905012345A';
const inject = async (token: string, headers: Record<string, string> = {}, url = REQUEST_PATH): Promise<number> =>
  (await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers } })).statusCode;

// Warms the token verification cache and the scripts, and puts the repeated call in the cache.
await inject(tokens[calls] as string);
await inject(tokens[calls] as string, { 'cache-control': 'no-cache' });
await inject(tokens[calls] as string, {}, UNCACHED_PATH);
try {
  await count('nocache', () => inject(tokens[calls] as string, {}, UNCACHED_PATH));
  await count('fresh', () => inject(tokens[calls] as string, { 'cache-control': 'no-cache' }));
  await count('hit', () => inject(tokens[calls] as string));
  for (const token of tokens.slice(0, calls)) await app.services.verifier.verify(token);
  await count('first', (i) => inject(tokens[i] as string));
} finally {
  monitor.disconnect();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
