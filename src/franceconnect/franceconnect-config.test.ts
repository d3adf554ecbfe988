import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFranceConnectConfig } from './franceconnect-config.ts';

const FULL = {
  FRANCECONNECT_CHECKTOKEN_URL: 'https://fcp-low.integ01.dev-franceconnect.fr/api/v2/checktoken',
  FRANCECONNECT_JWKS_URL: 'https://fcp-low.integ01.dev-franceconnect.fr/api/v2/jwks',
  FRANCECONNECT_CLIENT_ID: 'api-particulier',
  FRANCECONNECT_CLIENT_SECRET: 'a-secret-of-the-data-provider',
};

describe('parseFranceConnectConfig', () => {
  test('no FRANCECONNECT_* variable: no live FranceConnect, no problem', () => {
    const problems: string[] = [];
    assert.equal(parseFranceConnectConfig({}, problems), undefined);
    assert.deepEqual(problems, []);
  });

  test('the four required variables give a config with the documented defaults', () => {
    const problems: string[] = [];
    const config = parseFranceConnectConfig(FULL, problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(config, {
      checkTokenUrl: FULL.FRANCECONNECT_CHECKTOKEN_URL,
      jwksUrl: FULL.FRANCECONNECT_JWKS_URL,
      clientId: 'api-particulier',
      clientSecret: 'a-secret-of-the-data-provider',
      issuer: undefined,
      timeoutMs: 3_000,
      cacheTtlMs: 60_000,
      cacheMax: 10_000,
      jwksCacheTtlMs: 600_000,
      jwksCooldownMs: 30_000,
    });
  });

  test('every problem is listed at once: missing pieces, bad URLs, bad numbers', () => {
    const problems: string[] = [];
    parseFranceConnectConfig(
      { FRANCECONNECT_CHECKTOKEN_URL: 'ftp://nope', FRANCECONNECT_CLIENT_ID: 'x', FRANCECONNECT_TIMEOUT_MS: 'soon', FRANCECONNECT_JWKS_COOLDOWN_MS: '-1' },
      problems,
    );
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('FRANCECONNECT_JWKS_URL is required')));
    assert.ok(problems.some((p) => p.startsWith('FRANCECONNECT_CLIENT_SECRET is required')));
    assert.ok(problems.some((p) => p.startsWith('FRANCECONNECT_CHECKTOKEN_URL must be an https:// URL')));
    assert.ok(problems.some((p) => p.startsWith('FRANCECONNECT_TIMEOUT_MS must be an integer')));
    assert.ok(problems.some((p) => p.startsWith('FRANCECONNECT_JWKS_COOLDOWN_MS must be an integer')));
  });

  test('plain http only on loopback', () => {
    const problems: string[] = [];
    parseFranceConnectConfig({ ...FULL, FRANCECONNECT_JWKS_URL: 'http://127.0.0.1:4400/api/v2/jwks' }, problems);
    assert.deepEqual(problems, []);
    parseFranceConnectConfig({ ...FULL, FRANCECONNECT_JWKS_URL: 'http://fc.example/api/v2/jwks' }, problems);
    assert.equal(problems.length, 1);
  });

  test('the secret never appears in a problem', () => {
    const problems: string[] = [];
    parseFranceConnectConfig({ ...FULL, FRANCECONNECT_JWKS_URL: 'not a url' }, problems);
    assert.doesNotMatch(problems.join('\n'), /a-secret-of-the-data-provider/);
  });
});
