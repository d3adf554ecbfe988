/**
 * BatchedReads: one query in flight per lane, the reads asked meanwhile together in the next one; an
 * urgent read goes at once, a lazy one waits for its window or the next urgent query.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchedReads } from './batched-reads.ts';

/** A table of squares whose queries can be held open; `queries` lists the keys each one asked. */
function setUp(options: { windowMs?: number; maxKeys?: number } = {}) {
  const queries: number[][] = [];
  const holds: Array<() => void> = [];
  let failNext = false;
  let hold = false;
  const reads = new BatchedReads<number, number>({
    windowMs: options.windowMs ?? 30,
    ...(options.maxKeys === undefined ? {} : { maxKeys: options.maxKeys }),
    readMany: async (keys) => {
      queries.push(keys);
      if (hold) await new Promise<void>((resolve) => holds.push(resolve));
      if (failNext) {
        failNext = false;
        throw new Error('database unavailable');
      }
      return new Map(keys.filter((key) => key >= 0).map((key) => [key, key * key]));
    },
  });
  return {
    reads,
    queries,
    holdQueries: (on: boolean) => {
      hold = on;
    },
    releaseAll: () => {
      for (const release of holds.splice(0)) release();
    },
    failNextQuery: () => {
      failNext = true;
    },
  };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BatchedReads', () => {
  test('a lone urgent read is queried at once; an absent row is undefined', async () => {
    const s = setUp({ windowMs: 10_000 });
    assert.equal(await s.reads.read(3, true), 9);
    assert.equal(await s.reads.read(-1, true), undefined);
    assert.deepEqual(s.queries, [[3], [-1]]);
  });

  test('urgent reads asked while a query runs go together in the next one, each key once', async () => {
    const s = setUp();
    s.holdQueries(true);
    const first = s.reads.read(1, true);
    const rest = [2, 3, 3, 4].map((key) => s.reads.read(key, true));
    await tick();
    assert.deepEqual(s.queries, [[1]]);
    s.holdQueries(false);
    s.releaseAll();
    assert.deepEqual([await first, ...(await Promise.all(rest))], [1, 4, 9, 9, 16]);
    assert.deepEqual(s.queries, [[1], [2, 3, 4]]);
  });

  test('lazy reads wait for the window and share one query', async () => {
    const s = setUp({ windowMs: 30 });
    const lazy = Promise.all([5, 6].map((key) => s.reads.read(key, false)));
    await tick(5);
    assert.deepEqual(s.queries, [], 'nothing queried before the window ends');
    await tick(40); // the window's timer does not hold the process open (unref), this does
    assert.deepEqual(await lazy, [25, 36]);
    assert.deepEqual(s.queries, [[5, 6]]);
  });

  test('a lazy read goes with the next urgent query when that comes first', async () => {
    const s = setUp({ windowMs: 10_000 });
    const lazy = s.reads.read(7, false);
    assert.equal(await s.reads.read(8, true), 64);
    assert.equal(await lazy, 49);
    assert.deepEqual(s.queries, [[7, 8]]);
  });

  test('an urgent read never waits for a lazy query in flight', async () => {
    const s = setUp({ windowMs: 1 });
    s.holdQueries(true);
    const lazy = s.reads.read(2, false);
    await tick(20);
    assert.deepEqual(s.queries, [[2]], 'the lazy query is in flight, held');
    s.holdQueries(false);
    assert.equal(await s.reads.read(3, true), 9, 'answered while the lazy query is still held');
    s.releaseAll();
    assert.equal(await lazy, 4);
  });

  test('a failed query rejects its reads only; the next query is made afresh', async () => {
    const s = setUp();
    s.holdQueries(true);
    const failing = s.reads.read(1, true);
    const next = s.reads.read(2, true);
    await tick();
    s.failNextQuery();
    s.holdQueries(false);
    s.releaseAll();
    await assert.rejects(failing, /database unavailable/);
    assert.equal(await next, 4);
  });

  test('more keys than a query takes are read in several queries', async () => {
    const s = setUp({ maxKeys: 2 });
    s.holdQueries(true);
    const first = s.reads.read(0, true);
    const rest = [1, 2, 3, 4, 5].map((key) => s.reads.read(key, true));
    await tick();
    s.holdQueries(false);
    s.releaseAll();
    assert.deepEqual([await first, ...(await Promise.all(rest))], [0, 1, 4, 9, 16, 25]);
    assert.deepEqual(s.queries, [[0], [1, 2], [3, 4], [5]]);
  });
});
