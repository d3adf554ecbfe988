import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bearerOf, WHITESPACE } from './authenticate.ts';

/** The definition `bearerOf` stands for. */
const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;
const byRegex = (authorization: string | undefined): string | undefined => (authorization === undefined ? undefined : BEARER.exec(authorization)?.[1]);

test('WHITESPACE lists exactly the code points that \\s matches', () => {
  const matched: string[] = [];
  for (let code = 0; code <= 0xffff; code += 1) if (/\s/.test(String.fromCharCode(code))) matched.push(String.fromCharCode(code));
  assert.deepEqual([...WHITESPACE].sort(), matched.sort());
});

// Pieces that exercise every branch: the scheme in any case or misspelt, every whitespace character,
// token characters (ASCII, Latin-1, astral, control), and the JWT's dots.
const piece = fc.constantFrom(
  'Bearer', 'bearer', 'BEARER', 'BeArEr', 'Bearer:', 'Bear', 'Basic', 'x', 'Z', '.', '-', '_', '0', 'é', '😀', '\u0000', '\u00ff', ':',
  ...WHITESPACE,
);
const header = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
  // Mostly well-formed: a scheme, spaces, a token, maybe trailing whitespace or a second word.
  fc
    .tuple(
      fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Bearer\t', 'Token'),
      fc.array(fc.constantFrom(' ', '\t', '\u00a0'), { maxLength: 3 }),
      fc.array(piece, { maxLength: 8 }),
      fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 3 }),
    )
    .map(([scheme, spaces, token, trailing]) => `${scheme}${spaces.join('')}${token.join('')}${trailing.join('')}`),
  fc.string(),
);

test('bearerOf() captures exactly what the regular expression captures, for any header', () => {
  fc.assert(
    fc.property(header, (value) => {
      assert.equal(bearerOf(value), byRegex(value));
    }),
    { numRuns: 5000 },
  );
});

test('bearerOf() on the usual shapes', () => {
  const jwt = `eyJhbGciOiJIUzI1NiJ9.${'e'.repeat(3000)}.c2ln`;
  assert.equal(bearerOf(`Bearer ${jwt}`), jwt);
  assert.equal(bearerOf(`bearer   ${jwt}  \t`), jwt);
  assert.equal(bearerOf(undefined), undefined);
  assert.equal(bearerOf('Bearer '), undefined);
  assert.equal(bearerOf(`Bearer\t${jwt}`), undefined);
  assert.equal(bearerOf(`Bearer ${jwt} second`), undefined);
  assert.equal(bearerOf(`Basic ${jwt}`), undefined);
  assert.equal(bearerOf(`Bearer ${jwt}\u2028`), jwt);
});
