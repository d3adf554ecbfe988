/**
 * The registry against the contract (STYLE §1): what every provider must satisfy, checked for all of
 * them at once so a new provider cannot forget a piece.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { TSchema } from 'typebox';
import { scopesOfTable } from '../src/core/mask.ts';
import { allEndpoints, providers } from '../src/providers/index.ts';
import { loadCaseDirectories, type LoadReport } from '../src/sandbox/load-cases.ts';
import { OWN_CASES_DIR } from '../src/sandbox/sandbox-driver.ts';

const OA3 = path.resolve(import.meta.dirname, '../../shared/contract/openapi/api_particulier_v3.yaml');

/** Routes whose contract documents no 404 (CONTRACT §1.4: Cnous v4). */
const NO_404 = new Set(['/v4/cnous/etudiant_boursier/identite', '/v4/cnous/etudiant_boursier/france_connect', '/v4/cnous/etudiant_boursier/ine']);

function topLevelKeys(schema: TSchema): string[] {
  return Object.keys((schema as { properties?: Record<string, unknown> }).properties ?? {});
}

let cases: LoadReport;
before(async () => {
  cases = await loadCaseDirectories([...providers.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : [])), OWN_CASES_DIR]);
});

describe('every provider', () => {
  for (const provider of providers) {
    test(`${provider.id}: scopes have a label and unlock at least one field`, () => {
      const used = new Set(provider.endpoints.flatMap((e) => scopesOfTable(e.masking)));
      for (const [scope, definition] of Object.entries(provider.scopes)) {
        assert.ok(definition.label.trim().length > 0, `${scope} has no label`);
        assert.ok(used.has(scope), `${scope} unlocks no field of any route`);
      }
    });
  }
});

describe('every endpoint', () => {
  test('paths and operationIds are unique', () => {
    const endpoints = allEndpoints().map((e) => e.endpoint);
    assert.equal(new Set(endpoints.map((e) => e.path)).size, endpoints.length);
    assert.equal(new Set(endpoints.map((e) => e.operationId)).size, endpoints.length);
  });

  for (const { provider, endpoint } of allEndpoints()) {
    describe(endpoint.path, () => {
      test('the modality is the last path segment and the operationId follows the official pattern', () => {
        assert.equal(endpoint.path.split('/').at(-1), endpoint.modality);
        const suffix = { identite: 'civility', france_connect: 'france_connect', ine: 'ine', identifiant: 'identifiant' }[endpoint.modality];
        assert.match(endpoint.operationId, new RegExp(`^api_particulier_v[34]_[a-z_]+_with_${suffix}$`));
      });

      test('every masking path exists in the data schema and every data field is unlocked by a scope', () => {
        const keys = topLevelKeys(endpoint.data);
        const unlocked = new Set(Object.values(endpoint.masking).flatMap((paths) => paths.map((p) => p.split('.')[0])));
        for (const key of unlocked) assert.ok(keys.includes(key as string), `masking names ${key}, absent from data`);
        for (const key of keys) assert.ok(unlocked.has(key), `data.${key} is unlocked by no scope: it would never leave`);
        for (const scope of scopesOfTable(endpoint.masking)) assert.ok(scope in provider.scopes, `${scope} not declared`);
      });

      test('the 422 code of its params is a 422', () => {
        assert.equal(endpoint.paramError('x').status, 422);
      });

      test('provider errors carry the provider code pattern (or a gateway outcome code such as 00391)', () => {
        for (const error of endpoint.providerErrors) assert.match(error.code, /^(\d{2}(001|002|003|004|008|999)|00\d{3})$/);
      });

      test('the sandbox has a 200 case, a 429 case and, where the contract has one, a 404 case', () => {
        const own = cases.cases.get(endpoint.operationId) ?? [];
        assert.ok(own.some((c) => c.status === 200), `no 200 case in ${endpoint.operationId}`);
        if (!NO_404.has(endpoint.path)) assert.ok(own.some((c) => c.status === 404), `no 404 case in ${endpoint.operationId}`);
        assert.ok(own.some((c) => c.status === 429), `no 429 case in ${endpoint.operationId}`);
      });
    });
  }
});

describe('against the official OpenAPI file', { skip: existsSync(OA3) ? false : 'shared/ is absent: outside CI' }, () => {
  test('each registered official route has the official operationId', () => {
    const doc = parse(readFileSync(OA3, 'utf8')) as { paths: Record<string, { get: { responses: Record<string, { 'x-operationId'?: string }> } }> };
    for (const { endpoint } of allEndpoints()) {
      const official = doc.paths[endpoint.path];
      if (official === undefined) {
        assert.ok(endpoint.path.startsWith('/v3/cnam/'), `${endpoint.path} is neither official nor the CNAM API`);
        continue;
      }
      assert.equal(official.get.responses['200']?.['x-operationId'], endpoint.operationId, endpoint.path);
    }
  });
});
