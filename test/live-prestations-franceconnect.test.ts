/**
 * The citizen's FranceConnect token reaches the DSS "API des prestations" (issue 4 leftover 1,
 * docs/adr/0085-franceconnect-token-to-drivers.md): in live mode, with C2S and RSA on the
 * `dss_prestations` upstream, a call through FranceConnect — v3 or v2 — uses the published `/fc/`
 * form with `X-FranceConnect-Token`, and the simulator checks that token the way the DSS does, by
 * asking FranceConnect (the double's `checktoken`, as a second data provider). A call with civil
 * status keeps the civil-status form. The token is never logged, never journaled, never a key.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startFranceConnectDouble, type FranceConnectDouble } from '../simulators/franceconnect/start-franceconnect-double.ts';
import { startSimulators, type RunningSimulators } from '../simulators/start-simulators.ts';
import { RECIPIENT, UNLIMITED } from './helpers/live-apps.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const SP = 'fs-prestations';
const C2S_FC = `/v3/dss/complementaire_sante_solidaire/france_connect?recipient=${RECIPIENT}`;
const RSA_FC = `/v3/dss/revenu_solidarite_active/france_connect?recipient=${RECIPIENT}`;
const C2S_V2 = `/api/v2/complementaire-sante-solidaire?recipient=${RECIPIENT}`;
const C2S_IDENTITE = `/v3/dss/complementaire_sante_solidaire/identite?recipient=${RECIPIENT}&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123`;
const UNKNOWN_DETAIL = "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.";
const C2S_SCOPE = 'openid identite_pivot complementaire_sante_solidaire';
const RSA_SCOPE = 'openid identite_pivot revenu_solidarite_active';

let fc: FranceConnectDouble;
let sims: RunningSimulators;
let gateway: TestApp;
let apiToken: string;
const logLines: string[] = [];
const issued: string[] = [];

before(async () => {
  fc = await startFranceConnectDouble({});
  sims = await startSimulators({ gateway: { c2sRsaUpstream: 'prestations', retries: 0 }, franceConnect: fc.registerDataProvider('dss-prestations-double') });
  gateway = await testApp({
    env: { ...sims.env, ...UNLIMITED, ...fc.gatewayEnv, FRANCECONNECT_JWKS_COOLDOWN_MS: '0', LOG_LEVEL: 'trace' },
    overrides: { logger: true, logStream: { write: (line: string) => void logLines.push(line) } },
  });
  await gateway.app.services.tokens.create({ scopes: ['complementaire_sante_solidaire', 'revenu_solidarite_active'], fcClientIds: [SP], name: 'FS prestations' });
  apiToken = await gateway.token({ scopes: ['complementaire_sante_solidaire'] });
});

after(async () => {
  await gateway?.close();
  await sims?.close();
  await fc?.close();
});

function citizenToken(person: string, scope = C2S_SCOPE, ttlSeconds?: number): string {
  const token = fc.issueAccessToken({ person, clientId: SP, scope, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) });
  issued.push(token);
  return token;
}

async function call(url: string, bearer: string, headers: Record<string, string> = {}) {
  const res = await gateway.app.server.inject({ url, headers: { authorization: `Bearer ${bearer}`, 'cache-control': 'no-cache', ...headers } });
  return { status: res.statusCode, headers: res.headers, body: res.json() as unknown, requestId: String(res.headers['x-request-id']) };
}

/** Requests the prestations simulator and FranceConnect saw during `run`. */
async function observe<T>(run: () => Promise<T>): Promise<{ result: T; prestations: number; cnav: number; checktoken: number }> {
  const prestations = sims.simulators.get('dss_prestations');
  const cnav = sims.simulators.get('dss');
  assert.ok(prestations !== undefined && cnav !== undefined);
  // Data requests only: the OAuth2 token fetches reach the same simulators.
  const requests = (sim: typeof prestations) => sim.stats.requests - sim.stats.tokensIssued;
  const before = { prestations: requests(prestations), cnav: requests(cnav), checktoken: fc.stats.checktoken };
  const result = await run();
  return { result, prestations: requests(prestations) - before.prestations, cnav: requests(cnav) - before.cnav, checktoken: fc.stats.checktoken - before.checktoken };
}

async function journalRow(requestId: string) {
  await gateway.app.services.journal.drain();
  return gateway.database.db
    .selectFrom('access_journal')
    .select(['route', 'modality', 'status', 'error_code', 'recipient', 'fc_sub_pseudonym'])
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

describe('a FranceConnect call uses the /fc/ form, checked by the DSS at FranceConnect', () => {
  test('v3 C2S: 200 from /prestations/v1/fc/CSS; the gateway and the DSS each asked FranceConnect once', async () => {
    const seen = await observe(() => call(C2S_FC, citizenToken('camille_c2s')));
    assert.equal(seen.result.status, 200, JSON.stringify(seen.result.body));
    assert.deepEqual(seen.result.body, { data: { est_beneficiaire: true, avec_participation: null, date_debut_droit: null }, links: {}, meta: {} });
    assert.deepEqual({ prestations: seen.prestations, cnav: seen.cnav, checktoken: seen.checktoken }, { prestations: 1, cnav: 0, checktoken: 2 });
    const row = await journalRow(seen.result.requestId);
    assert.equal(row?.modality, 'france_connect');
    assert.equal(row?.status, 200);
    assert.ok(row?.fc_sub_pseudonym);
  });

  test('v3 RSA: a beneficiary, and a person the DSS does not know → 404 35003', async () => {
    const julien = await observe(() => call(RSA_FC, citizenToken('julien_morel', RSA_SCOPE)));
    assert.equal(julien.result.status, 200, JSON.stringify(julien.result.body));
    // `avec_majoration` needs its own scope, which this service provider lacks.
    assert.deepEqual(julien.result.body, { data: { est_beneficiaire: true, date_debut_droit: null }, links: {}, meta: {} });
    assert.equal(julien.checktoken, 2);
    const thierry = await call(RSA_FC, citizenToken('thierry_inconnu', RSA_SCOPE));
    assert.equal(thierry.status, 404);
    assert.deepEqual(thierry.body, {
      errors: [{ code: '35003', title: 'Allocataire non référencé', detail: "L'allocataire n'est pas référencé auprès des caisses éligibles", source: null, meta: { provider: 'CNAF & MSA' } }],
    });
  });

  test('v2 C2S with the citizen’s token goes through the same /fc/ form', async () => {
    const seen = await observe(() => call(C2S_V2, citizenToken('camille_c2s')));
    assert.equal(seen.result.status, 200, JSON.stringify(seen.result.body));
    assert.deepEqual(seen.result.body, { status: 'beneficiaire_sans_participation_financiere', dateDebut: null, dateFin: null });
    assert.deepEqual({ prestations: seen.prestations, checktoken: seen.checktoken }, { prestations: 1, checktoken: 2 });
    assert.equal((await journalRow(seen.result.requestId))?.modality, 'france_connect');
  });

  test('a call with civil status keeps the civil-status form: nobody asks FranceConnect', async () => {
    const seen = await observe(() => call(C2S_IDENTITE, apiToken));
    assert.equal(seen.result.status, 200, JSON.stringify(seen.result.body));
    assert.deepEqual(seen.result.body, { data: { est_beneficiaire: true, avec_participation: null, date_debut_droit: null }, links: {}, meta: {} });
    assert.deepEqual({ prestations: seen.prestations, checktoken: seen.checktoken }, { prestations: 1, checktoken: 0 });
  });
});

describe('a token the DSS refuses', () => {
  test('expired between the gateway’s check and the DSS’s: the DSS answers its 403, the gateway 502 37999, journaled', async () => {
    const token = citizenToken('camille_c2s', C2S_SCOPE, 60);
    const first = await call(C2S_FC, token);
    assert.equal(first.status, 200, 'the gateway checks the token and keeps the answer until its exp');
    const citizen = (await journalRow(first.requestId))?.fc_sub_pseudonym;
    assert.ok(typeof citizen === 'string' && citizen !== '');
    fc.advanceClock(120_000);
    try {
      const seen = await observe(() => call(C2S_FC, token));
      assert.deepEqual({ prestations: seen.prestations, checktoken: seen.checktoken }, { prestations: 1, checktoken: 1 }, 'only the DSS asked FranceConnect');
      const got = seen.result;
      assert.equal(got.status, 502);
      assert.deepEqual(got.body, {
        errors: [
          {
            code: '37999',
            title: 'Erreur inconnue du fournisseur de données',
            detail: UNKNOWN_DETAIL,
            source: null,
            meta: { provider: 'CNAV' },
          },
        ],
      });
      assert.doesNotMatch(JSON.stringify(got.body), /40302|Jeton FranceConnect invalide/);
      assert.deepEqual(await journalRow(got.requestId), {
        route: '/v3/dss/complementaire_sante_solidaire/france_connect',
        modality: 'france_connect',
        status: 502,
        error_code: '37999',
        recipient: RECIPIENT,
        fc_sub_pseudonym: citizen,
      });
      assert.equal(gateway.app.services.liveHealth().find((h) => h.provider === 'dss_prestations')?.breaker, 'closed');
    } finally {
      fc.advanceClock(-120_000);
    }
  });

  test('FranceConnect unavailable to the DSS: the DSS answers its 500, the gateway 502 37999', async () => {
    const token = citizenToken('camille_c2s');
    assert.equal((await call(C2S_FC, token)).status, 200);
    fc.setFault('unavailable');
    try {
      const got = await call(C2S_FC, token);
      assert.equal(got.status, 502);
      assert.deepEqual(got.body, { errors: [{ code: '37999', title: 'Erreur inconnue du fournisseur de données', detail: UNKNOWN_DETAIL, source: null, meta: { provider: 'CNAV' } }] });
    } finally {
      fc.setFault(undefined);
    }
  });
});

describe('the token is a credential, not data', () => {
  test('two tokens of one citizen share the cached answer: the token is not part of the cache key', async () => {
    const first = await gateway.app.server.inject({ url: C2S_FC, headers: { authorization: `Bearer ${citizenToken('marc_non_beneficiaire')}` } });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers['x-response-cached'], 'false');
    const second = await gateway.app.server.inject({ url: C2S_FC, headers: { authorization: `Bearer ${citizenToken('marc_non_beneficiaire')}` } });
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.headers['x-response-cached'], 'true');
    assert.deepEqual(second.json(), first.json());
  });

  test('no access token issued in this file appears in the logs (trace level) or in the journal', async () => {
    assert.ok(issued.length >= 8 && logLines.length > 0);
    const log = logLines.join('');
    await gateway.app.services.journal.drain();
    const rows = await sql<Record<string, unknown>>`select * from access_journal`.execute(gateway.database.db);
    assert.ok(rows.rows.length >= 8);
    const journal = JSON.stringify(rows.rows);
    for (const token of issued) {
      assert.ok(!log.includes(token), 'a FranceConnect token reached the logs');
      assert.ok(!journal.includes(token), 'a FranceConnect token reached the journal');
    }
  });
});
