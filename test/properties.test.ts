/**
 * Property tests (fast-check) through the real app: whatever the query string, the gateway never
 * answers 5xx and every error is in the contract's envelope; whatever the token's scopes, no field
 * outside them leaves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EndpointDefinition } from '../src/core/endpoint.ts';
import { defineProvider } from '../src/core/endpoint.ts';
import { c2sIdentite } from '../src/providers/dss/complementaire-sante-solidaire.ts';
import { dss } from '../src/providers/dss/manifest.ts';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

function assertEnvelope(status: number, body: unknown): void {
  assert.ok(status < 500, `5xx: ${status} ${JSON.stringify(body)}`);
  const b = body as Record<string, unknown>;
  if (status === 200) {
    assert.deepEqual(Object.keys(b).sort(), ['data', 'links', 'meta']);
    return;
  }
  assert.ok(Array.isArray(b.errors) && b.errors.length > 0, JSON.stringify(body));
  for (const item of b.errors as Array<Record<string, unknown>>) {
    assert.deepEqual(Object.keys(item).sort(), ['code', 'detail', 'meta', 'source', 'title']);
    assert.match(String(item.code), /^\d{5}$/);
  }
}

const PARAM_NAMES = [
  'recipient',
  'nomNaissance',
  'nomUsage',
  'prenoms[]',
  'anneeDateNaissance',
  'moisDateNaissance',
  'jourDateNaissance',
  'sexeEtatCivil',
  'codeCogInseePaysNaissance',
  'codeCogInseeCommuneNaissance',
  'nomCommuneNaissance',
  'codeCogInseeDepartementNaissance',
  '__proto__',
  'constructor',
  'prenoms',
];

const nastyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '99100', '13002526500013', '2A004', 'M', 'F', '0', '-1', '1e3', '2147483648', '%00', '\u0000', 'null', '[]', '{}'),
  fc.integer().map(String),
  fc.string({ minLength: 200, maxLength: 5000 }),
);

const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.string({ maxLength: 20 })), nastyValue), { maxLength: 20 })
  .map((pairs) => {
    const q = new URLSearchParams();
    for (const [k, v] of pairs) q.append(k, v);
    return q.toString();
  });

describe('C2S params: never a 5xx, always the envelope', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp();
    token = await t.token();
  });
  after(async () => t.close());

  test('random query strings (unicode, overlong, repeated keys, __proto__)', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, async (query) => {
        const res = await t.app.server.inject({ url: `${c2sIdentite.path}?${query}`, headers: { authorization: `Bearer ${token}` } });
        assertEnvelope(res.statusCode, res.json());
      }),
      { numRuns: 300 },
    );
  });

  test('one valid person with one param mutated', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PARAM_NAMES), nastyValue, async (name, value) => {
        const q = new URLSearchParams(leaQuery());
        q.set(name, value);
        const res = await t.app.server.inject({ url: `${c2sIdentite.path}?${q.toString()}`, headers: { authorization: `Bearer ${token}` } });
        assertEnvelope(res.statusCode, res.json());
      }),
      { numRuns: 300 },
    );
  });
});

describe('masking through the whole pipeline', () => {
  // A provider whose one route splits the C2S answer across three scopes, to exercise masking.
  const split: EndpointDefinition = {
    ...c2sIdentite,
    path: '/v3/test/c2s_split/identite',
    masking: { s_status: ['est_beneficiaire'], s_participation: ['avec_participation'], s_date: ['date_debut_droit'] },
  };
  const registry = [
    dss,
    defineProvider({
      id: 'test',
      name: 'TEST',
      scopes: { s_status: { label: 'statut' }, s_participation: { label: 'participation' }, s_date: { label: 'date' } },
      endpoints: [split],
    }),
  ];
  let t: TestApp;
  before(async () => {
    const cases = writeCaseDir([
      {
        operationId: C2S_IDENTITE,
        file: 'lea.yaml',
        params: LEA,
        status: 200,
        body: { data: { est_beneficiaire: true, avec_participation: true, date_debut_droit: '2024-01-01' }, links: {}, meta: {} },
      },
    ]);
    t = await testApp({ env: { SANDBOX_DATA_DIRS: cases }, overrides: { providers: registry } });
  });
  after(async () => t.close());

  test('a 200 carries exactly the fields the token’s scopes unlock; no scope of the route → 403', async () => {
    const paths = split.masking;
    await fc.assert(
      fc.asyncProperty(fc.subarray(['s_status', 's_participation', 's_date', 'complementaire_sante_solidaire']), async (scopes) => {
        fc.pre(scopes.length > 0);
        const { token } = await t.app.services.tokens.create({ scopes });
        const res = await t.app.server.inject({ url: `${split.path}?${leaQuery()}`, headers: { authorization: `Bearer ${token}` } });
        const expected = scopes.flatMap((s) => paths[s] ?? []).sort();
        if (expected.length === 0) {
          assert.equal(res.statusCode, 403);
          return;
        }
        assert.equal(res.statusCode, 200);
        assert.deepEqual(Object.keys(res.json().data).sort(), expected);
      }),
      { numRuns: 40 },
    );
  });
});
