/**
 * Issue 6 "done when": after `kill -9` of one instance under load, every response that was delivered
 * has its journal row and `journal verify` passes. The real service runs as a child process on a
 * throw-away PostgreSQL database; concurrent data calls with the sandbox demo token record the
 * request ids answered 200; the process is killed mid-load.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { openDatabase, type Database } from '../src/infra/db/open-database.ts';
import { verifyJournal } from '../src/journal/verify-journal.ts';
import { throwawayPostgres } from './journal-support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const C2S =
  '/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE' +
  '&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';

let pgDb: Awaited<ReturnType<typeof throwawayPostgres>>;
let dataDir: string;
let child: ChildProcess | undefined;
let database: Database | undefined;

before(async () => {
  pgDb = await throwawayPostgres();
  dataDir = mkdtempSync(path.join(tmpdir(), 'apip-kill-'));
});
after(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await database?.close();
  await pgDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the service and resolves with its base URL once it prints it. */
async function startService(): Promise<{ url: string; process: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: pgDb.url,
      DATA_DIR: dataDir,
      PORT: '0',
      DEMO_TOKEN: 'true',
      LOG_LEVEL: 'silent',
      SANDBOX_WATCH: 'false',
      REDIS_URL: '',
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_PER_SECOND: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start: ${output}`)), 60_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /écoute sur (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`service exited (${code}): ${output}`)));
  });
  return { url, process: proc };
}

test('every delivered 200 has its journal row after kill -9 mid-load, and the chain verifies', { timeout: 120_000 }, async () => {
  const service = await startService();
  child = service.process;
  const token = readFileSync(path.join(dataDir, 'demo-token.txt'), 'utf8').trim();

  const delivered: string[] = [];
  let failed = 0;
  let stop = false;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      const requestId = `kill-${w}-${i}`;
      try {
        // A distinct name per call: the in-flight lock and the response cache would otherwise short-cut calls.
        const response = await fetch(`${service.url}${C2S.replace('LEROY', `LEROY${w}X${i}`)}`, {
          headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
        });
        await response.arrayBuffer();
        if (response.status === 200) {
          assert.equal(response.headers.get('x-request-id'), requestId);
          delivered.push(requestId);
        }
      } catch {
        failed += 1; // connection reset by the kill
        return;
      }
    }
  };
  const workers = Array.from({ length: 16 }, (_, w) => worker(w));
  // Kill once the load is well under way.
  while (delivered.length < 300) await new Promise((resolve) => setTimeout(resolve, 20));
  const exited = once(service.process, 'exit');
  service.process.kill('SIGKILL');
  await exited;
  stop = true;
  await Promise.all(workers);
  assert.ok(failed > 0, 'the kill cut calls in flight');

  database = await openDatabase({ databaseUrl: pgDb.url, dataDir });
  const rows = await database.db.selectFrom('access_journal').select(['request_id', 'status']).execute();
  const journaled = new Map(rows.map((r) => [r.request_id, r.status]));
  const missing = delivered.filter((id) => journaled.get(id) !== 200);
  assert.deepEqual(missing, [], `${missing.length} of ${delivered.length} delivered answers have no journal row`);

  const report = await verifyJournal(database.db);
  assert.deepEqual({ ok: report.ok, problems: report.problems }, { ok: true, problems: [] });
  assert.ok(report.rows >= delivered.length);
});
