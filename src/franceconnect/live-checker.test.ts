/**
 * The live FranceConnect checker against the FranceConnect double on a real loopback port
 * (docs/adr/0120-franceconnect-live-checker.md): signed answers, JWKS cache and refetch on an
 * unknown `kid`, the positive-answer cache bounded by `exp`, and each failure's code.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../core/errors.ts';
import { startFranceConnectDouble, type FranceConnectDouble } from '../../simulators/franceconnect/start-franceconnect-double.ts';
import { createLiveFranceConnectChecker, type LiveFranceConnectCheckerOptions } from './live-checker.ts';

const SP = 'service-provider-under-test';
const SCOPE = 'openid identite_pivot complementaire_sante_solidaire';

let fc: FranceConnectDouble;
let logs: Array<{ level: string; obj: Record<string, unknown>; msg: string }>;
let offsetMs: number;

function checker(overrides: Partial<LiveFranceConnectCheckerOptions> = {}) {
  return createLiveFranceConnectChecker({
    checkTokenUrl: fc.checkTokenUrl,
    jwksUrl: fc.jwksUrl,
    clientId: fc.dataProvider.clientId,
    clientSecret: fc.dataProvider.clientSecret,
    issuer: fc.issuer,
    timeoutMs: 2_000,
    cacheTtlMs: 60_000,
    cacheMax: 100,
    jwksCacheTtlMs: 600_000,
    jwksCooldownMs: 0,
    now: () => new Date(Date.now() + offsetMs),
    log: {
      warn: (obj, msg) => logs.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
      error: (obj, msg) => logs.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
    },
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ApiError, String(error));
  return error;
}

before(async () => {
  fc = await startFranceConnectDouble({});
});
after(async () => {
  await fc.close();
});
beforeEach(() => {
  logs = [];
  offsetMs = 0;
  fc.setFault(undefined);
});

describe('live FranceConnect checker', () => {
  test('an active token gives the verified identity; the answer is then cached', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    const check = checker();
    const before = fc.stats.checktoken;
    const answer = await check.introspect(token);
    assert.equal(answer?.token_introspection.family_name, 'LEROY');
    assert.equal(answer?.token_introspection.aud, SP);
    assert.equal(answer?.token_introspection.scope, SCOPE);
    assert.equal(answer?.aud, fc.dataProvider.clientId);
    assert.equal((await check.introspect(token))?.token_introspection.sub, answer?.token_introspection.sub);
    assert.equal(fc.stats.checktoken, before + 1, 'second call answered from the cache');
  });

  test('an unknown token and a token expired at FranceConnect are inactive → undefined', async () => {
    const check = checker();
    assert.equal(await check.introspect('no-such-token'), undefined);
    const token = fc.issueAccessToken({ person: 'hugo_perrin', clientId: SP, scope: SCOPE, ttlSeconds: 30 });
    fc.advanceClock(31_000);
    try {
      assert.equal(await check.introspect(token), undefined);
    } finally {
      fc.advanceClock(-31_000);
    }
    assert.equal(check.cache.size, 0, 'inactive answers are not cached');
  });

  test('a cached answer dies with the token’s exp, by the gateway’s clock', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE, ttlSeconds: 60 });
    const check = checker();
    assert.ok(await check.introspect(token));
    offsetMs = 61_000;
    fc.advanceClock(61_000);
    try {
      assert.equal(await check.introspect(token), undefined);
    } finally {
      fc.advanceClock(-61_000);
    }
  });

  test('a bad signature is refused: 504 00501, logged as an error without the token', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    fc.setFault('bad-signature');
    const error = await refusal(checker().introspect(token));
    assert.equal(error.status, 504);
    assert.equal(error.code, '00501');
    assert.deepEqual(error.items[0]?.meta, { retry_in: 10 });
    assert.deepEqual(logs.map((l) => [l.level, l.obj.franceConnect]), [['error', 'bad-signature']]);
    assert.doesNotMatch(JSON.stringify(logs), new RegExp(token));
    assert.doesNotMatch(JSON.stringify(logs), /LEROY/);
  });

  test('an unknown kid makes one JWKS refetch, then is refused with 00501', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    const check = checker({ jwksCooldownMs: 60_000 });
    assert.ok(await check.introspect(fc.issueAccessToken({ person: 'hugo_perrin', clientId: SP, scope: SCOPE })));
    const fetched = fc.stats.jwks;
    fc.setFault('unknown-kid');
    const error = await refusal(check.introspect(token));
    assert.equal(error.code, '00501');
    assert.deepEqual(logs.map((l) => l.obj.franceConnect), ['unknown-kid']);
    // The first fetch is less than the cooldown old: the refetch is rate-limited away.
    assert.equal(fc.stats.jwks, fetched, 'no refetch within the cooldown');
  });

  test('an unknown kid after the cooldown triggers exactly one refetch', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    const check = checker({ jwksCooldownMs: 0 });
    assert.ok(await check.introspect(fc.issueAccessToken({ person: 'hugo_perrin', clientId: SP, scope: SCOPE })));
    const fetched = fc.stats.jwks;
    fc.setFault('unknown-kid');
    assert.equal((await refusal(check.introspect(token))).code, '00501');
    assert.equal(fc.stats.jwks, fetched + 1);
  });

  test('a key rotation at FranceConnect is followed: the new kid is fetched and accepted', async () => {
    const check = checker({ jwksCooldownMs: 0 });
    assert.ok(await check.introspect(fc.issueAccessToken({ person: 'hugo_perrin', clientId: SP, scope: SCOPE })));
    const fetched = fc.stats.jwks;
    await fc.rotateKey({ retireOld: true });
    const answer = await check.introspect(fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE }));
    assert.equal(answer?.token_introspection.family_name, 'LEROY');
    assert.equal(fc.stats.jwks, fetched + 1);
  });

  test('FranceConnect down, refusing our credentials, or another issuer → 00501, never a 401', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    fc.setFault('unavailable');
    assert.equal((await refusal(checker().introspect(token))).code, '00501');
    fc.setFault(undefined);
    assert.equal((await refusal(checker({ clientSecret: 'wrong' }).introspect(token))).code, '00501');
    assert.equal((await refusal(checker({ issuer: 'https://someone-else.example/api/v2' }).introspect(token))).code, '00501');
    assert.equal((await refusal(checker({ checkTokenUrl: 'http://127.0.0.1:1/api/v2/checktoken' }).introspect(token))).code, '00501');
    assert.deepEqual(
      logs.map((l) => l.obj.franceConnect),
      ['upstream-status', 'credentials-refused', 'claims', 'unreachable'],
    );
  });
});
