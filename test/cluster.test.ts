/**
 * Scale-out (issue 6, "Done when"): three real instances on loopback over the machine's PostgreSQL
 * and Redis. One token under overload is held to 20 calls per second across the cluster; a
 * revocation reaches every instance within a second; after `kill -9` of one instance under load,
 * every answer that was delivered has its journal row and the journal's hash chains verify.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { request } from 'undici';
import { migrateToLatest } from '../src/infra/db/migrate.ts';
import { openDatabase, type Database } from '../src/infra/db/open-database.ts';
import { verifyJournal } from '../src/journal/verify-journal.ts';
import { allScopes } from '../src/providers/index.ts';
import { createKeyring } from '../src/tokens/keyring.ts';
import { RedisRevocationNotices } from '../src/tokens/revocation-notices.ts';
import { TokenAdmin } from '../src/tokens/token-admin.ts';
import { TokenRepository } from '../src/tokens/token-repository.ts';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { throwawayPostgres } from './journal-support.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SIGNING_KEY = { kid: 'cluster', secret: 'c'.repeat(48) };
const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const ROOT = path.resolve(import.meta.dirname, '..');

interface Instance {
  url: string;
  process: ChildProcess;
  dataDir: string;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'apip-cluster-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const endpointFile = path.join(dataDir, 'admin.json');
  const deadline = Date.now() + 60_000;
  while (!existsSync(endpointFile)) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`instance did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { url } = JSON.parse(readFileSync(endpointFile, 'utf8')) as { url: string };
  return { url, process: child, dataDir };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.process.exitCode === null && instance.process.signalCode === null) {
    const exited = new Promise((resolve) => instance.process.once('exit', resolve));
    instance.process.kill('SIGTERM');
    await exited;
  }
  rmSync(instance.dataDir, { recursive: true, force: true });
}

async function get(instance: Instance, token: string, requestId: string, extra: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await request(`${instance.url}${ROUTE}?${leaQuery(extra)}`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } });
  return { status: res.statusCode, body: await res.body.json() };
}

describe('a cluster of three instances on PostgreSQL + Redis', { timeout: 180_000 }, () => {
  let pgdb: Awaited<ReturnType<typeof throwawayPostgres>>;
  let database: Database;
  let tokens: TokenAdmin;
  let notices: RedisRevocationNotices;
  let instances: Instance[] = [];

  before(async () => {
    pgdb = await throwawayPostgres();
    database = await openDatabase({ databaseUrl: pgdb.url, dataDir: tmpdir(), poolSize: 4 });
    await migrateToLatest(database.db);
    notices = new RedisRevocationNotices(REDIS_URL);
    // The operator's side: the same code path as `api-particulier tokens …` on the database.
    tokens = new TokenAdmin({ repository: new TokenRepository(database.db), keyring: createKeyring([SIGNING_KEY]), now: () => new Date(), knownScopes: allScopes(), revocations: notices });
    const cases = writeCaseDir([{ operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY }]);
    const env = {
      DATABASE_URL: pgdb.url,
      REDIS_URL,
      TOKEN_SIGNING_KEYS: `${SIGNING_KEY.kid}:${SIGNING_KEY.secret}`,
      JOURNAL_PSEUDONYM_KEY: 'j'.repeat(48),
      SANDBOX_DATA_DIRS: cases,
      SANDBOX_WATCH: 'false',
      DEMO_TOKEN: 'false',
      LOG_LEVEL: 'warn',
      // Every client here is 127.0.0.1: the IP cap would be the one measured, not the token's.
      RATE_LIMIT_IP_PER_SECOND: '0',
    };
    instances = await Promise.all([startInstance(env), startInstance(env), startInstance(env)]);
  });

  after(async () => {
    await Promise.all(instances.map(stopInstance));
    await notices?.close();
    await database?.close();
    await pgdb?.drop();
  });

  test('one token under overload for 10 s is held to 20 calls per second ±10 % across the cluster', async () => {
    const { token } = await tokens.create({ allScopes: true, name: 'overload' });
    const seconds = 10;
    const offeredPerSecond = 60;
    const started = Date.now();
    const statuses: number[] = [];
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; Date.now() - started < seconds * 1000; i++) {
      // Distinct params per call: no cache hit, no 409; every call is a fresh decision of the limiter.
      const instance = instances[i % 3] as Instance;
      inFlight.push(get(instance, token, `overload-${i}`, { nomUsage: `N${i}` }).then((r) => void statuses.push(r.status)));
      const next = started + ((i + 1) * 1000) / offeredPerSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
    await Promise.all(inFlight);
    const elapsed = (Date.now() - started) / 1000;
    const admitted = statuses.filter((s) => s === 200).length;
    assert.deepEqual([...new Set(statuses)].sort(), [200, 429], 'only answers and refusals');
    // The burst (20) is admitted once; beyond it, the sustained rate.
    const rate = (admitted - 20) / elapsed;
    assert.ok(rate >= 18 && rate <= 22, `${admitted} admitted in ${elapsed.toFixed(1)} s: ${rate.toFixed(2)}/s`);
  });

  test('a revocation reaches every instance within a second', async () => {
    const { token, record } = await tokens.create({ allScopes: true, name: 'to revoke' });
    for (const [i, instance] of instances.entries()) assert.equal((await get(instance, token, `pre-revoke-${i}`)).status, 200);
    await tokens.revoke(record.jti);
    const revokedAt = Date.now();
    const delays = await Promise.all(
      instances.map(async (instance, i) => {
        for (let n = 0; ; n++) {
          const res = await get(instance, token, `post-revoke-${i}-${n}`, { nomUsage: `R${n}` });
          if (res.status === 401) return Date.now() - revokedAt;
          if (Date.now() - revokedAt > 5_000) return Number.POSITIVE_INFINITY;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
    for (const delay of delays) assert.ok(delay <= 1_000, `revocation applied after ${delay} ms`);
  });

  test('after kill -9 of one instance under load, every delivered answer has its journal row and the journal verifies', async () => {
    const { token } = await tokens.create({ allScopes: true, name: 'crash', rateLimitPerSecond: 10_000 });
    const delivered: string[] = [];
    let stop = false;
    const worker = async (w: number): Promise<void> => {
      for (let n = 0; !stop; n++) {
        const instance = instances[(w + n) % 3] as Instance;
        const id = `crash-${w}-${n}`;
        try {
          const res = await get(instance, token, id, { nomUsage: `C${w}x${n}` });
          if (res.status === 200) delivered.push(id);
        } catch {
          // The killed instance: the call was never answered, so nothing was delivered.
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const victim = instances[1] as Instance;
    victim.process.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop = true;
    await Promise.all(workers);
    assert.ok(delivered.length > 50, `${delivered.length} answers delivered`);

    const rows = await sql<{ request_id: string }>`select request_id from access_journal where request_id = any(${delivered})`.execute(database.db);
    const journaled = new Set(rows.rows.map((r) => r.request_id));
    const missing = delivered.filter((id) => !journaled.has(id));
    assert.deepEqual(missing, [], 'delivered without a journal row');
    const report = await verifyJournal(database.db);
    assert.equal(report.ok, true, JSON.stringify(report.problems.slice(0, 5)));
    assert.ok(report.segments >= 3, `${report.segments} segments`);
  });
});
