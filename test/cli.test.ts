/**
 * The `api-particulier` CLI as an operator runs it: as a child process, on its own (it opens the
 * embedded database) and beside a running service on the same data directory (it goes through the
 * service's local admin API). The service is reached on a real port.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'api-particulier.js');

async function cli(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, cwd: ROOT });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const lastLine = (text: string): string => text.trim().split('\n').at(-1) as string;
const C2S = '/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=X&prenoms[]=Y&sexeEtatCivil=F&codeCogInseePaysNaissance=99134';

describe('CLI without a running service', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'apip-cli-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('db migrate, tokens create/list/revoke', async () => {
    const migrate = await cli(dataDir, 'db', 'migrate');
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /0001-tokens-and-journal|Base à jour/);

    const created = await cli(dataDir, 'tokens', 'create', '--scopes', 'complementaire_sante_solidaire', '--expires-in', '90d', '--modalities', 'identite');
    assert.equal(created.code, 0, created.stderr);
    const token = lastLine(created.stdout);
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the last line is the token alone');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    assert.deepEqual(Object.keys(claims).sort(), ['exp', 'iat', 'jti', 'scopes', 'sub', 'uid', 'version']);
    assert.deepEqual(claims.scopes, ['complementaire_sante_solidaire']);
    assert.equal(claims.exp - claims.iat, 90 * 86400);

    const listed = await cli(dataDir, 'tokens', 'list');
    assert.match(listed.stdout, new RegExp(claims.jti));
    assert.ok(!listed.stdout.includes(token), 'a token value is never shown again');

    const revoked = await cli(dataDir, 'tokens', 'revoke', claims.jti);
    assert.equal(revoked.code, 0, revoked.stderr);
    const json = JSON.parse((await cli(dataDir, 'tokens', 'list', '--json')).stdout);
    assert.ok(json[0].revoked_at);
  });

  test('bad input is a clear message and exit code 2, and changes nothing', async () => {
    for (const args of [
      ['tokens', 'create'],
      ['tokens', 'create', '--scopes', 'not_a_scope'],
      ['tokens', 'create', '--all-scopes', '--modalities', 'telepathy'],
      ['tokens', 'create', '--all-scopes', '--expires-in', 'forever'],
      ['tokens', 'revoke', 'no-such-token'],
      ['tokens', 'revoke', '00000000-0000-4000-8000-000000000000'],
    ]) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.trim().length > 0);
      assert.ok(!result.stderr.includes('    at '), 'no stack trace');
    }
    assert.equal(JSON.parse((await cli(dataDir, 'tokens', 'list', '--json')).stdout).length, 1, 'only the token of the previous test');
  });
});

describe('CLI beside a running service (same data directory, real port)', () => {
  let dataDir: string;
  let service: ChildProcess;
  let url: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'apip-cli-svc-'));
    service = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', TOKEN_CACHE_TTL_MS: '0', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    service.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const adminFile = path.join(dataDir, 'admin.json');
    const deadline = Date.now() + 60_000;
    while (!existsSync(adminFile)) {
      if (Date.now() > deadline || service.exitCode !== null) throw new Error(`service did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    url = (JSON.parse(readFileSync(adminFile, 'utf8')) as { url: string }).url;
    assert.match(output, /Jeton de démonstration/);
  });
  after(async () => {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    assert.ok(!existsSync(path.join(dataDir, 'admin.json')), 'the admin endpoint file is removed on shutdown');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the demo token printed at start is in <DATA_DIR>/demo-token.txt and works on the real port', async () => {
    const demo = readFileSync(path.join(dataDir, 'demo-token.txt'), 'utf8').trim();
    const res = await fetch(`${url}${C2S}`, { headers: { authorization: `Bearer ${demo}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys((await res.json()) as object).sort(), ['data', 'links', 'meta']);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });

  test('tokens created and revoked through the CLI take effect in the running service', async () => {
    const created = await cli(dataDir, 'tokens', 'create', '--all-scopes');
    assert.equal(created.code, 0, created.stderr);
    const token = lastLine(created.stdout);
    assert.equal((await fetch(`${url}${C2S}`, { headers: { authorization: `Bearer ${token}` } })).status, 200);

    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti as string;
    const listed = await cli(dataDir, 'tokens', 'list');
    assert.match(listed.stdout, new RegExp(jti));

    assert.equal((await cli(dataDir, 'tokens', 'revoke', jti)).code, 0);
    const res = await fetch(`${url}${C2S}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]?.code, '00105');
  });

  test('a second service on the same data directory refuses to start, clearly', async () => {
    const second = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '' },
    }).catch((error: { code: number; stderr: string }) => error);
    assert.equal((second as { code: number }).code, 1);
    assert.match((second as { stderr: string }).stderr, /déjà utilisée par le processus/);
  });

  test('the admin API refuses callers without the local secret', async () => {
    const res = await fetch(`${url}/admin/v1/tokens`, { headers: { authorization: 'Bearer guess' } });
    assert.equal(res.status, 401);
  });
});
