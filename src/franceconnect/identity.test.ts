import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { civilityParamsFromIdentity, identityFromIntrospection } from './identity.ts';
import { parseIntrospection, type FranceConnectIntrospection } from './introspection.ts';

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

function introspection(claims: Record<string, unknown> = {}): FranceConnectIntrospection {
  const parsed = parseIntrospection(sampleIntrospection(claims));
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

describe('identityFromIntrospection', () => {
  test('reads the client id, subject and data scopes (identity scopes dropped)', () => {
    const identity = identityFromIntrospection(
      introspection({ scope: 'openid  identite_pivot profile given_name birthdate complementaire_sante_solidaire cnous_email openid' }),
    );
    assert.equal(identity.clientId, 'test-client');
    assert.equal(identity.sub, 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00v1');
    assert.deepEqual(identity.scopes, ['complementaire_sante_solidaire', 'cnous_email']);
    assert.equal(identity.preferredUsername, undefined);
  });

  test('first names: given_name_array, else given_name split on spaces', () => {
    assert.deepEqual(identityFromIntrospection(introspection()).givenNames, ['Lucie', 'Jeanne']);
    assert.deepEqual(identityFromIntrospection(introspection({ given_name_array: [], given_name: ' Lucie  Jeanne Rose ' })).givenNames, [
      'Lucie',
      'Jeanne',
      'Rose',
    ]);
  });

  test('a blank preferred_username is no usage name', () => {
    assert.equal(identityFromIntrospection(introspection({ preferred_username: '  ' })).preferredUsername, undefined);
    assert.equal(identityFromIntrospection(introspection({ preferred_username: 'VIDAL' })).preferredUsername, 'VIDAL');
  });
});

describe('civilityParamsFromIdentity (CONTRACT §5.2 table)', () => {
  test('born in France: every Family A param, commune included, numbers for the date', () => {
    assert.deepEqual(civilityParamsFromIdentity(identityFromIntrospection(introspection())), {
      nomNaissance: 'ROCHER',
      prenoms: ['Lucie', 'Jeanne'],
      anneeDateNaissance: 1990,
      moisDateNaissance: 4,
      jourDateNaissance: 5,
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      codeCogInseeCommuneNaissance: '44109',
    });
  });

  test('born abroad: the country only, no commune', () => {
    const params = civilityParamsFromIdentity(identityFromIntrospection(introspection({ birthplace: '', birthcountry: '99134', gender: 'male' })));
    assert.equal(params.codeCogInseePaysNaissance, '99134');
    assert.equal(params.sexeEtatCivil, 'M');
    assert.ok(!('codeCogInseeCommuneNaissance' in params));
  });

  test('a commune with a foreign country, or France without a commune, gives no commune param', () => {
    for (const claims of [{ birthplace: '44109', birthcountry: '99134' }, { birthplace: '', birthcountry: '99100' }]) {
      assert.ok(!('codeCogInseeCommuneNaissance' in civilityParamsFromIdentity(identityFromIntrospection(introspection(claims)))));
    }
  });

  test('preferred_username becomes nomUsage, only when present', () => {
    assert.equal(civilityParamsFromIdentity(identityFromIntrospection(introspection({ preferred_username: 'VIDAL' }))).nomUsage, 'VIDAL');
    assert.ok(!('nomUsage' in civilityParamsFromIdentity(identityFromIntrospection(introspection()))));
  });

  test('given_name split on spaces when the array is empty', () => {
    const params = civilityParamsFromIdentity(identityFromIntrospection(introspection({ given_name_array: [], given_name: 'Lucie Jeanne' })));
    assert.deepEqual(params.prenoms, ['Lucie', 'Jeanne']);
  });

  test('an unknown month or day (00, presumed birth dates) is left out rather than sent as 0', () => {
    const noDay = civilityParamsFromIdentity(identityFromIntrospection(introspection({ birthdate: '1990-04-00' })));
    assert.equal(noDay.moisDateNaissance, 4);
    assert.ok(!('jourDateNaissance' in noDay));
    const noMonth = civilityParamsFromIdentity(identityFromIntrospection(introspection({ birthdate: '1990-00-00' })));
    assert.equal(noMonth.anneeDateNaissance, 1990);
    assert.ok(!('moisDateNaissance' in noMonth) && !('jourDateNaissance' in noMonth));
  });

  test('the params do not share the identity’s arrays', () => {
    const identity = identityFromIntrospection(introspection());
    (civilityParamsFromIdentity(identity).prenoms as string[]).push('X');
    assert.deepEqual(identity.givenNames, ['Lucie', 'Jeanne']);
  });
});
