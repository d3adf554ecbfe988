/**
 * The production path: `npm run build` compiles the service into plain JavaScript (docs/adr/0173-compiled-build.md)
 * and `node dist/src/main.js` starts it on the embedded database with the files it reads beside its code
 * (sandbox cases, mail templates, portal views and assets, the docs the portal serves) where it expects them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const C2S =
  '/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';

describe('the compiled build (npm run build, then node dist/src/main.js)', () => {
  // Inside the repository, as dist/ is: the compiled files find node_modules/ above them.
  const out = path.join(ROOT, `.build-test-${process.pid}`);
  let dataDir: string;
  let service: ChildProcess;
  let url: string;
  let output = '';

  before(async () => {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--out', out], { cwd: ROOT, timeout: 180_000 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'apip-build-'));
    service = spawn(process.execPath, [path.join(out, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const adminFile = path.join(dataDir, 'admin.json');
    const deadline = Date.now() + 60_000;
    while (!existsSync(adminFile)) {
      if (Date.now() > deadline || service.exitCode !== null) throw new Error(`the compiled service did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    url = (JSON.parse(readFileSync(adminFile, 'utf8')) as { url: string }).url;
  });

  after(async () => {
    if (service !== undefined && service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((resolve) => service.once('exit', resolve));
    }
    rmSync(out, { recursive: true, force: true });
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  test('holds JavaScript only where the sources were TypeScript, and no test file', () => {
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' });
    assert.deepEqual(files.filter((file) => file.endsWith('.ts')), []);
    assert.deepEqual(files.filter((file) => file.includes('.test.')), []);
    assert.ok(files.includes(path.join('src', 'main.js')) && files.includes(path.join('src', 'infra', 'db', 'pglite-worker.js')));
  });

  test('answers a data call with the demo token it printed', async () => {
    assert.match(output, /Jeton de démonstration/);
    const demo = readFileSync(path.join(dataDir, 'demo-token.txt'), 'utf8').trim();
    const res = await fetch(`${url}${C2S}`, { headers: { authorization: `Bearer ${demo}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: Record<string, unknown> };
    assert.deepEqual(Object.keys(body).sort(), ['data', 'links', 'meta']);
    assert.ok(Object.keys(body.data).length > 0);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });

  test('serves the portal, its assets, the docs and the OpenAPI, read from beside the compiled code', async () => {
    for (const page of ['/', '/catalogue', '/statistiques', '/statut', '/developpeurs', '/docs', '/v3/openapi.json', '/api/open-api-v3.yml']) {
      assert.equal((await fetch(`${url}${page}`)).status, 200, page);
    }
    const home = await (await fetch(`${url}/`)).text();
    const css = /href="(\/[^"]*dsfr[^"]*\.css)"/.exec(home)?.[1];
    assert.ok(css !== undefined, 'the home page links the DSFR stylesheet');
    assert.equal((await fetch(`${url}${css}`)).status, 200, css);
  });
});
