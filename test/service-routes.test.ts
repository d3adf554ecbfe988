/** Introspection, health, ping and the generated OpenAPI document (issue 2 §7–8). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { testApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => t.close());

describe('GET /api/introspect', () => {
  test('lists the token’s id, scopes, modalities, expiry and callable routes (Bearer or X-Api-Key)', async () => {
    const { token, record } = await t.app.services.tokens.create({ scopes: ['complementaire_sante_solidaire'], modalities: ['identite'], name: 'CCAS' });
    for (const headers of [{ authorization: `Bearer ${token}` }, { 'x-api-key': token }]) {
      const res = await t.app.server.inject({ url: '/api/introspect', headers });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        _id: record.jti,
        name: 'CCAS',
        scopes: ['complementaire_sante_solidaire'],
        modalities: ['identite'],
        expires_at: record.expires_at,
        routes: ['/v3/dss/complementaire_sante_solidaire/identite'],
      });
    }
  });

  test('without a valid token → 401 00101', async () => {
    const res = await t.app.server.inject({ url: '/api/introspect' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().errors[0].code, '00101');
  });
});

describe('health and ping', () => {
  test('GET /healthz → 200 {status: ok} when the database answers', async () => {
    const res = await t.app.server.inject({ url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('GET /api/ping → "pong" without authentication (CONTRACT §7)', async () => {
    const res = await t.app.server.inject({ url: '/api/ping' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json(), 'pong');
  });
});

describe('OpenAPI document', () => {
  test('JSON at /v3/openapi.json and the same document as YAML at /api/open-api-v3.yml', async () => {
    const json = await t.app.server.inject({ url: '/v3/openapi.json' });
    const yaml = await t.app.server.inject({ url: '/api/open-api-v3.yml' });
    assert.equal(json.statusCode, 200);
    assert.equal(yaml.statusCode, 200);
    assert.match(String(yaml.headers['content-type']), /yaml/);
    assert.deepEqual(parse(yaml.body), json.json());
  });

  test('is OpenAPI 3.1 with every data route, its official operationId, params and error codes', async () => {
    const doc = (await t.app.server.inject({ url: '/v3/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    const op = doc.paths['/v3/dss/complementaire_sante_solidaire/identite'].get;
    assert.equal(op.operationId, 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility');
    const params = Object.fromEntries(op.parameters.map((p: { name: string; required?: boolean; in: string }) => [p.name, p]));
    assert.equal(params.recipient.required, true);
    assert.equal(params['prenoms[]'].required, true);
    assert.equal(params['prenoms[]'].schema.maxItems, 3);
    assert.equal(params.nomUsage.required, false);
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '401', '403', '404', '409', '422', '429', '502', '503', '504']);
    const codes422 = JSON.stringify(op.responses['422']);
    for (const code of ['00203', '00210', '00366']) assert.ok(codes422.includes(code), code);
    assert.ok(JSON.stringify(op.responses['404']).includes('40003'));
    const data = op.responses['200'].content['application/json'].schema.properties.data;
    assert.deepEqual(Object.keys(data.properties).sort(), ['avec_participation', 'date_debut_droit', 'est_beneficiaire']);
    assert.equal(doc.paths['/v3/dss/complementaire_sante_solidaire/france_connect'].get.operationId, 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_france_connect');
    assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/admin')), 'the admin API is not public');
    assert.ok(doc.components.securitySchemes.jwt_bearer_token);
  });

  test('interactive documentation at /docs', async () => {
    const res = await t.app.server.inject({ url: '/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /swagger/i);
  });
});
