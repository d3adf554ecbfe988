import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../core/errors.ts';
import { franceConnectCheckerFor } from './checker-for-mode.ts';
import { parseIntrospection, type FranceConnectIntrospection } from './introspection.ts';

const fake = parseIntrospection({
  aud: 'sandbox-api-particulier',
  iat: 1767261600,
  iss: 'https://franceconnect.sandbox.invalid/api/v2',
  token_introspection: {
    active: true,
    aud: 'sandbox-franceconnect-client',
    sub: 'sub-v1',
    iat: 1767261600,
    exp: 1767261660,
    acr: 'eidas1',
    jti: 'jti',
    scope: 'openid identite_pivot complementaire_sante_solidaire',
    gender: 'female',
    family_name: 'ROCHER',
    given_name: 'Lucie',
    given_name_array: ['Lucie'],
    birthdate: '1990-04-05',
    birthplace: '44109',
    birthcountry: '99100',
  },
}) as FranceConnectIntrospection;
const sandboxTokens = new Map([['lucie', { introspection: fake }]]);

function logSink() {
  const warnings: string[] = [];
  return { warnings, log: { warn: (_: object, msg: string) => warnings.push(msg), error: () => undefined } };
}

describe('franceConnectCheckerFor', () => {
  test('sandbox mode reads the fake tokens, even when live settings exist', async () => {
    const { log } = logSink();
    const checker = franceConnectCheckerFor({
      mode: 'sandbox',
      franceConnect: { checkTokenUrl: 'http://127.0.0.1:1/x', jwksUrl: 'http://127.0.0.1:1/j', clientId: 'a', clientSecret: 'b', issuer: undefined, timeoutMs: 100, cacheTtlMs: 0, cacheMax: 1, jwksCacheTtlMs: 1000, jwksCooldownMs: 0 },
      sandboxTokens,
      now: () => new Date(),
      log,
    });
    assert.equal((await checker.introspect('lucie'))?.token_introspection.family_name, 'ROCHER');
  });

  test('live mode without settings: every token refused with 401 00101 and a warning at boot', async () => {
    const { log, warnings } = logSink();
    const checker = franceConnectCheckerFor({ mode: 'live', franceConnect: undefined, sandboxTokens, now: () => new Date(), log });
    assert.equal(warnings.length, 1);
    const error = await checker.introspect('lucie').then(
      () => assert.fail('a fake token must not pass in live mode'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 401);
    assert.equal(error.code, '00101');
  });
});
