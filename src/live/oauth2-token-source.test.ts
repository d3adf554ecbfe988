import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { OAuth2TokenSource, TokenFetchError } from './oauth2-token-source.ts';

/** A token endpoint that counts its calls and answers what the test says. */
async function tokenEndpoint(answer: (n: number) => { status: number; body: string; delayMs?: number }) {
  let calls = 0;
  const seen: string[] = [];
  const server = createServer((req, res) => {
    calls += 1;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.headers.authorization} ${body}`);
      const a = answer(calls);
      setTimeout(() => res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body), a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  const pool = new Pool(new URL(url).origin);
  return { url, pool, calls: () => calls, seen, close: async () => { await pool.close(); server.close(); } };
}

test('one fetch for concurrent callers, with client credentials in Basic auth', async () => {
  const endpoint = await tokenEndpoint((n) => ({ status: 200, body: JSON.stringify({ access_token: `t${n}`, token_type: 'Bearer', expires_in: 60 }), delayMs: 50 }));
  try {
    const source = new OAuth2TokenSource({ tokenUrl: endpoint.url, clientId: 'gw', clientSecret: 's3cret', scope: 'CSS_HFC', dispatcher: endpoint.pool });
    const tokens = await Promise.all([source.token(), source.token(), source.token(), source.token()]);
    assert.deepEqual(tokens, ['t1', 't1', 't1', 't1']);
    assert.equal(endpoint.calls(), 1);
    assert.equal(endpoint.seen[0], `Basic ${Buffer.from('gw:s3cret').toString('base64')} grant_type=client_credentials&scope=CSS_HFC`);
  } finally {
    await endpoint.close();
  }
});

test('renews before expiry in the background, serving the still-valid token; awaits a new one once expired', async () => {
  const endpoint = await tokenEndpoint((n) => ({ status: 200, body: JSON.stringify({ access_token: `t${n}`, expires_in: 100 }) }));
  let now = 0;
  try {
    const source = new OAuth2TokenSource({ tokenUrl: endpoint.url, clientId: 'gw', clientSecret: 's', dispatcher: endpoint.pool, refreshBeforeMs: 20_000, now: () => now });
    assert.equal(await source.token(), 't1');
    now = 79_000;
    assert.equal(await source.token(), 't1', 'not yet in the renewal window');
    assert.equal(endpoint.calls(), 1);
    now = 81_000;
    assert.equal(await source.token(), 't1', 'renewal window: the valid token is served while a new one is fetched');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(endpoint.calls(), 2);
    assert.equal(await source.token(), 't2');
    now = 81_000 + 100_000;
    assert.equal(await source.token(), 't3', 'expired: a new token is awaited');
  } finally {
    await endpoint.close();
  }
});

test('a refused or malformed token answer is a TokenFetchError, never a token', async () => {
  const endpoint = await tokenEndpoint((n) => (n === 1 ? { status: 401, body: '{"error":"invalid_client"}' } : { status: 200, body: '{"token_type":"Bearer"}' }));
  try {
    const source = new OAuth2TokenSource({ tokenUrl: endpoint.url, clientId: 'gw', clientSecret: 's', dispatcher: endpoint.pool });
    await assert.rejects(source.token(), (e: unknown) => e instanceof TokenFetchError && e.reason === 'status');
    await assert.rejects(source.token(), (e: unknown) => e instanceof TokenFetchError && e.reason === 'malformed');
  } finally {
    await endpoint.close();
  }
});
