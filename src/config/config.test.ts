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

test('portal: embedded sign-in by default, ProConnect-like issuer when configured', () => {
  const embedded = loadConfig({}, '/srv/app').portal;
  assert.equal(embedded.oidc.issuer, undefined);
  assert.equal(embedded.publicUrl, undefined);
  assert.equal(embedded.sessionTtlHours, 8);
  const live = loadConfig({
    PUBLIC_URL: 'https://particulier.example.gouv.fr/',
    OIDC_ISSUER: 'https://proconnect.example.gouv.fr/api/v2',
    OIDC_CLIENT_ID: 'client',
    OIDC_CLIENT_SECRET: 'secret',
    PORTAL_ADMIN_EMAILS: 'Admin@Example.gouv.fr, other@example.gouv.fr',
    PORTAL_SESSION_SECRET: 'x'.repeat(32),
  }).portal;
  assert.equal(live.publicUrl, 'https://particulier.example.gouv.fr');
  assert.equal(live.oidc.issuer, 'https://proconnect.example.gouv.fr/api/v2');
  assert.deepEqual(live.adminEmails, ['admin@example.gouv.fr', 'other@example.gouv.fr']);
});

test('portal: lists every portal problem at once', () => {
  assert.throws(
    () => loadConfig({ PUBLIC_URL: 'ftp://x', OIDC_ISSUER: 'http://idp.example.com', PORTAL_SESSION_SECRET: 'short', PORTAL_ADMIN_EMAILS: 'nope' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of ['PUBLIC_URL', 'OIDC_ISSUER must', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PORTAL_SESSION_SECRET', 'PORTAL_ADMIN_EMAILS']) {
        assert.ok(error.problems.some((p) => p.includes(name)), `${name}: ${error.message}`);
      }
      return true;
    },
  );
});

test('mail: the embedded outbox and the 90/60/30/15 schedule by default; SMTP and problems when configured', () => {
  assert.deepEqual(loadConfig({}).mail, {
    smtpUrl: undefined,
    from: 'API Particulier <ne-pas-repondre@particulier.api.gouv.fr>',
    expiryNoticeDays: [90, 60, 30, 15],
  });
  const smtp = loadConfig({ SMTP_URL: 'smtp://relay.example.gouv.fr:25', MAIL_FROM: 'jetons@example.gouv.fr', EXPIRY_NOTICE_DAYS: '30, 7' }).mail;
  assert.deepEqual(smtp, { smtpUrl: 'smtp://relay.example.gouv.fr:25', from: 'jetons@example.gouv.fr', expiryNoticeDays: [30, 7] });
  assert.throws(
    () => loadConfig({ SMTP_URL: 'http://x', MAIL_FROM: 'pas une adresse', EXPIRY_NOTICE_DAYS: '90,soon' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of ['SMTP_URL', 'MAIL_FROM', 'EXPIRY_NOTICE_DAYS']) assert.ok(error.problems.some((p) => p.startsWith(name)), `${name}: ${error.message}`);
      return true;
    },
  );
});

test('franceConnect: absent by default; FRANCECONNECT_* read by its slice, problems listed with the others', () => {
  assert.equal(loadConfig({}).franceConnect, undefined);
  const fc = loadConfig({
    FRANCECONNECT_CHECKTOKEN_URL: 'https://fc.example/api/v2/checktoken',
    FRANCECONNECT_JWKS_URL: 'https://fc.example/api/v2/jwks',
    FRANCECONNECT_CLIENT_ID: 'api-particulier',
    FRANCECONNECT_CLIENT_SECRET: 'secret',
  }).franceConnect;
  assert.equal(fc?.checkTokenUrl, 'https://fc.example/api/v2/checktoken');
  assert.equal(fc?.jwksCooldownMs, 30_000);
  assert.throws(
    () => loadConfig({ FRANCECONNECT_CLIENT_ID: 'api-particulier', PORT: 'x' }),
    (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('PORT')) && error.problems.some((p) => p.startsWith('FRANCECONNECT_CHECKTOKEN_URL')),
  );
});

test('secureTransfer: generated key and 30 days by default; SECURE_TRANSFER_* read and checked', () => {
  assert.deepEqual(loadConfig({}).secureTransfer, { key: undefined, retentionDays: 30 });
  const key = 'k'.repeat(32);
  assert.deepEqual(loadConfig({ SECURE_TRANSFER_KEY: key, SECURE_TRANSFER_RETENTION_DAYS: '7' }).secureTransfer, { key, retentionDays: 7 });
  assert.throws(
    () => loadConfig({ SECURE_TRANSFER_KEY: 'court', SECURE_TRANSFER_RETENTION_DAYS: '0' }),
    (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('SECURE_TRANSFER_KEY')) && error.problems.some((p) => p.startsWith('SECURE_TRANSFER_RETENTION_DAYS')),
  );
});

test('journal retention and scheduled jobs: defaults, overrides and bounds', () => {
  const defaults = loadConfig({}, '/srv');
  assert.equal(defaults.journal.retentionDays, 365);
  assert.deepEqual(defaults.jobs, { enabled: true, tickSeconds: 30, retentionIntervalMinutes: 60, statsRollupIntervalMinutes: 5 });
  const set = loadConfig({ JOURNAL_RETENTION_DAYS: '180', JOBS_ENABLED: 'false', JOBS_TICK_SECONDS: '5', JOURNAL_RETENTION_INTERVAL_MINUTES: '15', STATS_ROLLUP_INTERVAL_MINUTES: '1' }, '/srv');
  assert.equal(set.journal.retentionDays, 180);
  assert.deepEqual(set.jobs, { enabled: false, tickSeconds: 5, retentionIntervalMinutes: 15, statsRollupIntervalMinutes: 1 });
  assert.throws(
    () => loadConfig({ JOURNAL_RETENTION_DAYS: '0', JOBS_ENABLED: 'yes', STATS_ROLLUP_INTERVAL_MINUTES: '-1' }),
    (error: unknown) => error instanceof ConfigError && error.problems.length === 3,
  );
});
