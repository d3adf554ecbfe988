import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseCreateInput, TokenInputError } from './token-admin.ts';

const known = ['complementaire_sante_solidaire'];

test("a token's own rate limit must be a whole number of calls per second from 1 to 10 000", () => {
  assert.equal(normaliseCreateInput({ scopes: known, rateLimitPerSecond: 5 }, known).rateLimitPerSecond, 5);
  assert.equal('rateLimitPerSecond' in normaliseCreateInput({ scopes: known }, known), false, 'absent: the default applies');
  for (const bad of [0, -1, 2.5, 10_001, Number.NaN]) {
    assert.throws(() => normaliseCreateInput({ scopes: known, rateLimitPerSecond: bad }, known), TokenInputError, String(bad));
  }
});
