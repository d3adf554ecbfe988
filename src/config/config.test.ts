import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

test('defaults give the embedded sandbox on 127.0.0.1:3000 with ./data', () => {
  const config = loadConfig({}, '/srv/app');
  assert.equal(config.mode, 'sandbox');
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.dataDir, '/srv/app/data');
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.sandboxDataDirs, []);
  assert.equal(config.tokens.cacheTtlMs, 5000);
  assert.equal(config.demoToken, true);
});

test('reads every variable', () => {
  const config = loadConfig(
    {
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: 'var',
      DATABASE_URL: 'postgres://u@h/db',
      SANDBOX_DATA_DIRS: 'a:/b',
      LOG_LEVEL: 'warn',
      TOKEN_CACHE_TTL_MS: '1000',
      TOKEN_SIGNING_KEYS: `k1:${'a'.repeat(32)},k2:${'b'.repeat(40)}`,
      JOURNAL_PSEUDONYM_KEY: 'c'.repeat(32),
      DEMO_TOKEN: 'false',
    },
    '/srv',
  );
  assert.equal(config.port, 8080);
  assert.equal(config.dataDir, '/srv/var');
  assert.deepEqual(config.sandboxDataDirs, ['/srv/a', '/b']);
  assert.deepEqual(config.tokens.signingKeys?.map((k) => k.kid), ['k1', 'k2']);
  assert.equal(config.demoToken, false);
});

test('lists every problem at once', () => {
  assert.throws(
    () => loadConfig({ PORT: 'abc', MODE: 'prod', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', TOKEN_SIGNING_KEYS: 'short:x' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 5, error.message);
      assert.match(error.message, /PORT/);
      assert.match(error.message, /MODE/);
      assert.match(error.message, /LOG_LEVEL/);
      assert.match(error.message, /DATABASE_URL/);
      assert.match(error.message, /TOKEN_SIGNING_KEYS/);
      return true;
    },
  );
});
