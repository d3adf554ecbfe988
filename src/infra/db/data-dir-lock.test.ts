import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE_NAME, readLockHolder } from './data-dir-lock.ts';
import { migrateToLatest } from './migrate.ts';
import { openDatabase, type Database } from './open-database.ts';

const run = promisify(execFile);

/** A pid that surely belongs to no live process: that of a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid);
  return child.pid;
}

void describe('acquireDataDirLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apip-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  void it('writes our pid to <dataDir>/pglite.lock and removes it on release', () => {
    const lock = acquireDataDirLock(dir);
    assert.equal(lock.lockFile, join(dir, LOCK_FILE_NAME));
    assert.equal(readFileSync(lock.lockFile, 'utf8').trim(), String(process.pid));
    assert.equal(readLockHolder(dir), process.pid);
    lock.release();
    assert.equal(existsSync(lock.lockFile), false);
    assert.equal(readLockHolder(dir), undefined);
    lock.release(); // idempotent
  });

  void it('refuses a second lock on the same directory while the first is held', () => {
    const first = acquireDataDirLock(dir);
    assert.throws(
      () => acquireDataDirLock(dir),
      (error: unknown) =>
        error instanceof DataDirLockedError && error.pid === process.pid && error.lockFile === first.lockFile,
    );
    first.release();
    acquireDataDirLock(dir).release();
  });

  void it('takes over a lock left by a dead process', () => {
    const stale = deadPid();
    writeFileSync(join(dir, LOCK_FILE_NAME), `${stale}\n`);
    assert.equal(readLockHolder(dir), undefined);
    const lock = acquireDataDirLock(dir);
    assert.equal(readFileSync(lock.lockFile, 'utf8').trim(), String(process.pid));
    lock.release();
  });

  void it('takes over a lock bearing our own pid that this process does not hold (restarted container)', () => {
    writeFileSync(join(dir, LOCK_FILE_NAME), `${process.pid}\n`);
    assert.equal(readLockHolder(dir), undefined);
    acquireDataDirLock(dir).release();
  });

  void it('takes over an empty or garbled lock file', () => {
    writeFileSync(join(dir, LOCK_FILE_NAME), 'not a pid');
    acquireDataDirLock(dir).release();
  });

  void it('creates a missing directory', () => {
    const nested = join(dir, 'a', 'b');
    const lock = acquireDataDirLock(nested);
    assert.ok(existsSync(lock.lockFile));
    lock.release();
  });
});

void describe('openDatabase on a file-backed PGlite directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'apip-pglite-'));
  const jti = randomUUID();
  let database: Database | undefined;

  after(async () => {
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs the fixture from another working directory, as the CLI may be. */
  async function openInChild(): Promise<{ ok: boolean; found?: number; name?: string; pid?: number }> {
    const fixture = new URL('../../../test/fixtures/open-database-child.js', import.meta.url);
    const { stdout } = await run(process.execPath, [fixture.pathname, dataDir, jti], { cwd: tmpdir() });
    return JSON.parse(stdout) as { ok: boolean; found?: number; name?: string; pid?: number };
  }

  void it('keeps a row across close and reopen', async () => {
    const first = await openDatabase({ dataDir });
    assert.equal(first.engine, 'pglite');
    await migrateToLatest(first.db);
    await first.db
      .insertInto('tokens')
      .values({
        jti,
        uid: randomUUID(),
        name: 'persisted',
        owner: 'owner@example.fr',
        scopes: ['a'],
        modalities: ['identite'],
        kid: 'k1',
        expires_at: new Date('2030-01-01T00:00:00Z'),
        revoked_at: null,
      })
      .execute();
    await first.close();
    assert.equal(readLockHolder(dataDir), undefined);

    database = await openDatabase({ dataDir });
    const row = await database.db.selectFrom('tokens').select(['name', 'scopes']).where('jti', '=', jti).executeTakeFirst();
    assert.deepEqual(row, { name: 'persisted', scopes: ['a'] });
  });

  void it('refuses the directory to another process while it is open', async () => {
    assert.ok(database, 'the previous test opened the database');
    assert.equal(readLockHolder(dataDir), process.pid);
    const outcome = await openInChild();
    assert.deepEqual({ ok: outcome.ok, name: outcome.name, pid: outcome.pid }, { ok: false, name: 'DataDirLockedError', pid: process.pid });
  });

  void it('lets another process in once closed (and its worker starts on the CLI path)', async () => {
    await database?.close();
    database = undefined;
    assert.deepEqual(await openInChild(), { ok: true, found: 1 });
  });
});
