/**
 * Every provider's shipped sandbox cases against its own declarations, checked once for the whole
 * registry (was copied per provider): they load without problems, describe themselves with a
 * `## Title`, a 200 matches the route's data (and meta) schema, an error is exactly one of the errors
 * the route documents — title, detail, `source: null` and `meta.provider` — and each case of a route
 * taking query params is reached by the request its params describe, once validated by the gateway.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { documentedErrors } from '../src/core/endpoint.ts';
import { ApiError } from '../src/core/errors.ts';
import { compileParamsValidator, querySchema, type ParamsValidator } from '../src/gateway/validate-params.ts';
import type { EndpointDefinition } from '../src/core/endpoint.ts';
import { providers } from '../src/providers/index.ts';
import { loadCaseDirectories, type LoadReport } from '../src/sandbox/load-cases.ts';
import { matchCase } from '../src/sandbox/match-case.ts';

/** Date-relative rules (QF history window) are judged on the day the cases were last reviewed. */
const CASES_CLOCK = new Date('2026-11-23T12:00:00Z');

function queryOf(params: Record<string, unknown>): Record<string, unknown> {
  const query: Record<string, unknown> = { recipient: '13002526500013' };
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) query[`${key}[]`] = value.map(String);
    else query[key] = String(value);
  }
  return query;
}

/**
 * Validates a case's params as a query. A case may leave out params it does not depend on (MEN error
 * cases answer whatever the perimeter): each param the gateway then asks for gets its documented example.
 */
function validCall(endpoint: EndpointDefinition, validate: ParamsValidator, params: Record<string, unknown>): Record<string, unknown> {
  const query = queryOf(params);
  const properties = querySchema(endpoint).properties as Record<string, { examples?: unknown[] }>;
  // Schema problems come first, cross-field rules only once the schema passes: a few rounds suffice.
  for (let round = 0; ; round += 1) {
    try {
      return validate(query);
    } catch (error) {
      if (!(error instanceof ApiError) || round === 3) throw error;
      const missing = error.items.map((item) => item.source?.parameter).filter((name): name is string => name !== undefined && !(name in query));
      if (missing.length === 0) throw error;
      for (const name of missing) query[name] = properties[name]?.examples?.[0];
    }
  }
}

for (const provider of providers) {
  describe(`${provider.id} shipped cases`, () => {
    let report: LoadReport;
    before(async () => {
      report = await loadCaseDirectories(provider.sandboxCasesDir === undefined ? [] : [provider.sandboxCasesDir]);
    });

    test('load without problems, and every body says what the route declares', () => {
      assert.deepEqual(report.problems, []);
      const providerOf = provider.providerNameOfCode ?? (() => provider.name);
      for (const endpoint of provider.endpoints) {
        const cases = report.cases.get(endpoint.operationId) ?? [];
        const checkData = Compile(endpoint.data);
        const checkMeta = endpoint.meta === undefined ? undefined : Compile(endpoint.meta);
        for (const c of cases) {
          assert.match(c.description, /^## \S/, c.file);
          const body = c.body as { data?: unknown; links?: unknown; meta?: unknown; errors?: Array<{ code: string; title: string; detail: string }> };
          if (c.status === 200) {
            assert.deepEqual(body.links, {}, c.file);
            assert.ok(checkData.Check(body.data), `${c.file}: ${JSON.stringify([...checkData.Errors(body.data)].slice(0, 3))}`);
            if (checkMeta) assert.ok(checkMeta.Check(body.meta), `${c.file}: meta`);
            else assert.deepEqual(body.meta, {}, c.file);
            continue;
          }
          const item = body.errors?.[0];
          const declared = documentedErrors(endpoint).find(
            (e) => e.code === item?.code && e.status === c.status && e.title === item.title && e.detail === item.detail,
          );
          assert.ok(declared, `${c.file}: ${item?.code} (${item?.title}) is not an error ${endpoint.path} documents`);
          const meta = declared.code.startsWith('00') ? {} : { provider: providerOf(declared.code) };
          assert.deepEqual(body, { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta }] }, c.file);
        }
      }
    });

    test('each case of a route with query params is reached by the request its params describe', () => {
      for (const endpoint of provider.endpoints.filter((e) => e.modality !== 'france_connect')) {
        const cases = report.cases.get(endpoint.operationId) ?? [];
        const validate = compileParamsValidator(endpoint, () => CASES_CLOCK);
        for (const c of cases) assert.equal(matchCase(cases, validCall(endpoint, validate, c.params)), c, c.file);
      }
    });
  });
}
