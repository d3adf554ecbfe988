/**
 * Reload without restart (docs/adr/0060-sandbox-reload.md): the store swaps in what a reload finds,
 * serves the valid cases of a root that also has bad files, reloads on file changes when watching,
 * and the driver reads the cases in force at call time.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { c2sIdentite } from '../providers/dss/complementaire-sante-solidaire.ts';
import { createSandboxDriver } from './sandbox-driver.ts';
import { SandboxStore, type ReloadSummary } from './sandbox-store.ts';

const OP = c2sIdentite.operationId;
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function newRoot(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'apip-store-'));
  made.push(dir);
  mkdirSync(path.join(dir, OP));
  return dir;
}

function writeCase(root: string, file: string, nom: string, status = 404): void {
  const body = { errors: [{ code: '40003', title: 'Dossier absent', detail: 'x', source: null, meta: { provider: 'RNCPS' } }] };
  writeFileSync(
    path.join(root, OP, file),
    `description: "## ${nom}"\nparams: { nomNaissance: ${nom} }\nstatus: ${status}\npayload: ${JSON.stringify(JSON.stringify(body))}\n`,
  );
}

const call = (store: SandboxStore, nom: string) =>
  createSandboxDriver(store).call({ endpoint: c2sIdentite, params: { nomNaissance: nom }, requestId: 'r', signal: AbortSignal.timeout(1000) });

describe('SandboxStore', () => {
  test('reload() swaps in the new cases; the driver sees them on its next call', async () => {
    const root = newRoot();
    writeCase(root, 'a.yaml', 'AAA');
    const store = await SandboxStore.open([root]);
    const driver = createSandboxDriver(store);
    const params = { nomNaissance: 'BBB' };
    const before = await driver.call({ endpoint: c2sIdentite, params, requestId: 'r', signal: AbortSignal.timeout(1000) });
    assert.equal(before.kind, 'data', 'no case yet: the generic example');
    writeCase(root, 'b.yaml', 'BBB');
    const summary = await store.reload();
    assert.deepEqual({ cases: summary.cases, problems: summary.problems }, { cases: 2, problems: [] });
    const after = await driver.call({ endpoint: c2sIdentite, params, requestId: 'r', signal: AbortSignal.timeout(1000) });
    assert.equal(after.kind === 'error' && after.status, 404);
  });

  test('a reload that finds a bad file serves the valid cases and reports the bad one by file, without its content', async () => {
    const root = newRoot();
    writeCase(root, 'a.yaml', 'AAA');
    const store = await SandboxStore.open([root]);
    writeFileSync(path.join(root, OP, 'bad.yaml'), 'status: 200\npayload: |-\n  { "secret-value": \n');
    writeCase(root, 'c.yaml', 'CCC');
    const summary = await store.reload();
    assert.equal(summary.cases, 2);
    assert.equal(summary.problems.length, 1);
    assert.equal(path.basename(summary.problems[0]?.file ?? ''), 'bad.yaml');
    assert.ok(!JSON.stringify(summary).includes('secret-value'), 'no payload content in problems');
    assert.equal((await call(store, 'CCC')).kind, 'error');
  });

  test('a missing root is a problem, not a crash; concurrent reloads share one load', async () => {
    const root = newRoot();
    const store = await SandboxStore.open([root, path.join(root, 'absent')]);
    assert.equal(store.current().problems.length, 1);
    const [a, b] = await Promise.all([store.reload(), store.reload()]);
    assert.equal(a, b);
  });

  test('watch(): a file change reloads after the debounce; close() stops watching', async () => {
    const root = newRoot();
    const reloads: ReloadSummary[] = [];
    const store = await SandboxStore.open([root], { onReload: (s) => reloads.push(s) });
    await store.watch(50);
    const watched = (): number => store.watchedFolders;
    assert.equal(watched(), 2, 'the root and its operationId folder');
    writeCase(root, 'a.yaml', 'AAA');
    writeCase(root, 'b.yaml', 'BBB');
    const loaded = (): boolean => store.current().cases.get(OP)?.length === 2 && reloads.length > 0;
    for (let i = 0; i < 100 && !loaded(); i += 1) await sleep(20);
    assert.equal(store.current().cases.get(OP)?.length, 2);
    assert.ok(reloads.length >= 1 && reloads.length <= 2, `debounced: ${reloads.length} reloads`);

    // A folder created later is watched after the reload that finds it.
    const other = 'api_particulier_v3_cnav_quotient_familial_with_civility';
    mkdirSync(path.join(root, other));
    for (let i = 0; i < 100 && watched() !== 3; i += 1) await sleep(20);
    assert.equal(watched(), 3);

    store.close();
    assert.equal(watched(), 0);
    const count = reloads.length;
    unlinkSync(path.join(root, OP, 'a.yaml'));
    await sleep(150);
    assert.equal(reloads.length, count, 'no reload after close');
  });
});
