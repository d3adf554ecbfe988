import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UpstreamConfig } from './live-config.ts';
import { UpstreamClient } from './upstream-client.ts';

/** A scripted upstream: answers request n with `script(n)`; records what it received. */
async function upstream(script: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  let n = 0;
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    script(++n, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

function client(url: string, overrides: Partial<UpstreamConfig> = {}) {
  return new UpstreamClient({
    name: 'test',
    config: { baseUrl: `${url}/base`, auth: { kind: 'api_key', key: 'k3y', header: undefined }, tls: { certFile: undefined, keyFile: undefined, caFile: undefined }, timeoutMs: 300, concurrency: 4, retries: 1, breaker: { failureThreshold: 5, openMs: 1000 }, ...overrides },
  });
}

const read = (status: number, body: unknown) => (status === 200 ? { ok: body } : ('malformed' as const));

test('a GET carries the key, the correlation id and the query under the base path', async () => {
  const up = await upstream((_n, _req, res) => json(res, 200, { ok: true }));
  const c = client(up.url);
  try {
    assert.deepEqual(await c.call({ method: 'GET', path: '/r', query: { a: '1', b: ['x', 'y'], c: undefined } }, { requestId: 'req-1' }, read), { kind: 'answer', value: { ok: true } });
    assert.equal(up.seen[0]?.url, '/base/r?a=1&b=x&b=y');
    assert.equal(up.seen[0]?.headers.authorization, 'Bearer k3y');
    assert.equal(up.seen[0]?.headers['x-correlation-id'], 'req-1');
  } finally {
    await c.close();
    await up.close();
  }
});

test('the time budget ends a silent upstream as a timeout, within the budget', async () => {
  const up = await upstream(() => undefined);
  const c = client(up.url);
  try {
    const started = performance.now();
    assert.deepEqual(await c.call({ method: 'GET', path: '/r' }, { requestId: 'r' }, read), { kind: 'failure', failure: 'timeout' });
    const took = performance.now() - started;
    // Not a speed goal (those live in bench/): the call must end at its budget, not at undici's
    // 300 s defaults or the gateway's 30 s outer limit, even on a loaded CI machine.
    assert.ok(took >= 250 && took < 10_000, `took ${took} ms`);
  } finally {
    await c.close();
    await up.close();
  }
});

test('a GET is retried once after a 503; a POST never; a 429 never', async () => {
  const up = await upstream((n, _req, res) => (n === 1 || n === 2 ? json(res, 503, {}) : n === 3 ? json(res, 200, { ok: 1 }) : json(res, 429, {})));
  const c = client(up.url);
  try {
    assert.deepEqual(await c.call({ method: 'POST', path: '/r', body: { x: 1 } }, { requestId: 'r' }, read), { kind: 'failure', failure: 'server' });
    assert.deepEqual(await c.call({ method: 'GET', path: '/r' }, { requestId: 'r' }, read), { kind: 'answer', value: { ok: 1 } });
    assert.equal(up.seen.length, 3);
    assert.deepEqual(await c.call({ method: 'GET', path: '/r' }, { requestId: 'r' }, read), { kind: 'failure', failure: 'throttled' });
    assert.equal(up.seen.length, 4);
  } finally {
    await c.close();
    await up.close();
  }
});

test('non-JSON, off-schema and oversized bodies are malformed; 403 is rejected', async () => {
  const big = 'x'.repeat(2 * 1024 * 1024);
  const up = await upstream((n, _req, res) =>
    n === 1 ? res.writeHead(200).end('{"trunc') : n === 2 ? json(res, 404, {}) : n === 3 ? json(res, 200, { s: big }) : json(res, 403, { error: 'no' }),
  );
  const c = client(up.url);
  try {
    for (const expected of ['malformed', 'malformed', 'malformed', 'rejected']) {
      assert.deepEqual(await c.call({ method: 'GET', path: '/r' }, { requestId: 'r' }, read), { kind: 'failure', failure: expected });
    }
    assert.equal(c.health().calls, 4);
    assert.equal(c.health().successRate, 0);
  } finally {
    await c.close();
    await up.close();
  }
});

test('OAuth2: a token the upstream refuses (401) is dropped and fetched again once; the call succeeds', async () => {
  let issued = 0;
  const up = await upstream((_n, req, res) => {
    if (req.url === '/token') return json(res, 200, { access_token: `tok${++issued}`, token_type: 'Bearer', expires_in: 3600 });
    // The upstream forgot the first token (restart): 401 to it, 200 to the next one.
    return req.headers.authorization === 'Bearer tok1' ? json(res, 401, {}) : json(res, 200, { ok: req.headers.authorization });
  });
  const c = client(up.url, { auth: { kind: 'oauth2', tokenUrl: `${up.url}/token`, clientId: 'gw', clientSecret: 's', scope: undefined } });
  try {
    assert.deepEqual(await c.call({ method: 'POST', path: '/r', body: {} }, { requestId: 'r' }, read), { kind: 'answer', value: { ok: 'Bearer tok2' } });
    assert.equal(c.tokenFetches, 2);
    assert.deepEqual(await c.call({ method: 'GET', path: '/r' }, { requestId: 'r' }, read), { kind: 'answer', value: { ok: 'Bearer tok2' } });
    assert.equal(c.tokenFetches, 2, 'the renewed token is cached');
  } finally {
    await c.close();
    await up.close();
  }
});
