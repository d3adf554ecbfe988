/**
 * The MEN sandbox cases (CONTRACT §6): they load, v3 and v4 folders hold the same files, each case is
 * reached by the request its params describe once the gateway has validated it, 200 bodies follow the
 * data schema and errors are the contract envelope with the official wording.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Compile } from 'typebox/compile';
import { compileParamsValidator } from '../../gateway/validate-params.ts';
import type { SandboxCase } from '../../sandbox/case-file.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { matchCase } from '../../sandbox/match-case.ts';
import { men } from './manifest.ts';
import { scolaritesV3, scolaritesV4 } from './scolarites.ts';
import { documentedErrors } from '../../core/endpoint.ts';

const casesDir = men.sandboxCasesDir as string;
let report: LoadReport;
before(async () => {
  report = await loadCaseDirectories([casesDir]);
});

const casesOf = (operationId: string): SandboxCase[] => report.cases.get(operationId) ?? [];

/** A case's params as the query a caller sends; cases without a year or perimeter get valid ones. */
function queryOf(params: Record<string, unknown>): Record<string, unknown> {
  const query: Record<string, unknown> = { recipient: '13002526500013', anneeScolaire: '2025-2026' };
  if (!['codeEtablissement', 'codesBcnDepartements', 'codesBcnRegions'].some((k) => k in params)) query.codeEtablissement = '0210015C';
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) query[`${key}[]`] = value.map(String);
    else query[key] = String(value);
  }
  return query;
}

describe('MEN sandbox cases', () => {
  test('load with zero problems', () => {
    assert.deepEqual(report.problems, []);
    assert.ok(casesOf(scolaritesV3.operationId).length >= 12);
  });

  test('v3 and v4 folders hold the same case files, byte for byte (the routes are identical)', () => {
    const files = (id: string) => readdirSync(path.join(casesDir, id)).filter((f) => f.endsWith('.yaml')).sort();
    const v3 = files(scolaritesV3.operationId);
    assert.deepEqual(files(scolaritesV4.operationId), v3);
    for (const file of v3) {
      const read = (id: string) => readFileSync(path.join(casesDir, id, file), 'utf8');
      assert.equal(read(scolaritesV4.operationId), read(scolaritesV3.operationId), file);
    }
  });

  test('every case has a `## Title` and is reached by the request its params describe', () => {
    const validate = compileParamsValidator(scolaritesV3);
    const cases = casesOf(scolaritesV3.operationId);
    for (const c of cases) {
      assert.match(c.description, /^## \S/, c.file);
      assert.equal(matchCase(cases, validate(queryOf(c.params))), c, c.file);
    }
  });

  test('cover the cast and the shapes the brief asks for', () => {
    const bodies = casesOf(scolaritesV3.operationId).map((c) => c.body as { data?: Record<string, unknown>; errors?: Array<{ code: string }> });
    const codes = bodies.map((b) => b.errors?.[0]?.code ?? '200');
    for (const code of ['200', '30003', '30999', '30002', '30001']) assert.ok(codes.includes(code), code);
    const data = bodies.flatMap((b) => (b.data ? [b.data] : []));
    assert.ok(data.some((d) => d.est_boursier === true && typeof d.echelon_bourse === 'number'), 'a grant holder with an échelon');
    assert.ok(data.some((d) => d.est_scolarise === false), 'a pupil not schooled');
    assert.ok(data.some((d) => d.est_boursier === null), 'grant status unknown');
    assert.ok(data.some((d) => (d.etablissement as { code_uai: string }).code_uai === '0861288H'), 'CNED');
    const params = casesOf(scolaritesV3.operationId).map((c) => c.params);
    assert.ok(params.some((p) => 'codesBcnDepartements' in p) && params.some((p) => 'codesBcnRegions' in p), 'found by département and by region');
  });

  test('bodies: 200s follow the data schema, errors are declared and worded as the official file', () => {
    const check = Compile(scolaritesV3.data);
    for (const c of casesOf(scolaritesV3.operationId)) {
      if (c.status === 200) {
        const body = c.body as { data: unknown; links: unknown; meta: unknown };
        assert.deepEqual(Object.keys(body).sort(), ['data', 'links', 'meta'], c.file);
        assert.deepEqual([body.links, body.meta], [{}, {}], c.file);
        assert.ok(check.Check(body.data), `${c.file}: ${JSON.stringify(check.Errors(body.data))}`);
        continue;
      }
      const code = (c.body as { errors: Array<{ code: string }> }).errors[0]?.code;
      const declared = documentedErrors(scolaritesV3).find((e) => e.code === code);
      assert.ok(declared, `${c.file}: ${String(code)} not declared`);
      assert.equal(c.status, declared.status, c.file);
      assert.deepEqual(
        c.body,
        { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta: declared.code.startsWith('00') ? {} : { provider: 'MEN' } }] },
        c.file,
      );
    }
  });
});
