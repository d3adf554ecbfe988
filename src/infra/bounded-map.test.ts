import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BoundedMap } from './bounded-map.ts';

test('an entry is served until its expiry instant, then dropped', () => {
  const map = new BoundedMap<string, number>(10);
  map.set('a', 1, 1_000);
  assert.equal(map.get('a', 999), 1);
  assert.equal(map.get('a', 1_000), undefined);
  assert.equal(map.size, 0);
});

test('when full, the oldest write goes first; a renewed read or a rewrite keeps a key', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1);
  map.set('b', 2);
  map.set('a', 3); // rewritten: now the newest
  map.set('c', 4); // evicts b
  assert.deepEqual([map.get('a'), map.get('b'), map.get('c')], [3, undefined, 4]);
  map.get('a', 0, true); // renewed: c is now the oldest
  map.set('d', 5);
  assert.deepEqual([map.get('a'), map.get('c'), map.get('d')], [3, undefined, 5]);
});

test('never holds more than its bound, whatever the operations', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.constantFrom('set', 'get', 'renew', 'delete'), fc.integer({ min: 0, max: 20 }))), (max, ops) => {
      const map = new BoundedMap<number, number>(max);
      const model = new Map<number, number>();
      for (const [op, key] of ops) {
        if (op === 'set') {
          map.set(key, key);
          model.delete(key);
          model.set(key, key);
          if (model.size > max) model.delete(model.keys().next().value as number);
        } else if (op === 'delete') {
          map.delete(key);
          model.delete(key);
        } else {
          assert.equal(map.get(key, 0, op === 'renew'), model.get(key));
          if (op === 'renew' && model.has(key)) {
            model.delete(key);
            model.set(key, key);
          }
        }
        assert.ok(map.size <= max);
        assert.equal(map.size, model.size);
      }
    }),
  );
});

test('rejects a bound that is not a positive integer', () => {
  assert.throws(() => new BoundedMap(0), RangeError);
  assert.throws(() => new BoundedMap(1.5), RangeError);
});
