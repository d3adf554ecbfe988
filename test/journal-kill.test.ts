/**
 * Issue 6 "done when": after `kill -9` of one instance under load, every response that was delivered
 * has its journal row and `journal verify` passes. The real service runs as a child process, on a
 * throw-away PostgreSQL database and on the embedded database; concurrent data calls with the sandbox
 * demo token record the request ids answered 200; the process is killed mid-load. On the embedded
 * database the rows of the last calls are in the journal spool (ADR 0171): the next start replays them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
let embeddedDir: string;
let child: ChildProcess | undefined;
let database: Database | undefined;

before(async () => {
  pgDb = await throwawayPostgres();
  dataDir = mkdtempSync(path.join(tmpdir(), 'apip-kill-'));
  embeddedDir = mkdtempSync(path.join(tmpdir(), 'apip-kill-embedded-'));
});
after(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await database?.close();
  await pgDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
});

/** Starts the service and resolves with its base URL once it prints it. `databaseUrl` '' = embedded. */
async function startService(dir = dataDir, databaseUrl = pgDb.url): Promise<{ url: string; process: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      PORT: '0',
      DEMO_TOKEN: 'true',
      LOG_LEVEL: databaseUrl === '' ? 'info' : 'silent',
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
  return { url, process: proc, output: () => output };
}

/** Loads the service with 16 concurrent callers, kills it with SIGKILL past 300 answers; the request ids answered 200. */
async function deliveredBeforeKill(service: { url: string; process: ChildProcess }, dir: string): Promise<string[]> {
  const token = readFileSync(path.join(dir, 'demo-token.txt'), 'utf8').trim();
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
  return delivered;
}

async function assertJournaled(db: Database['db'], delivered: string[]): Promise<void> {
  const rows = await db.selectFrom('access_journal').select(['request_id', 'status']).execute();
  const journaled = new Map(rows.map((r) => [r.request_id, r.status]));
  const missing = delivered.filter((id) => journaled.get(id) !== 200);
  assert.deepEqual(missing, [], `${missing.length} of ${delivered.length} delivered answers have no journal row`);
  const report = await verifyJournal(db);
  assert.deepEqual({ ok: report.ok, problems: report.problems }, { ok: true, problems: [] });
  assert.ok(report.rows >= delivered.length);
}

test('every delivered 200 has its journal row after kill -9 mid-load, and the chain verifies (PostgreSQL)', { timeout: 120_000 }, async () => {
  const service = await startService();
  child = service.process;
  const delivered = await deliveredBeforeKill(service, dataDir);
  database = await openDatabase({ databaseUrl: pgDb.url, dataDir });
  await assertJournaled(database.db, delivered);
  await database.close();
  database = undefined;
});

test('embedded: after kill -9 mid-load the next start replays the spool; every delivered 200 has its row and the chain verifies', { timeout: 180_000 }, async () => {
  const service = await startService(embeddedDir, '');
  child = service.process;
  const delivered = await deliveredBeforeKill(service, embeddedDir);
  const spool = path.join(embeddedDir, 'journal-spool');
  assert.ok(readdirSync(spool).length > 0, 'the killed process left its spool');

  // The next start replays the spool before it listens; a clean stop then leaves no spool file.
  const again = await startService(embeddedDir, '');
  child = again.process;
  const exited = once(again.process, 'exit');
  again.process.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, again.output());
  assert.match(again.output(), /journal spool replayed into the table/);
  assert.deepEqual(readdirSync(spool), [], again.output());

  database = await openDatabase({ dataDir: embeddedDir });
  await assertJournaled(database.db, delivered);
});
