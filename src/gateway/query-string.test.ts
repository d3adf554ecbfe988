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
});

test('parseQuery results inherit nothing: __proto__, constructor or toString are plain params', () => {
  const parsed = parseQuery('__proto__=1&constructor=2&toString=3');
  assert.deepEqual(Object.entries(parsed), [['__proto__', '1'], ['constructor', '2'], ['toString', '3']]);
  const empty = parseQuery('');
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) assert.equal(name in empty, false, name);
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(empty)), null);
  assert.deepEqual(Object.getOwnPropertyNames(Object.getPrototypeOf(empty)), []);
  assert.ok(Object.isFrozen(Object.getPrototypeOf(empty)));
});

/** The rules parseQuery implements, applied to URLSearchParams' pairs. */
function reference(query: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = out[key];
    if (key.endsWith('[]')) out[key] = Array.isArray(existing) ? [...existing, value] : [value];
    else if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

// Few distinct keys, so that keys repeat: plain, bracketed, encoded (`%61` is `a`, `%5B%5D` is `[]`), inherited names.
const withBrackets = fc
  .array(
    fc.tuple(fc.constantFrom('a', 'a[]', 'a]', 'b', 'b[]', '%61', 'a%5B%5D', '__proto__', 'constructor', ''), fc.constantFrom('1', '2', '', '%20', '+', '%zz', '=', '&')),
    { maxLength: 6 },
  )
  .map((list) => list.map(([key, value]) => `${key}=${value}`).join('&'));

test('parseQuery() gives, for any query, what the bracket rules give on URLSearchParams pairs', () => {
  fc.assert(
    fc.property(fc.oneof(query, withBrackets), (q) => {
      assert.deepEqual(Object.entries(parseQuery(q)), Object.entries(reference(q)));
    }),
    { numRuns: 3000 },
  );
});
