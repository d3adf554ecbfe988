/**
 * Property tests (fast-check) over every v2 route, through the real app (issue 8): whatever the v2
 * query string and credentials, never a 5xx, and every error is in the v2 shape
 * `{error, reason, message}` (CONTRACT §4.4) with the deprecation headers; whatever the token's
 * scopes, a 200 carries no field outside the legacy v2 scope table (CONTRACT §3.2).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scopesOfTable } from '../src/core/mask.ts';
import { allScopes } from '../src/providers/index.ts';
import { v2Routes } from '../src/v2/register-v2-routes.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const RECIPIENT = '13002526500013';
const CAMILLE = 'nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateDeNaissance=1988&moisDateDeNaissance=3&jourDateDeNaissance=14&sexe=F&codePaysLieuDeNaissance=99100&codeInseeLieuDeNaissance=69123';

/** A valid v2 query per route (cast people), as the starting point of the one-param-replaced property. */
const SAMPLES: Record<string, string> = {
  '/api/v2/composition-familiale-v2': CAMILLE,
  '/api/v2/complementaire-sante-solidaire': CAMILLE,
  '/api/v2/allocation-adulte-handicape': 'nomNaissance=MORENO&prenoms[]=ELENA&anneeDateDeNaissance=1992&moisDateDeNaissance=5&jourDateDeNaissance=9&sexe=F&codePaysLieuDeNaissance=99134',
  '/api/v2/allocation-soutien-familial': CAMILLE,
  '/api/v2/prime-activite': CAMILLE,
  '/api/v2/revenu-solidarite-active': CAMILLE,
  '/api/v2/composition-familiale': 'numeroAllocataire=0123456&codePostal=69007',
  '/api/v2/scolarites': 'nom=PERRIN&prenom=LEO&sexe=M&dateNaissance=2012-09-05&codeEtablissement=0691234K&anneeScolaire=2025',
  '/api/v2/situations-pole-emploi': 'identifiant=claire.roussel',
  '/api/v2/paiements-pole-emploi': 'identifiant=marc.fontaine',
  '/api/v2/etudiants': 'ine=1203004567B',
  '/api/v2/etudiants-boursiers': 'ine=240612345YB',
};

const nastyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '99100', RECIPIENT, '2A004', 'M', 'F', 'm', '2025-2026', '1990-02-30', '0', '-1', '1e3', '2147483648', '%00', '\u0000', 'null', '[]', '__proto__'),
  fc.integer().map(String),
  fc.string({ minLength: 200, maxLength: 2000 }),
);

function assertV2(status: number, body: unknown, headers: Record<string, unknown>, context: string): void {
  assert.ok(status < 500, `5xx on ${context}: ${status} ${JSON.stringify(body)}`);
  assert.match(String(headers.deprecation), /^@\d+$/, context);
  if (status === 200) {
    assert.ok(typeof body === 'object' && body !== null && !Array.isArray(body), context);
    assert.ok(!('data' in body) && !('errors' in body), `${context}: a v2 body is flat`);
    return;
  }
  assert.deepEqual(Object.keys(body as object).sort(), ['error', 'message', 'reason'], `${context}: ${JSON.stringify(body)}`);
  for (const v of Object.values(body as object)) assert.equal(typeof v, 'string', context);
}

let t: TestApp;
let token: string;
before(async () => {
  t = await testApp({ overrides: { now: () => new Date('2026-11-23T12:00:00Z') } });
  token = await t.token();
});
after(async () => t.close());

const credentials = fc.oneof(
  fc.constant<'valid' | 'none' | 'garbage' | 'bearer-garbage' | 'fc'>('valid'),
  fc.constantFrom<'valid' | 'none' | 'garbage' | 'bearer-garbage' | 'fc'>('none', 'garbage', 'bearer-garbage', 'fc'),
);

function headersFor(kind: string): Record<string, string> {
  if (kind === 'valid') return { 'x-api-key': token };
  if (kind === 'garbage') return { 'x-api-key': 'not-a-jwt' };
  if (kind === 'bearer-garbage') return { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' };
  if (kind === 'fc') return { authorization: 'Bearer camille_c2s' };
  return {};
}

for (const route of v2Routes) {
  describe(route.path, () => {
    const names = [...Object.keys(route.params.properties), 'recipient', '__proto__', 'constructor', 'prenoms'];

    test('random query strings and credentials: never a 5xx, every error in the v2 shape', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), nastyValue), { maxLength: 12 }), credentials, async (pairs, kind) => {
          const q = new URLSearchParams();
          for (const [k, v] of pairs) q.append(k, v);
          const res = await t.app.server.inject({ url: `${route.path}?${q.toString()}`, headers: headersFor(kind) });
          assertV2(res.statusCode, res.json(), res.headers, `${route.path}?${q.toString()}`);
        }),
        { numRuns: 40 },
      );
    });

    test('a valid call with one param replaced: never a 5xx, every error in the v2 shape', async () => {
      const sample = SAMPLES[route.path];
      assert.ok(sample !== undefined, `no sample for ${route.path}`);
      const ok = await t.app.server.inject({ url: `${route.path}?${sample}`, headers: headersFor('valid') });
      assert.equal(ok.statusCode, 200, `the sample itself is valid: ${ok.body}`);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), nastyValue, async (name, value) => {
          const q = new URLSearchParams(sample);
          q.set(name, value);
          const res = await t.app.server.inject({ url: `${route.path}?${q.toString()}`, headers: headersFor('valid') });
          assertV2(res.statusCode, res.json(), res.headers, `${route.path}?${q.toString()}`);
        }),
        { numRuns: 40 },
      );
    });

    test('masking: a 200 carries only the top-level fields the held v2 scopes unlock', async () => {
      const known = new Set(allScopes());
      const scopes = scopesOfTable(route.masking).filter((s) => known.has(s));
      await fc.assert(
        fc.asyncProperty(fc.subarray(scopes, { minLength: 1 }), async (held) => {
          const { token: partial } = await t.app.services.tokens.create({ scopes: held });
          const res = await t.app.server.inject({ url: `${route.path}?${SAMPLES[route.path]}`, headers: { 'x-api-key': partial } });
          assert.equal(res.statusCode, 200, res.body);
          const allowed = new Set(
            Object.entries(route.masking)
              .filter(([scope]) => held.includes(scope))
              .flatMap(([, paths]) => paths.map((p) => p.split('.')[0])),
          );
          for (const key of Object.keys(res.json() as object)) assert.ok(allowed.has(key), `${key} leaked with scopes ${held.join(' ')}`);
        }),
        { numRuns: 12 },
      );
    });
  });
}
