import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIntrospection } from './introspection.ts';

/** An invented citizen, in FranceConnect's data-provider introspection format (CONTRACT §5.2). */
function sampleIntrospection(claims: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aud: 'test-data-provider',
    iat: 1767261600,
    iss: 'https://franceconnect.test.invalid/api/v2',
    token_introspection: {
      active: true,
      aud: 'test-client',
      sub: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00v1',
      iat: 1767261600,
      exp: 1767261660,
      acr: 'eidas1',
      jti: 'test-jti',
      scope: 'openid identite_pivot complementaire_sante_solidaire',
      gender: 'female',
      family_name: 'ROCHER',
      given_name: 'Lucie Jeanne',
      given_name_array: ['Lucie', 'Jeanne'],
      birthdate: '1990-04-05',
      birthplace: '44109',
      birthcountry: '99100',
      ...claims,
    },
  };
}

describe('parseIntrospection', () => {
  test('accepts the contract shape and returns it typed', () => {
    const parsed = parseIntrospection(sampleIntrospection());
    assert.ok(!('error' in parsed));
    assert.equal(parsed.token_introspection.family_name, 'ROCHER');
  });

  test('preferred_username is optional, extra claims are tolerated, birthplace may be empty', () => {
    assert.ok(!('error' in parseIntrospection(sampleIntrospection({ preferred_username: 'VIDAL', email: 'x@example.org' }))));
    assert.ok(!('error' in parseIntrospection(sampleIntrospection({ birthplace: '', birthcountry: '99134' }))));
  });

  test('rejects a missing required claim, a bad gender, a bad date, and non-objects, naming the path', () => {
    const withoutSub = sampleIntrospection();
    delete (withoutSub.token_introspection as Record<string, unknown>).sub;
    for (const [value, path] of [
      [withoutSub, '/token_introspection'],
      [sampleIntrospection({ gender: 'other' }), '/token_introspection/gender'],
      [sampleIntrospection({ birthdate: '05/04/1990' }), '/token_introspection/birthdate'],
      [sampleIntrospection({ active: 'yes' }), '/token_introspection/active'],
    ] as const) {
      const parsed = parseIntrospection(value);
      assert.ok('error' in parsed, path);
      assert.match(parsed.error, new RegExp(path));
    }
    for (const value of [null, 'token', 42, [], {}]) assert.ok('error' in parseIntrospection(value));
  });

  test('the error never echoes claim values (personal data)', () => {
    const parsed = parseIntrospection(sampleIntrospection({ birthdate: 'ROCHER-1990' }));
    assert.ok('error' in parsed);
    assert.doesNotMatch(parsed.error, /ROCHER/);
  });
});
