import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntrospectionCache } from './introspection-cache.ts';
import type { FranceConnectIntrospection } from './introspection.ts';

const T0 = Date.parse('2026-01-01T10:00:00Z');

/** Only `exp` matters to the cache; the rest is an invented citizen. */
function answer(expSeconds: number): FranceConnectIntrospection {
  return {
    aud: 'dp',
    iat: T0 / 1000,
    iss: 'https://franceconnect.test.invalid/api/v2',
    token_introspection: {
      active: true,
      aud: 'sp',
      sub: 'sub-v1',
      iat: T0 / 1000,
      exp: expSeconds,
      acr: 'eidas1',
      jti: 'jti',
      scope: 'openid identite_pivot',
      gender: 'female',
      family_name: 'ROCHER',
      given_name: 'Lucie',
      given_name_array: ['Lucie'],
      birthdate: '1990-04-05',
      birthplace: '44109',
      birthcountry: '99100',
    },
  };
}

function clock() {
  let now = T0;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('IntrospectionCache', () => {
  test('an answer lives until the token’s exp, by the injected clock', () => {
    const c = clock();
    const cache = new IntrospectionCache({ max: 10, maxTtlMs: 3_600_000, now: c.now });
    cache.set('token-a', answer(T0 / 1000 + 60));
    c.advance(59_999);
    assert.ok(cache.get('token-a'));
    c.advance(1);
    assert.equal(cache.get('token-a'), undefined);
  });

  test('the TTL bound wins over a far exp (revocation delay), and 0 disables the cache', () => {
    const c = clock();
    const cache = new IntrospectionCache({ max: 10, maxTtlMs: 5_000, now: c.now });
    cache.set('token-a', answer(T0 / 1000 + 3600));
    c.advance(5_000);
    assert.equal(cache.get('token-a'), undefined);
    const off = new IntrospectionCache({ max: 10, maxTtlMs: 0, now: c.now });
    off.set('token-a', answer(T0 / 1000 + 3600));
    assert.equal(off.size, 0);
  });

  test('an already expired answer is not stored; other tokens do not share entries', () => {
    const c = clock();
    const cache = new IntrospectionCache({ max: 10, maxTtlMs: 60_000, now: c.now });
    cache.set('old', answer(T0 / 1000 - 1));
    assert.equal(cache.size, 0);
    cache.set('token-a', answer(T0 / 1000 + 60));
    assert.equal(cache.get('token-b'), undefined);
  });

  test('the LRU bound caps memory: the least recently used entry goes first', () => {
    const c = clock();
    const cache = new IntrospectionCache({ max: 2, maxTtlMs: 60_000, now: c.now });
    cache.set('a', answer(T0 / 1000 + 60));
    cache.set('b', answer(T0 / 1000 + 60));
    assert.ok(cache.get('a'));
    cache.set('c', answer(T0 / 1000 + 60));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a') && cache.get('c'));
  });
});
