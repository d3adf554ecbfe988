/**
 * FranceConnect modality on the C2S route (CONTRACT §5, DESIGN §2.7): the bearer is the citizen's
 * FranceConnect token; it is honoured for the token record that registered its client id, with the
 * scopes both grant; in the sandbox an unregistered client falls back to the demo token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { issueToken } from '../src/tokens/issue-token.ts';
import { TokenRepository } from '../src/tokens/token-repository.ts';
import { C2S_FC, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/france_connect?recipient=13002526500013';

function introspection(scope: string, clientId: string, active = true) {
  return {
    aud: 'sandbox-fc-data-provider',
    iat: 1763892000,
    iss: 'https://franceconnect.test/api/v2',
    token_introspection: {
      active,
      aud: clientId,
      sub: 'b6a2f0c1e0f94b7f9a1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5av1',
      iat: 1763892000,
      exp: 1763892060,
      acr: 'eidas1',
      jti: 'fc-jti-1',
      scope: `openid identite_pivot ${scope}`,
      gender: 'female',
      family_name: 'ROCHEFORT',
      given_name: 'Léa Marie',
      given_name_array: ['Léa', 'Marie'],
      birthdate: '1991-06-02',
      birthplace: '35238',
      birthcountry: '99100',
    },
  };
}

let t: TestApp;
let root: string;

before(async () => {
  root = writeCaseDir([
    {
      operationId: C2S_FC,
      file: 'lea.yaml',
      params: {
        nomNaissance: 'ROCHEFORT',
        prenoms: ['Léa', 'Marie'],
        anneeDateNaissance: 1991,
        moisDateNaissance: 6,
        jourDateNaissance: 2,
        sexeEtatCivil: 'F',
        codeCogInseePaysNaissance: '99100',
        codeCogInseeCommuneNaissance: '35238',
      },
      status: 200,
      body: { data: { est_beneficiaire: true, avec_participation: true, date_debut_droit: '2025-01-01' }, links: {}, meta: {} },
    },
  ]);
  const fcDir = path.join(root, 'france_connect');
  mkdirSync(fcDir);
  const fakes: Array<[string, unknown]> = [
    ['lea_mairie', introspection('complementaire_sante_solidaire', 'fc-mairie-rennes')],
    ['lea_ccas', introspection('complementaire_sante_solidaire', 'fc-ccas-unregistered')],
    ['lea_without_c2s', introspection('cnous_email', 'fc-mairie-rennes')],
    ['lea_inactive', introspection('complementaire_sante_solidaire', 'fc-mairie-rennes', false)],
    ['lea_restricted', introspection('complementaire_sante_solidaire', 'fc-restricted')],
    ['lea_narrow', introspection('complementaire_sante_solidaire', 'fc-narrow')],
  ];
  for (const [token, payload] of fakes) {
    writeFileSync(path.join(fcDir, `${token}.yaml`), stringify({ params: { token }, status: 200, payload: JSON.stringify(payload) }));
  }
  t = await testApp({ env: { SANDBOX_DATA_DIRS: root, DEMO_TOKEN: 'true' } });
});
after(async () => t.close());

const call = (bearer?: string) =>
  t.app.server.inject({ method: 'GET', url: ROUTE, headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } });

async function journalTokenOf(requestId: string): Promise<string | null | undefined> {
  await t.app.services.journal.drain();
  return (await t.database.db.selectFrom('access_journal').select('token_jti').where('request_id', '=', requestId).executeTakeFirst())?.token_jti;
}

describe('FranceConnect callers', () => {
  test('a registered client id: 200 with the identity’s data, attributed to that token record', async () => {
    const { record } = await t.app.services.tokens.create({ allScopes: true, fcClientIds: ['fc-mairie-rennes'], name: 'Mairie' });
    const res = await call('lea_mairie');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: { est_beneficiaire: true, avec_participation: true, date_debut_droit: '2025-01-01' }, links: {}, meta: {} });
    assert.equal(await journalTokenOf(String(res.headers['x-request-id'])), record.jti);
  });

  test('sandbox: an unregistered client id is answered as the demo token', async () => {
    const res = await call('lea_ccas');
    assert.equal(res.statusCode, 200);
    const demoJti = JSON.parse(Buffer.from((t.app.services.demoToken as string).split('.')[1] as string, 'base64url').toString()).jti;
    assert.equal(await journalTokenOf(String(res.headers['x-request-id'])), demoJti);
  });

  test('a FranceConnect token without the route’s scopes → 401 (CONTRACT §8.8)', async () => {
    const res = await call('lea_without_c2s');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().errors[0].code, '00101');
    assert.match(res.json().errors[0].detail, /scopes/);
  });

  test('effective scopes are FranceConnect’s ∩ the record’s: a record without the scope → 401', async () => {
    await issueToken(
      { name: 'cnous only', owner: 'x', scopes: ['cnous_email'], modalities: ['france_connect'], fcClientIds: ['fc-restricted'], expiresInSeconds: 3600 },
      { repository: new TokenRepository(t.database.db), keyring: t.app.services.keyring, now: () => new Date() },
    );
    const res = await call('lea_restricted');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().errors[0].code, '00101');
  });

  test('a record that does not allow the FranceConnect modality → 403 00100', async () => {
    await t.app.services.tokens.create({ scopes: ['complementaire_sante_solidaire'], fcClientIds: ['fc-narrow'], modalities: ['identite'] });
    const res = await call('lea_narrow');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().errors[0].code, '00100');
  });

  test('unknown, inactive or missing FranceConnect tokens → 401 00101', async () => {
    for (const bearer of [undefined, 'nobody', 'lea_inactive']) {
      const res = await call(bearer);
      assert.equal(res.statusCode, 401, String(bearer));
      assert.equal(res.json().errors[0].code, '00101');
      assert.deepEqual(res.json().errors[0].source, { parameter: 'token' });
    }
  });

  test('an API token is not a FranceConnect token', async () => {
    const res = await call(await t.token());
    assert.equal(res.statusCode, 401);
  });

  test('without the sandbox fallback (no demo token), an unregistered client id is refused: 401 00101', async () => {
    const strict = await testApp({ env: { SANDBOX_DATA_DIRS: root, DEMO_TOKEN: 'false' } });
    try {
      const res = await strict.app.server.inject({ url: ROUTE, headers: { authorization: 'Bearer lea_ccas' } });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().errors[0].code, '00101');
      assert.match(res.json().errors[0].detail, /n'est rattaché à aucune habilitation/);
    } finally {
      await strict.close();
    }
  });

  test('recipient is still required', async () => {
    const res = await t.app.server.inject({ url: '/v3/dss/complementaire_sante_solidaire/france_connect', headers: { authorization: 'Bearer lea_ccas' } });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().errors[0].code, '00203');
  });
});
