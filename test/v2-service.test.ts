/**
 * Issue 8: what a v2 client sees around the data routes — introspection and ping with `X-Api-Key`,
 * the v2 error shapes for credentials and privileges, the retired DGFIP routes (410), the deprecation
 * headers and the migration guide they link to, the v2 routes in the generated OpenAPI document, and
 * the journal rows of v2 calls.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { RETIRED_DGFIP_PATHS, v2Routes } from '../src/v2/register-v2-routes.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const ACCESS_DENIED = { error: 'access_denied', reason: 'Token not found or inactive', message: "Votre jeton d'API n'a pas été trouvé ou n'est pas actif" };
const CAMILLE_V2 = 'nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateDeNaissance=1988&moisDateDeNaissance=3&jourDateDeNaissance=14&sexe=F&codePaysLieuDeNaissance=99100&codeInseeLieuDeNaissance=69123';
const CAMILLE_V3 = 'nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
const RECIPIENT = '13002526500013';

let t: TestApp;
before(async () => {
  t = await testApp({ overrides: { now: () => new Date('2026-11-23T12:00:00Z') } });
});
after(async () => t.close());

describe('v2 credentials and privileges', () => {
  test('/api/introspect with X-Api-Key: {_id, name, scopes}; a bad key gets the v2 401 body, a missing one the v3 401', async () => {
    const { token, record } = await t.app.services.tokens.create({ scopes: ['complementaire_sante_solidaire'], name: 'CCAS' });
    const ok = await t.app.server.inject({ url: '/api/introspect', headers: { 'x-api-key': token } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json()._id, record.jti);
    assert.deepEqual(ok.json().scopes, ['complementaire_sante_solidaire']);
    const bad = await t.app.server.inject({ url: '/api/introspect', headers: { 'x-api-key': `${token}x` } });
    assert.equal(bad.statusCode, 401);
    assert.deepEqual(bad.json(), ACCESS_DENIED);
    const none = await t.app.server.inject({ url: '/api/introspect' });
    assert.equal(none.json().errors[0].code, '00101');
  });

  test('data route: no key, a bad key, an expired or revoked token → the v2 401 body', async () => {
    const { token, record } = await t.app.services.tokens.create({ allScopes: true });
    await t.app.services.tokens.revoke(record.jti);
    for (const headers of [{}, { 'x-api-key': 'nope' }, { 'x-api-key': token }]) {
      const res = await t.app.server.inject({ url: `/api/v2/complementaire-sante-solidaire?${CAMILLE_V2}`, headers });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), ACCESS_DENIED);
    }
  });

  test('a token without the route’s v2 scopes → 403 access_denied pointing to /api/introspect', async () => {
    const { token } = await t.app.services.tokens.create({ scopes: ['cnous_email'] });
    const res = await t.app.server.inject({ url: `/api/v2/complementaire-sante-solidaire?${CAMILLE_V2}`, headers: { 'x-api-key': token } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error, 'access_denied');
    assert.match(res.json().message, /\/api\/introspect/);
  });

  test('masking: prime d’activité without the majoration scope has no `majoration` key', async () => {
    const { token } = await t.app.services.tokens.create({ scopes: ['prime_activite'] });
    const res = await t.app.server.inject({ url: `/api/v2/prime-activite?${CAMILLE_V2}`, headers: { 'x-api-key': token } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(Object.keys(res.json()).sort(), ['dateDebut', 'dateFin', 'status']);
  });

  test('provider errors in the v2 shape: 404 not_found, 502 → 503 data_provider_error, timeout → 504 timeout_error', async () => {
    const token = await t.token();
    const who = (nom: string, prenom: string, y: string, m: string, d: string, sexe: string, commune: string) =>
      `/api/v2/complementaire-sante-solidaire?nomNaissance=${nom}&prenoms[]=${prenom}&anneeDateDeNaissance=${y}&moisDateDeNaissance=${m}&jourDateDeNaissance=${d}&sexe=${sexe}&codePaysLieuDeNaissance=99100&codeInseeLieuDeNaissance=${commune}`;
    const cases: Array<[string, number, string]> = [
      [who('LAMBERT', 'THIERRY', '1960', '2', '29', 'M', '21231'), 404, 'not_found'],
      [who('CHEVALIER', 'NATHALIE', '1972', '12', '17', 'F', '13055'), 503, 'data_provider_error'],
      [who('ROBIN', 'PASCAL', '1965', '4', '8', 'M', '67482'), 504, 'timeout_error'],
    ];
    for (const [url, status, error] of cases) {
      const res = await t.app.server.inject({ url, headers: { 'x-api-key': token } });
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error, error);
      assert.match(res.json().reason, /^\d{5} /);
    }
  });
});

describe('deprecation made visible', () => {
  test('every v2 route answers Deprecation, Sunset and a Link to its v3 successor and to the guide, errors included', async () => {
    for (const route of v2Routes) {
      const res = await t.app.server.inject({ url: route.path });
      assert.match(String(res.headers.deprecation), /^@\d+$/, route.path);
      assert.ok(!Number.isNaN(Date.parse(String(res.headers.sunset))), route.path);
      const link = String(res.headers.link);
      for (const successor of route.successors) assert.ok(link.includes(`<${successor}>; rel="successor-version"`), `${route.path}: ${link}`);
      assert.ok(link.includes('</api/v2/guide-migration>; rel="deprecation"'), link);
    }
  });

  test('the migration guide is served as Markdown', async () => {
    const res = await t.app.server.inject({ url: '/api/v2/guide-migration' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/markdown/);
    for (const route of v2Routes) assert.ok(res.body.includes(route.path), `the guide covers ${route.path}`);
  });

  test('retired DGFIP routes → 410 pointing to API Impôt Particulier', async () => {
    for (const url of RETIRED_DGFIP_PATHS) {
      const res = await t.app.server.inject({ url: `${url}?numeroFiscal=1234567890123&referenceAvis=1234567890123` });
      assert.equal(res.statusCode, 410, url);
      assert.equal(res.json().error, 'gone');
      assert.match(res.json().message, /Impôt Particulier/);
      assert.match(res.json().reason, /30\/06\/2023/);
    }
  });

  test('/api/ping and the deprecated /api/caf/ping answer "pong" without authentication', async () => {
    for (const url of ['/api/ping', '/api/caf/ping']) {
      const res = await t.app.server.inject({ url });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json(), 'pong');
    }
  });

  test('the generated OpenAPI document lists every v2 route, deprecated, under its own tag', async () => {
    const doc = (await t.app.server.inject({ url: '/v3/openapi.json' })).json();
    for (const route of v2Routes) {
      const op = doc.paths[route.path]?.get;
      assert.ok(op !== undefined, `${route.path} is documented`);
      assert.equal(op.deprecated, true);
      assert.equal(op.operationId, route.operationId);
      assert.ok(op.parameters.some((p: { name: string; in: string }) => p.name === 'x-api-key' && p.in === 'header'));
    }
  });
});

describe('journal', () => {
  test('a v2 call is journaled under its v2 path, with the same person pseudonym as the v3 call', async () => {
    const token = await t.token();
    const v2 = await t.app.server.inject({ url: `/api/v2/complementaire-sante-solidaire?${CAMILLE_V2}&recipient=${RECIPIENT}`, headers: { 'x-api-key': token, 'x-request-id': 'v2-journal-1' } });
    const v3 = await t.app.server.inject({ url: `/v3/dss/complementaire_sante_solidaire/identite?${CAMILLE_V3}&recipient=${RECIPIENT}`, headers: { authorization: `Bearer ${token}`, 'x-request-id': 'v3-journal-1' } });
    assert.equal(v2.statusCode, 200);
    assert.equal(v3.statusCode, 200);
    await t.app.services.journal.drain();
    const rows = await sql<{ request_id: string; route: string; operation_id: string; recipient: string; status: number; person_pseudonym: string }>`
      select request_id, route, operation_id, recipient, status, person_pseudonym from access_journal where request_id in ('v2-journal-1', 'v3-journal-1') order by request_id`.execute(t.database.db);
    const [row2, row3] = rows.rows;
    assert.equal(row2?.route, '/api/v2/complementaire-sante-solidaire');
    assert.equal(row2?.operation_id, 'api_particulier_v2_cnav_complementaire_sante_solidaire');
    assert.equal(row2?.recipient, RECIPIENT);
    assert.equal(row2?.status, 200);
    assert.equal(row3?.route, '/v3/dss/complementaire_sante_solidaire/identite');
    assert.ok(row2?.person_pseudonym);
    assert.equal(row2?.person_pseudonym, row3?.person_pseudonym);
  });
});
