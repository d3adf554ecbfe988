import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PgliteDatabaseError, PgliteWorkerClient } from './pglite-worker-client.ts';

test('a data directory that cannot be created fails with a clear error, not a hang or a crash', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'apip-pglite-bad-'));
  try {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    await assert.rejects(PgliteWorkerClient.start({ dataDir: path.join(file, 'pg') }), (error: unknown) => {
      assert.ok(error instanceof PgliteDatabaseError);
      assert.match(error.message, /PGlite could not create the database in .*a-file\/pg/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
