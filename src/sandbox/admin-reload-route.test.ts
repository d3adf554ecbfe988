/**
 * `POST /admin/v1/sandbox/reload` through the real app: guarded like the other admin routes, and a
 * case written after start-up is served once reloaded (and not before). Also the CLI side:
 * `sandbox reload` with no running service says so, and `sandbox check` exits 1 on problems.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { testApp, type TestApp } from '../../test/helpers/test-app.ts';
import { c2sIdentite } from '../providers/dss/complementaire-sante-solidaire.ts';
import { SANDBOX_RELOAD_PATH } from './admin-reload-route.ts';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'api-particulier.js');
const QUERY =
  'recipient=13002526500013&nomNaissance=RECHARGE&prenoms[]=ALICE&anneeDateNaissance=1990&moisDateNaissance=1&jourDateNaissance=2&sexeEtatCivil=F&codeCogInseePaysNaissance=99134';
const BODY = { errors: [{ code: '40003', title: 'Dossier absent', detail: 'absent', source: null, meta: { provider: 'RNCPS' } }] };

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, cwd: REPO });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('sandbox reload through the admin API', () => {
  let t: TestApp;
  let root: string;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'apip-reload-'));
    mkdirSync(path.join(root, c2sIdentite.operationId));
    t = await testApp({ env: { SANDBOX_DATA_DIRS: root } });
  });
  after(async () => {
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('refuses a caller without the local admin secret', async () => {
    const res = await t.app.server.inject({ method: 'POST', url: SANDBOX_RELOAD_PATH, headers: { authorization: 'Bearer wrong' } });
    assert.equal(res.statusCode, 401);
  });

  test('a case added after start-up is served after the reload, bad files are listed', async () => {
    const token = await t.token();
    const get = () => t.app.server.inject({ url: `${c2sIdentite.path}?${QUERY}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal((await get()).statusCode, 200, 'no case yet: the generic example');

    const dir = path.join(root, c2sIdentite.operationId);
    writeFileSync(path.join(dir, '404.yaml'), `description: "## 404"\nparams: { nomNaissance: RECHARGE }\nstatus: 404\npayload: ${JSON.stringify(JSON.stringify(BODY))}\n`);
    writeFileSync(path.join(dir, 'broken.yaml'), 'status: 999\n');
    assert.equal((await get()).statusCode, 200, 'not watched in tests: nothing changes before the reload');

    const res = await t.app.server.inject({ method: 'POST', url: SANDBOX_RELOAD_PATH, headers: { authorization: `Bearer ${t.app.services.adminSecret}` } });
    assert.equal(res.statusCode, 200);
    const summary = res.json() as { cases: number; problems: Array<{ file: string; message: string }> };
    assert.deepEqual(summary.problems.map((p) => path.basename(p.file)), ['broken.yaml']);
    assert.equal(t.app.services.sandboxStore.watchedFolders, 0);

    const after = await get();
    assert.equal(after.statusCode, 404);
    assert.deepEqual(after.json(), BODY);
    const files = (t.app.services.sandbox.cases.get(c2sIdentite.operationId) ?? []).map((c) => c.file);
    assert.ok(files.includes(path.join(dir, '404.yaml')), 'services.sandbox is the current report');
  });
});

describe('sandbox CLI', () => {
  test('`sandbox check` exits 1 and lists the problems by file; 0 on a clean root', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'apip-check-cli-'));
    try {
      mkdirSync(path.join(root, c2sIdentite.operationId));
      writeFileSync(path.join(root, c2sIdentite.operationId, 'a.yaml'), `description: ""\nparams: { sexe: F }\nstatus: 404\npayload: ${JSON.stringify(JSON.stringify(BODY))}\n`);
      const bad = await cli({}, 'sandbox', 'check', root);
      assert.equal(bad.code, 1, bad.stderr);
      assert.match(bad.stdout, new RegExp(`^${c2sIdentite.operationId}/a\\.yaml\\n  - description vide`, 'm'));
      assert.match(bad.stdout, /params\.sexe : la route ne déclare pas ce paramètre/);
      assert.match(bad.stdout, /1 fichier\(s\) vérifié\(s\) .* 2 problème\(s\) dans 1 fichier/);

      const clean = await cli({}, 'sandbox', 'check', path.join(REPO, 'src', 'sandbox', 'cases'));
      assert.equal(clean.code, 0, clean.stdout);
      assert.match(clean.stdout, /aucun problème/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('`sandbox reload` with no running service says so', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'apip-reload-cli-'));
    try {
      const res = await cli({ DATA_DIR: dataDir, DATABASE_URL: '' }, 'sandbox', 'reload');
      assert.equal(res.code, 1);
      assert.match(res.stderr, /aucun service en cours d’exécution/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
