/**
 * The data API pipeline end to end through the real app (inject): authentication, validation,
 * scopes, modalities, 409 lock, provider outcomes, journal — full bodies and headers asserted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { issueToken } from '../src/tokens/issue-token.ts';
import { TokenRepository } from '../src/tokens/token-repository.ts';
import type { ProviderDriver } from '../src/core/driver.ts';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const NOT_FOUND = {
  errors: [{ code: '40003', title: 'Dossier allocataire absent RNCPS', detail: "Le dossier allocataire n'a pas été trouvé auprès du RNCPS.", source: null, meta: { provider: 'RNCPS' } }],
};

let clock = new Date('2026-11-23T10:00:00Z');
let release: (() => void) | undefined;
let blocking = false;
let t: TestApp;

const blockingDriver: ProviderDriver = {
  call: () =>
    new Promise((resolve) => {
      release = () => resolve({ kind: 'data', data: OK_BODY.data, meta: {} });
    }),
};

before(async () => {
  const cases = writeCaseDir([
    { operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY },
    { operationId: C2S_IDENTITE, file: 'absent.yaml', params: { ...LEA, nomNaissance: 'ABSENT' }, status: 404, body: NOT_FOUND },
  ]);
  t = await testApp({
    env: { SANDBOX_DATA_DIRS: cases, TOKEN_CACHE_TTL_MS: '2000' },
    overrides: {
      now: () => clock,
      driverFor: () => (blocking ? blockingDriver : undefined),
    },
  });
});
after(async () => t.close());

const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
  t.app.server.inject({ method: 'GET', url, headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers } });

describe('authentication (CONTRACT §2)', () => {
  test('no Authorization header → 401 00101 with the contract body and a WWW-Authenticate challenge', async () => {
    const res = await get(`${ROUTE}?${leaQuery()}`);
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), {
      errors: [{ code: '00101', title: 'Interdit', detail: "Votre token n'est pas valide ou n'est pas renseigné", source: { parameter: 'token' }, meta: {} }],
    });
    assert.match(String(res.headers['www-authenticate']), /^Bearer realm="api-particulier"/);
    assert.match(String(res.headers['content-type']), /^application\/json/);
  });

  test('a malformed, forged or unknown token → 401 00101', async () => {
    const valid = await t.token();
    const [h, p] = valid.split('.');
    for (const bad of ['abc', 'Bearer', `${h}.${p}.forgedsignature`, `${valid}x`]) {
      const res = await get(`${ROUTE}?${leaQuery()}`, bad);
      assert.equal(res.statusCode, 401, bad);
      assert.equal(res.json().errors[0].code, '00101');
    }
    // correctly signed, but no row: a token the gateway never issued (or whose row was deleted)
    const orphan = await issueToken(
      { name: 'orphan', owner: 'x', scopes: ['complementaire_sante_solidaire'], modalities: ['identite'], expiresInSeconds: 3600 },
      { repository: { insert: async () => undefined } as unknown as TokenRepository, keyring: t.app.services.keyring, now: () => clock },
    );
    const res = await get(`${ROUTE}?${leaQuery()}`, orphan.token);
    assert.equal(res.json().errors[0].code, '00101');
  });

  test('an expired token → 401 00103 (frozen clock)', async () => {
    const token = await t.token({ allScopes: true, expiresIn: '1h' });
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, token)).statusCode, 200);
    clock = new Date(clock.getTime() + 2 * 3600_000);
    const res = await get(`${ROUTE}?${leaQuery()}`, token);
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json().errors[0], {
      code: '00103',
      title: 'Jeton expiré',
      detail: 'Votre token est expiré. Vous devez refaire une demande',
      source: { parameter: 'token' },
      meta: {},
    });
  });

  test('a revocation through the service takes effect at once → 00105 (the notice empties the caches)', async () => {
    const token = await t.token();
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, token)).statusCode, 200);
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti as string;
    await t.app.services.tokens.revoke(jti);
    const res = await get(`${ROUTE}?${leaQuery()}`, token);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().errors[0].code, '00105');
    assert.match(res.json().errors[0].detail, /https:\/\/particulier\.api\.gouv\.fr\/compte$/);
  });

  test('a revocation written to the database without a notice takes effect once the cache lifetime (2 s here) has passed', async () => {
    const token = await t.token();
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, token)).statusCode, 200);
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti as string;
    await new TokenRepository(t.database.db).revoke(jti, clock);
    // still cached: without a notice the bound is the cache lifetime, not zero
    assert.equal((await get(`${ROUTE}?${leaQuery({ nomUsage: 'X' })}`, token)).statusCode, 200);
    clock = new Date(clock.getTime() + 2001);
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, token)).json().errors[0].code, '00105');
  });

  test('a token both revoked and expired → 00103, whether its check was cached or not', async () => {
    // Tokens living 1 s, so that the cached check (2 s here) outlives the token.
    const issue = async (): Promise<{ token: string; jti: string }> => {
      const issued = await issueToken(
        { name: 'short', owner: 'x', scopes: ['complementaire_sante_solidaire'], modalities: ['identite'], expiresInSeconds: 1 },
        { repository: new TokenRepository(t.database.db), keyring: t.app.services.keyring, now: () => clock },
      );
      return { token: issued.token, jti: issued.record.jti };
    };
    const cached = await issue();
    const fresh = await issue();
    const repository = new TokenRepository(t.database.db);
    await repository.revoke(cached.jti, clock);
    await repository.revoke(fresh.jti, clock);
    // Revoked, not yet expired: 00105, and this check (with its revocation) is now cached.
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, cached.token)).json().errors[0].code, '00105');
    clock = new Date(clock.getTime() + 1000);
    for (const { token } of [cached, fresh]) {
      const res = await get(`${ROUTE}?${leaQuery()}`, token);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().errors[0].code, '00103');
    }
  });

  test('a future-dated revocation leaves the token valid until then', async () => {
    const token = await t.token();
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti as string;
    await t.app.services.tokens.revoke(jti, new Date(clock.getTime() + 3600_000));
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, token)).statusCode, 200);
    clock = new Date(clock.getTime() + 3600_000 + 1);
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, token)).json().errors[0].code, '00105');
  });
});

describe('authorisation', () => {
  test('a token without any scope of the route → 403 00100 pointing to /api/introspect', async () => {
    const { token } = await issueToken(
      { name: 'cnous', owner: 'x', scopes: ['cnous_email'], modalities: ['identite'], expiresInSeconds: 3600 },
      { repository: new TokenRepository(t.database.db), keyring: t.app.services.keyring, now: () => clock },
    );
    const res = await get(`${ROUTE}?${leaQuery()}`, token);
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.json(), {
      errors: [
        {
          code: '00100',
          title: 'Privilèges insuffisants',
          detail: 'Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /api/introspect',
          source: { parameter: 'token' },
          meta: {},
        },
      ],
    });
  });

  test('a token whose modalities exclude the route’s → 403 00100 naming the modality', async () => {
    const token = await t.token({ allScopes: true, modalities: ['ine', 'identifiant'] });
    const res = await get(`${ROUTE}?${leaQuery()}`, token);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().errors[0].code, '00100');
    assert.match(res.json().errors[0].detail, /modalité d'appel « identite »/);
  });
});

describe('validation (CONTRACT §1.2, §4.2)', () => {
  let token: string;
  before(async () => {
    token = await t.token();
  });

  test('no recipient → 422 00203 exactly as the contract words it (conformance check 1)', async () => {
    const res = await get(`${ROUTE}?${leaQuery().replace('recipient=13002526500013&', '')}`, token);
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), {
      errors: [{ code: '00203', title: 'Entité non traitable', detail: 'Le paramètre recipient est obligatoire', source: { parameter: 'recipient' }, meta: {} }],
    });
  });

  test('a recipient that is not a SIRET → 422 00210', async () => {
    for (const recipient of ['123', '13002526500014', 'abcdefghijklmn']) {
      const res = await get(`${ROUTE}?${leaQuery({ recipient })}`, token);
      assert.equal(res.statusCode, 422, recipient);
      assert.deepEqual(res.json().errors[0].source, { parameter: 'recipient' });
      assert.equal(res.json().errors[0].code, '00210');
    }
  });

  test('civility errors → 422 00366 with the faulty param, never its value', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ sexeEtatCivil: 'X' }, 'sexeEtatCivil'],
      [{ codeCogInseePaysNaissance: '100' }, 'codeCogInseePaysNaissance'],
      [{ anneeDateNaissance: 'mil neuf cent' }, 'anneeDateNaissance'],
      [{ moisDateNaissance: '13' }, 'moisDateNaissance'],
      [{ jourDateNaissance: '31', moisDateNaissance: '2' }, 'jourDateNaissance'],
      [{ anneeDateNaissance: '2099' }, 'anneeDateNaissance'],
    ];
    for (const [extra, parameter] of cases) {
      const res = await get(`${ROUTE}?${leaQuery(extra)}`, token);
      assert.equal(res.statusCode, 422, JSON.stringify(extra));
      const [error] = res.json().errors;
      assert.equal(error.code, '00366');
      assert.equal(error.title, 'Entité non traitable');
      assert.deepEqual(error.source, { parameter });
      for (const value of Object.values(extra)) assert.ok(!error.detail.includes(value), error.detail);
    }
  });

  test('prenoms[] takes 1 to 3 first names', async () => {
    const base = leaQuery().replace(/&prenoms%5B%5D=[^&]*/g, '');
    const none = await get(`${ROUTE}?${base}`, token);
    assert.equal(none.json().errors[0].source.parameter, 'prenoms[]');
    assert.match(none.json().errors[0].detail, /obligatoire/);
    const four = await get(`${ROUTE}?${base}&prenoms[]=A&prenoms[]=B&prenoms[]=C&prenoms[]=D`, token);
    assert.equal(four.statusCode, 422);
    assert.match(four.json().errors[0].detail, /au plus 3/);
  });

  test('birth-place rules: France needs a commune, abroad forbids one, the name needs its department and year', async () => {
    const noCommune = await get(`${ROUTE}?${leaQuery().replace(/&codeCogInseeCommuneNaissance=\d+/, '')}`, token);
    assert.equal(noCommune.statusCode, 422);
    assert.equal(noCommune.json().errors[0].source.parameter, 'codeCogInseeCommuneNaissance');

    const abroad = await get(`${ROUTE}?${leaQuery({ codeCogInseePaysNaissance: '99134' })}`, token);
    assert.equal(abroad.statusCode, 422);
    assert.equal(abroad.json().errors[0].source.parameter, 'codeCogInseeCommuneNaissance');

    const byName = leaQuery({ nomCommuneNaissance: 'Rennes' }).replace(/&codeCogInseeCommuneNaissance=\d+/, '');
    const missingDepartment = await get(`${ROUTE}?${byName}`, token);
    assert.equal(missingDepartment.statusCode, 422);
    assert.equal(missingDepartment.json().errors[0].source.parameter, 'codeCogInseeDepartementNaissance');

    const complete = await get(`${ROUTE}?${byName}&codeCogInseeDepartementNaissance=35`, token);
    assert.equal(complete.statusCode, 200);
  });

  test('several faulty params are all listed, recipient first', async () => {
    const res = await get(`${ROUTE}?sexeEtatCivil=Z&prenoms[]=A`, token);
    assert.equal(res.statusCode, 422);
    const params = res.json().errors.map((e: { source: { parameter: string } }) => e.source.parameter);
    assert.equal(params[0], 'recipient');
    assert.ok(params.includes('nomNaissance') && params.includes('sexeEtatCivil') && params.includes('codeCogInseePaysNaissance'), params.join());
  });

  test('authentication comes before validation: no token + bad params → 401', async () => {
    assert.equal((await get(`${ROUTE}?sexeEtatCivil=Z`)).statusCode, 401);
  });
});

describe('provider outcomes and the reply', () => {
  test('a matching case → 200 with the full envelope, echoed X-Request-Id', async () => {
    const token = await t.token();
    const res = await get(`${ROUTE}?${leaQuery()}`, token, { 'x-request-id': 'support-1234' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), OK_BODY);
    assert.equal(res.headers['x-request-id'], 'support-1234');
  });

  test('an unsafe X-Request-Id is replaced by a generated UUID', async () => {
    const res = await get('/api/ping', undefined, { 'x-request-id': 'evil\nid' });
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('a provider error case is answered as the provider said (404 40003 RNCPS)', async () => {
    const token = await t.token();
    const res = await get(`${ROUTE}?${leaQuery({ nomNaissance: 'ABSENT' })}`, token);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), NOT_FOUND);
  });

  test('no matching case → the generic example built from the response schema', async () => {
    const token = await t.token();
    const res = await get(`${ROUTE}?${leaQuery({ nomNaissance: 'INCONNU' })}`, token);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['data', 'links', 'meta']);
    assert.deepEqual(Object.keys(body.data).sort(), ['avec_participation', 'date_debut_droit', 'est_beneficiaire']);
  });

  test('unknown routes and methods get the envelope, not fastify’s default', async () => {
    const res = await get('/v3/nope');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().errors[0].code, '00404');
    const post = await t.app.server.inject({ method: 'POST', url: ROUTE, payload: 'x' });
    assert.equal(post.statusCode, 404);
    assert.equal(post.json().errors[0].code, '00404');
  });

  test('a request fastify rejects before routing (malformed URL) gets the envelope and is not echoed', async () => {
    const res = await get('/v3/dss/%E0%A4%A/identite?nomNaissance=ROCHEFORT');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().errors.map((e: { code: string }) => e.code), ['00400']);
    assert.ok(!res.body.includes('ROCHEFORT') && !res.body.includes('%E0'), res.body);
  });
});

describe('in-flight lock (CONTRACT §7)', () => {
  test('a second identical call while the first runs → 409 00015; other params or tokens are not blocked', async () => {
    const token = await t.token();
    blocking = true;
    release = undefined;
    const first = get(`${ROUTE}?${leaQuery()}`, token);
    while (release === undefined) await new Promise((resolve) => setImmediate(resolve));
    blocking = false;
    const second = await get(`${ROUTE}?${leaQuery()}`, token);
    assert.equal(second.statusCode, 409);
    assert.deepEqual(second.json(), {
      errors: [
        {
          code: '00015',
          title: 'Conflit',
          detail:
            "Une requête associé à votre jeton est déjà en cours de traitement pour ces paramètres. Veuillez attendre la fin du traitement avant d'effectuer une nouvelle requête.",
          source: null,
          meta: {},
        },
      ],
    });
    // the same params in another order are the same request
    const reordered = new URLSearchParams(leaQuery());
    reordered.sort();
    assert.equal((await get(`${ROUTE}?${reordered.toString()}`, token)).statusCode, 409);
    assert.equal((await get(`${ROUTE}?${leaQuery({ nomUsage: 'AUTRE' })}`, token)).statusCode, 200);
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, await t.token())).statusCode, 200);
    (release as unknown as () => void)();
    assert.equal((await first).statusCode, 200);
    assert.equal((await get(`${ROUTE}?${leaQuery()}`, token)).statusCode, 200);
    assert.equal(t.app.services.lock.size, 0);
  });
});

describe('journal (DESIGN §2.3)', () => {
  test('each call leaves one row with a pseudonym and no params; the pseudonym is stable per person', async () => {
    const token = await t.token();
    await get(`${ROUTE}?${leaQuery()}`, token, { 'x-request-id': 'journal-a' });
    await get(`${ROUTE}?${leaQuery({ recipient: '21750001600019' })}`, token, { 'x-request-id': 'journal-b' });
    await t.app.services.journal.drain();
    const rows = await t.database.db.selectFrom('access_journal').selectAll().where('request_id', 'in', ['journal-a', 'journal-b']).orderBy('id').execute();
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.status, 200);
    assert.equal(rows[0]?.recipient, '13002526500013');
    assert.equal(rows[1]?.recipient, '21750001600019');
    assert.equal(rows[0]?.route, ROUTE);
    assert.equal(rows[0]?.modality, 'identite');
    assert.ok(rows[0]?.person_pseudonym && rows[0].person_pseudonym === rows[1]?.person_pseudonym);
    assert.ok(!JSON.stringify(rows).includes('ROCHEFORT'));
  });
});
