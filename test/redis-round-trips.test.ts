/**
 * One Redis round trip before a data call is answered (docs/adr/0172-one-redis-round-trip-per-call.md):
 * the app talks to the machine's Redis through a proxy that holds every reply for 60 ms and names the
 * commands each call sends. A call waiting for Redis once takes between one and two delays; a second
 * awaited round trip would take two. The release of the 409 lock is sent too, but nothing waits for it.
 */
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
// Below the connection's 100 ms command timeout, beyond which the gate would decide without Redis.
const DELAY_MS = 60;
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const cases = writeCaseDir([{ operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY }]);

/** Routes of the shipped sandbox cast: one without a response cache (v3), one v2, and the cached C2S route. */
const UNCACHED = '/v3/mesri/statut_etudiant/ine?recipient=13002526500013&ine=0905012345A';
const V2 = '/api/v2/scolarites?nom=PERRIN&prenom=LEO&sexe=M&dateNaissance=2012-09-05&codeEtablissement=0691234K&anneeScolaire=2025';
const CACHED = `/v3/dss/complementaire_sante_solidaire/identite?${leaQuery()}`;

/**
 * The names of the commands in a client's byte stream (RESP arrays of bulk strings, as ioredis sends
 * them); returns the bytes of an incomplete command, to be completed by the next chunk.
 */
function readCommands(buffer: Buffer, names: string[]): Buffer {
  let offset = 0;
  while (offset < buffer.length) {
    const start = offset;
    let end = buffer.indexOf('\r\n', offset);
    if (end < 0) return buffer.subarray(start);
    const count = Number(buffer.toString('latin1', offset + 1, end));
    offset = end + 2;
    let name = '';
    for (let i = 0; i < count; i++) {
      end = buffer.indexOf('\r\n', offset);
      if (end < 0) return buffer.subarray(start);
      const length = Number(buffer.toString('latin1', offset + 1, end));
      if (end + 2 + length + 2 > buffer.length) return buffer.subarray(start);
      if (i === 0) name = buffer.toString('latin1', end + 2, end + 2 + length).toUpperCase();
      offset = end + 2 + length + 2;
    }
    names.push(name);
  }
  return Buffer.alloc(0);
}

/** A TCP proxy to Redis that holds each reply `delayMs` (in order) and records the commands it forwards. */
class SlowRedis {
  delayMs = 0;
  readonly commands: string[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor() {
    this.#server = createServer((client) => {
      const upstream = connect(Number(REDIS.port || 6379), REDIS.hostname);
      this.#sockets.add(client).add(upstream);
      let pending: Buffer = Buffer.alloc(0);
      client.on('data', (chunk: Buffer) => {
        pending = readCommands(Buffer.concat([pending, chunk]), this.commands);
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        setTimeout(() => client.write(chunk), this.delayMs);
      });
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve((this.#server.address() as { port: number }).port)));
  }

  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#server.close();
  }
}

describe('one Redis round trip per data call', () => {
  const proxy = new SlowRedis();
  let t: TestApp;
  let token: string;
  const headers = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

  before(async () => {
    // The test Redis's URL (database, credentials), through the proxy.
    const url = new URL(REDIS);
    url.hostname = '127.0.0.1';
    url.port = String(await proxy.listen());
    t = await testApp({
      env: {
        SANDBOX_DATA_DIRS: cases,
        REDIS_URL: url.toString(),
        // Both limits on, too high to refuse anything.
        RATE_LIMIT_PER_SECOND: '1000',
        RATE_LIMIT_BURST: '1000',
        RATE_LIMIT_IP_PER_SECOND: '1000',
        RATE_LIMIT_IP_BURST: '1000',
        TOKEN_CACHE_TTL_MS: '60000',
      },
      // The journal's commit is not what is timed here (its fsync would only add noise).
      overrides: { journal: { append: () => Promise.resolve(), drain: () => Promise.resolve(), queueDepth: 0 } },
    });
    token = await t.token();
    // Verifies the token once (a database read) and loads the scripts into Redis.
    for (const url of [UNCACHED, CACHED]) assert.equal((await t.app.server.inject({ url, headers: headers() })).statusCode, 200);
    assert.equal((await t.app.server.inject({ url: V2, headers: { 'x-api-key': token } })).statusCode, 200);
    await new Promise((resolve) => setTimeout(resolve, 30));
  });
  after(async () => {
    await t.close();
    proxy.close();
  });

  /** One call with every Redis reply delayed: its status, its duration, the commands it sent. */
  async function slowCall(url: string, callHeaders: Record<string, string>): Promise<{ status: number; ms: number; commands: string[] }> {
    proxy.delayMs = DELAY_MS;
    proxy.commands.length = 0;
    const started = performance.now();
    const res = await t.app.server.inject({ url, headers: callHeaders });
    const ms = performance.now() - started;
    // The release leaves after the answer: give it the time to reach the proxy.
    await new Promise((resolve) => setTimeout(resolve, 30));
    return { status: res.statusCode, ms, commands: [...proxy.commands] };
  }

  const assertOneRoundTrip = (ms: number): void => {
    assert.ok(ms >= DELAY_MS, `${ms.toFixed(0)} ms: Redis was not on the call's path`);
    assert.ok(ms < 2 * DELAY_MS, `${ms.toFixed(0)} ms: more than one round trip to Redis before the answer`);
  };

  test('v3 without a response cache: limits and lock in one script; the release follows, not awaited', async () => {
    for (let i = 0; i < 3; i++) {
      const call = await slowCall(UNCACHED, headers());
      assert.equal(call.status, 200, 'the same call again: the lock was released before it');
      assertOneRoundTrip(call.ms);
      assert.deepEqual(call.commands, ['EVALSHA', 'EVALSHA'], 'the admission script, then the release script');
    }
  });

  test('v2: the same', async () => {
    for (let i = 0; i < 2; i++) {
      const call = await slowCall(V2, { 'x-api-key': token });
      assert.equal(call.status, 200);
      assertOneRoundTrip(call.ms);
      assert.deepEqual(call.commands, ['EVALSHA', 'EVALSHA']);
    }
  });

  test('a cached answer: limits and cache read in one script, no lock', async () => {
    for (let i = 0; i < 3; i++) {
      const call = await slowCall(CACHED, headers());
      assert.equal(call.status, 200);
      assertOneRoundTrip(call.ms);
      assert.deepEqual(call.commands, ['EVALSHA']);
    }
  });

  test('a cache miss also waits for the answer to be stored, then releases the lock in the same write', async () => {
    const call = await slowCall(CACHED, { ...headers(), 'cache-control': 'no-cache' });
    assert.equal(call.status, 200);
    assert.ok(call.ms >= 2 * DELAY_MS && call.ms < 3 * DELAY_MS, `${call.ms.toFixed(0)} ms: the script and the store`);
    assert.deepEqual(call.commands, ['EVALSHA', 'SET', 'EVALSHA']);
  });
});
