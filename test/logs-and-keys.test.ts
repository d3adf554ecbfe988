/**
 * Two promises that no single route shows: logs never carry a token or personal data (DESIGN §2.5),
 * and a signing-key rotation never breaks issued tokens (ADR 0005).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from './helpers/engines.ts';
import { leaQuery } from './helpers/case-dir.ts';
import { testApp } from './helpers/test-app.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
const K1 = `k1:${'a'.repeat(40)}`;
const K2 = `k2:${'b'.repeat(40)}`;

test('logs at debug level contain neither tokens, nor identity params, nor the admin secret', async () => {
  const lines: string[] = [];
  const t = await testApp({
    env: { LOG_LEVEL: 'trace' },
    overrides: { logger: true, logStream: { write: (line: string) => void lines.push(line) } },
  });
  try {
    const token = await t.token();
    await t.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${token}` } });
    await t.app.server.inject({ url: `${ROUTE}?${leaQuery({ sexeEtatCivil: 'Z' })}`, headers: { 'x-api-key': token } });
    await t.app.server.inject({ url: '/api/introspect', headers: { 'x-api-key': token } });
    await t.app.server.inject({ url: '/admin/v1/tokens', headers: { authorization: `Bearer ${t.app.services.adminSecret}` } });
    const log = lines.join('');
    assert.ok(lines.length >= 4, 'requests are logged');
    assert.match(log, /complementaire_sante_solidaire\/identite/, 'the path is logged');
    for (const secret of [token, token.split('.')[2] as string, 'ROCHEFORT', 'LEA', t.app.services.adminSecret]) {
      assert.ok(!log.includes(secret), `log leaks ${secret.slice(0, 12)}…`);
    }
    // Numbers as whole values only: a millisecond timestamp or a duration may contain the same digits.
    for (const value of ['35238', '1991']) assert.doesNotMatch(log, new RegExp(`(?<![\\d.])${value}(?![\\d.])`), `log leaks ${value}`);
  } finally {
    await t.close();
  }
});

test('after a key rotation, tokens signed with the old key still verify and new ones use the new key', async () => {
  const pglite = engines()[0];
  const database = await (pglite as NonNullable<typeof pglite>).open();
  try {
    const before = await testApp({ database, env: { TOKEN_SIGNING_KEYS: K1, JOURNAL_PSEUDONYM_KEY: 'p'.repeat(32) } });
    const oldToken = await before.token();
    await before.close();

    const after = await testApp({ database, env: { TOKEN_SIGNING_KEYS: `${K1},${K2}`, JOURNAL_PSEUDONYM_KEY: 'p'.repeat(32) } });
    try {
      const newToken = await after.token();
      const kid = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()).kid;
      assert.equal(kid(oldToken), 'k1');
      assert.equal(kid(newToken), 'k2');
      for (const token of [oldToken, newToken]) {
        const res = await after.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 200);
      }
    } finally {
      await after.close();
    }

    // Retiring k1 (dropping it from the keyring) ends its tokens: 401 00101, never a 500.
    const retired = await testApp({ database, env: { TOKEN_SIGNING_KEYS: K2, JOURNAL_PSEUDONYM_KEY: 'p'.repeat(32) } });
    try {
      const res = await retired.app.server.inject({ url: `${ROUTE}?${leaQuery()}`, headers: { authorization: `Bearer ${oldToken}` } });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().errors[0].code, '00101');
    } finally {
      await retired.close();
    }
  } finally {
    await database.close();
  }
});
