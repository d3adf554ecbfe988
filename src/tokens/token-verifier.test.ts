/**
 * The verifier's cache: a token in use is re-read in the background before its entry lapses, and
 * the revocation bound stays the cache lifetime counted from the read that is being used.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../core/errors.ts';
import { SignJWT } from 'jose';
import { signToken } from './issue-token.ts';
import { createKeyring } from './keyring.ts';
import type { TokenRecord } from './token-record.ts';
import type { TokenRepository } from './token-repository.ts';
import { TokenVerifier } from './token-verifier.ts';

const TTL = 5_000;
/** Past the latest instant an entry's background re-read may start (95 % of the lifetime). */
const DUE = TTL * 0.96;
const t0 = new Date('2026-11-23T10:00:00.000Z');
const keyring = createKeyring([{ kid: 'k1', secret: 'a-test-signing-secret-of-enough-length' }]);

/** One token row, read through a repository that counts its reads and can be made to fail. */
async function setUp(options: { ttl?: number } = {}) {
  let clock = t0;
  const row: TokenRecord = {
    jti: randomUUID(),
    uid: randomUUID(),
    name: 'Mairie de Rennes',
    owner: '21350238800019',
    scopes: ['complementaire_sante_solidaire'],
    modalities: ['identite'],
    fcClientIds: [],
    kid: 'k1',
    createdAt: t0,
    expiresAt: new Date(t0.getTime() + 86_400_000),
    revokedAt: null,
    rateLimitPerSecond: null,
    habilitationId: null,
  };
  const state: { reads: number; queries: number[]; keyFinds: number; latencyMs: number; failing: boolean; row: TokenRecord; others: TokenRecord[]; gate?: Promise<void>; held: Array<Promise<void>> } = {
    reads: 0,
    queries: [],
    keyFinds: 0,
    latencyMs: 0,
    failing: false,
    row,
    others: [],
    held: [],
  };
  /** Reads the rows at once (a snapshot), then waits for a hold or the gate, as a slow database answers late. */
  const read = async (jtis: readonly string[]): Promise<Map<string, TokenRecord>> => {
    state.reads += jtis.length;
    state.queries.push(jtis.length);
    const rows = new Map<string, TokenRecord>();
    for (const known of [state.row, ...state.others]) if (jtis.includes(known.jti)) rows.set(known.jti, { ...known });
    await (state.held.shift() ?? state.gate);
    if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
    if (state.failing) throw new Error('database unavailable');
    return rows;
  };
  const repository = {
    findByJtis: (jtis: readonly string[]) => read(jtis),
  } as unknown as TokenRepository;
  // Counts full verifications (each looks up the signing key; a re-read does not).
  const countingKeyring = { ...keyring, find: (kid: string) => (state.keyFinds++, keyring.find(kid)) };
  const verifier = new TokenVerifier({ repository, keyring: countingKeyring, now: () => clock, cacheTtlMs: options.ttl ?? TTL, cacheMax: 100 });
  const token = await signToken(row, keyring);
  return {
    verifier,
    token,
    state,
    at: (ms: number) => {
      clock = new Date(t0.getTime() + ms);
    },
    revoke: () => {
      state.row = { ...state.row, revokedAt: clock };
    },
    /** Holds the next read (after it has read the row) until the returned function is called. */
    holdNextRead: (): (() => void) => {
      let release = (): void => undefined;
      state.held.push(new Promise((resolve) => {
        release = resolve;
      }));
      return () => release();
    },
  };
}

/** Waits for the background re-read to reach the repository (its HMAC check runs off the main thread), then for its result to be stored. */
async function readsReach(state: { reads: number }, reads: number): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (state.reads < reads && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.equal(state.reads, reads);
  await new Promise((resolve) => setImmediate(resolve));
}

/** Fails, rather than hangs, when a call waits for the (blocked) repository. */
async function answeredWithoutWaiting(call: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('the call waited for the database')), 500);
  });
  try {
    await Promise.race([call, waited]);
  } finally {
    clearTimeout(timer);
  }
}

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error.body().errors[0]?.code ?? '';
  }
};

describe('TokenVerifier cache', () => {
  test('a cached verification reads the row once; a call past the refresh instant re-reads it in the background, once', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    s.at(TTL * 0.4);
    await s.verifier.verify(s.token);
    assert.equal(s.state.reads, 1);
    // The database is slow now: calls near the entry's end do not wait for it.
    let open = (): void => undefined;
    s.state.gate = new Promise((resolve) => {
      open = resolve;
    });
    s.at(DUE);
    await answeredWithoutWaiting(s.verifier.verify(s.token));
    await answeredWithoutWaiting(s.verifier.verify(s.token));
    s.at(TTL * 0.99);
    await answeredWithoutWaiting(s.verifier.verify(s.token));
    open();
    await readsReach(s.state, 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(s.state.reads, 2, 'one background re-read, however many calls saw the entry near its end');
    // The re-read started a new lifetime: past the first entry's end, no call waits for a read.
    s.at(TTL * 1.2);
    await s.verifier.verify(s.token);
    assert.equal(s.state.reads, 2);
  });

  test('a revocation written without a notice: the answer in use is the last read, never older than the lifetime', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    s.revoke();
    s.at(DUE);
    // Still the entry read at 0, within its lifetime; this call starts the re-read.
    assert.equal(await codeOf(s.verifier.verify(s.token)), 'ok');
    await readsReach(s.state, 2);
    assert.equal(await codeOf(s.verifier.verify(s.token)), '00105');
    assert.equal(s.state.reads, 2);
  });

  test('an entry nobody used near its end lapses at the lifetime: the next call reads the row itself', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    s.revoke();
    // Before the refresh window the entry is answered as is, with no read.
    s.at(TTL * 0.74);
    assert.equal(await codeOf(s.verifier.verify(s.token)), 'ok');
    assert.equal(s.state.reads, 1);
    s.at(TTL);
    assert.equal(await codeOf(s.verifier.verify(s.token)), '00105');
    assert.equal(s.state.reads, 2);
  });

  test('a background re-read that fails drops the entry: the next call verifies itself and sees the failure', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    s.state.failing = true;
    s.at(DUE);
    assert.equal(await codeOf(s.verifier.verify(s.token)), 'ok');
    await readsReach(s.state, 2);
    await assert.rejects(s.verifier.verify(s.token), /database unavailable/);
    s.state.failing = false;
    assert.equal(await codeOf(s.verifier.verify(s.token)), 'ok');
  });

  test('a re-read begun before forget() (a revocation notice) is not cached', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    s.at(DUE);
    await s.verifier.verify(s.token); // starts the re-read, which reads the row as not revoked
    s.verifier.forget();
    await readsReach(s.state, 2);
    s.revoke();
    assert.equal(await codeOf(s.verifier.verify(s.token)), '00105');
  });

  test('a call that finds the entry lapsed while its re-read is under way waits for that re-read', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    const release = s.holdNextRead();
    s.at(DUE);
    await s.verifier.verify(s.token); // starts the re-read, held
    await readsReach(s.state, 2);
    s.at(TTL * 1.1);
    let answered = false;
    const lapsed = s.verifier.verify(s.token).then((record) => {
      answered = true;
      return record;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(answered, false, 'waits for the re-read under way');
    assert.equal(s.state.reads, 2, 'no second read');
    release();
    assert.equal((await lapsed).jti, s.state.row.jti);
    assert.equal(s.state.reads, 2);
  });

  test('a re-read begun more than a lifetime before the call is not waited for: the call reads the row itself', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    const release = s.holdNextRead();
    s.at(DUE);
    await s.verifier.verify(s.token); // starts the re-read, held: it read the row before the revocation
    await readsReach(s.state, 2);
    s.revoke();
    s.at(DUE + TTL + 1);
    const code = codeOf(s.verifier.verify(s.token));
    await answeredWithoutWaiting(code);
    assert.equal(await code, '00105');
    assert.equal(s.state.reads, 3);
    release();
  });

  test('after forget() (a revocation notice) a call does not wait for a re-read begun before it', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    const release = s.holdNextRead();
    s.at(DUE);
    await s.verifier.verify(s.token); // starts the re-read, held: it read the row before the revocation
    await readsReach(s.state, 2);
    s.revoke();
    s.verifier.forget();
    const code = codeOf(s.verifier.verify(s.token));
    await answeredWithoutWaiting(code);
    assert.equal(await code, '00105');
    release();
  });

  test('re-reads due together read their rows in one query, and only the rows', async () => {
    const s = await setUp();
    const other: TokenRecord = { ...s.state.row, jti: randomUUID() };
    s.state.others.push(other);
    const otherToken = await signToken(other, keyring);
    await s.verifier.verify(s.token);
    await s.verifier.verify(otherToken);
    assert.deepEqual(s.state.queries, [1, 1]);
    s.at(DUE);
    await s.verifier.verify(s.token);
    await s.verifier.verify(otherToken);
    await readsReach(s.state, 4);
    assert.deepEqual(s.state.queries, [1, 1, 2]);
    s.at(TTL * 1.5);
    assert.equal((await s.verifier.verify(otherToken)).jti, other.jti);
    assert.equal(s.state.reads, 4, 'both entries renewed by the one query');
  });

  test("a re-read refuses a JWT whose exp has passed, as its full verification does (00103), even if the row lives on", async () => {
    const s = await setUp();
    // The JWT says 4 s; the row (the authority for the cache) says a day.
    const token = await signToken({ ...s.state.row, expiresAt: new Date(t0.getTime() + 4_000) }, keyring);
    await s.verifier.verify(token);
    s.at(DUE); // 4.8 s: still answered from the entry, whose re-read fails on `exp`
    assert.equal(await codeOf(s.verifier.verify(token)), 'ok');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await codeOf(s.verifier.verify(token)), '00103');
    assert.deepEqual(s.state.queries, [1], 'neither path read the row again');
  });

  test('a JWT with nbf is verified in full at each re-read', async () => {
    const s = await setUp();
    const key = keyring.find('k1') as Uint8Array;
    const token = await new SignJWT({ uid: s.state.row.uid, scopes: s.state.row.scopes, version: '1.0' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
      .setJti(s.state.row.jti)
      .setIssuedAt(t0.getTime() / 1000)
      .setNotBefore(t0.getTime() / 1000)
      .setExpirationTime(t0.getTime() / 1000 + 86_400)
      .sign(key);
    await s.verifier.verify(token);
    s.at(DUE);
    await s.verifier.verify(token);
    await readsReach(s.state, 2);
    assert.deepEqual(s.state.queries, [1, 1]);
  });

  test('without a cache (TOKEN_CACHE_TTL_MS=0) every call reads the row', async () => {
    const s = await setUp({ ttl: 0 });
    await s.verifier.verify(s.token);
    await s.verifier.verify(s.token);
    assert.equal(s.state.reads, 2);
  });

  test('an expired token is refused from the cache as from the row: 00103', async () => {
    const s = await setUp();
    s.state.row = { ...s.state.row, expiresAt: new Date(t0.getTime() + TTL * 0.5) };
    assert.equal(await codeOf(s.verifier.verify(s.token)), 'ok');
    s.at(TTL * 0.5);
    assert.equal(await codeOf(s.verifier.verify(s.token)), '00103');
  });

  test('a burst of tokens not seen before reads their rows in a few queries, not one each', async () => {
    const s = await setUp();
    const others = Array.from({ length: 100 }, (): TokenRecord => ({ ...s.state.row, jti: randomUUID() }));
    s.state.others.push(...others);
    const tokens = await Promise.all(others.map((record) => signToken(record, keyring)));
    s.state.latencyMs = 20; // a busy database: read one by one, the burst would take 2 s
    const records = await Promise.all(tokens.map((token) => s.verifier.verify(token)));
    assert.deepEqual(records.map((record) => record.jti), others.map((record) => record.jti));
    assert.equal(s.state.reads, 100);
    assert.ok(s.state.queries.length <= 10, `100 rows in ${s.state.queries.length} queries: ${s.state.queries.join(', ')}`);
  });

  test('calls arriving together with the same unseen bearer share one verification, and a bad one shares its refusal', async () => {
    const s = await setUp();
    const records = await Promise.all(Array.from({ length: 20 }, () => s.verifier.verify(s.token)));
    assert.ok(records.every((record) => record.jti === s.state.row.jti));
    assert.equal(s.state.reads, 1);
    const unknown = await signToken({ ...s.state.row, jti: randomUUID() }, keyring);
    const codes = await Promise.all(Array.from({ length: 5 }, () => codeOf(s.verifier.verify(unknown))));
    assert.deepEqual(codes, ['00101', '00101', '00101', '00101', '00101']);
    assert.equal(s.state.reads, 2);
  });

  test('a token used now and then: once its record lapses, the next call reads the row again but does not verify the JWT again', async () => {
    const s = await setUp();
    assert.equal(await codeOf(s.verifier.verify(s.token)), 'ok');
    s.at(TTL * 3);
    assert.equal(await codeOf(s.verifier.verify(s.token)), 'ok');
    assert.deepEqual([s.state.reads, s.state.keyFinds], [2, 1]);
    s.revoke();
    s.at(TTL * 6);
    assert.equal(await codeOf(s.verifier.verify(s.token)), '00105', 'the row read again says revoked');
    assert.deepEqual([s.state.reads, s.state.keyFinds], [3, 1]);
    s.verifier.forget();
    assert.equal(await codeOf(s.verifier.verify(s.token)), '00105');
    assert.deepEqual([s.state.reads, s.state.keyFinds], [4, 2], 'after forget() the JWT is verified in full again');
  });

  test('a JWT verification is kept an hour after the last read, not longer', async () => {
    const s = await setUp();
    await s.verifier.verify(s.token);
    s.at(TTL + 3_599_000);
    await s.verifier.verify(s.token);
    assert.deepEqual([s.state.reads, s.state.keyFinds], [2, 1], 'within the hour: the row only');
    s.at(TTL + 3_599_000 + TTL + 3_600_001);
    await s.verifier.verify(s.token);
    assert.deepEqual([s.state.reads, s.state.keyFinds], [3, 2], 'past it: verified in full');
  });
});
