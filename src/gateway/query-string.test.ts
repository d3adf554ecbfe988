import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { pairs, parseQuery } from './query-string.ts';

// Characters that exercise every branch: separators, encodings (valid, truncated, invalid UTF-8), non-ASCII.
const piece = fc.constantFrom('&', '=', '+', '%', '%2', '%20', '%2B', '%26', '%3D', '%C3%A9', '%E9', '%ED%A0%80', '%zz', 'a', 'B', '1', '[]', 'é', '😀', ' ', '?');
const query = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));

test('pairs() yields exactly what URLSearchParams yields, for any query', () => {
  fc.assert(
    fc.property(query, (q) => {
      assert.deepEqual(pairs(q), [...new URLSearchParams(q)]);
    }),
    { numRuns: 3000 },
  );
});

test('parseQuery keeps bracket keys as arrays and repeated plain keys as arrays', () => {
  assert.deepEqual(
    { ...parseQuery('prenoms[]=Jean&prenoms[]=Marie%20Claire&nom=DUPONT&x=1&x=2&solo[]=a+b') },
    { 'prenoms[]': ['Jean', 'Marie Claire'], nom: 'DUPONT', x: ['1', '2'], 'solo[]': ['a b'] },
  );
  assert.equal(Object.getPrototypeOf(parseQuery('__proto__=1')), null);
});
