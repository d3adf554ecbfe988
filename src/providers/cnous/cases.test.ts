/**
 * The Cnous sandbox cases (CONTRACT §6): they load, each describes itself with a `## Title`, each
 * 200 matches its route's data schema, each error is the contract envelope with a code the route
 * declares, and each identite/INE case is reached by the request its params describe.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { compileParamsValidator } from '../../gateway/validate-params.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { matchCase } from '../../sandbox/match-case.ts';
import { cnous } from './manifest.ts';
import { documentedErrors } from '../../core/endpoint.ts';

let report: LoadReport;
before(async () => {
  report = await loadCaseDirectories([cnous.sandboxCasesDir as string]);
});

function queryOf(params: Record<string, unknown>): Record<string, unknown> {
  const query: Record<string, unknown> = { recipient: '13002526500013' };
  for (const [key, value] of Object.entries(params)) query[Array.isArray(value) ? `${key}[]` : key] = Array.isArray(value) ? value.map(String) : String(value);
  return query;
}

test('Cnous cases: load cleanly, one folder per route, bodies as the contract says', () => {
  assert.deepEqual(report.problems, []);
  for (const endpoint of cnous.endpoints) {
    const cases = report.cases.get(endpoint.operationId) ?? [];
    assert.ok(cases.length >= 3, endpoint.operationId);
    const checkData = Compile(endpoint.data);
    const validate = endpoint.modality === 'france_connect' ? undefined : compileParamsValidator(endpoint);
    for (const c of cases) {
      assert.match(c.description, /^## \S/, c.file);
      if (c.status === 200) {
        const body = c.body as { data: unknown; links: unknown; meta: unknown };
        assert.deepEqual([body.links, body.meta], [{}, {}], c.file);
        assert.ok(checkData.Check(body.data), `${c.file}: ${JSON.stringify([...checkData.Errors(body.data)])}`);
      } else {
        const item = (c.body as { errors: Array<{ code: string }> }).errors[0];
        const declared = documentedErrors(endpoint).find((e) => e.code === item?.code && e.status === c.status);
        assert.ok(declared, `${c.file}: ${item?.code} not declared by ${endpoint.path}`);
        assert.deepEqual(c.body, { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta: declared.code.startsWith('00') ? {} : { provider: 'CNOUS' } }] }, c.file);
      }
      if (validate) assert.equal(matchCase(cases, validate(queryOf(c.params))), c, c.file);
    }
  }
});
