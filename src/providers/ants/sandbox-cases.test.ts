/**
 * The ANTS sandbox cases (CONTRACT §5.3, §6): they load, are keyed by the plate only, each plate passes
 * the gateway's format check, 200 bodies follow the data schema and carry `meta.identity_matching`,
 * errors are the contract envelope with the official wording.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { compileParamsValidator } from '../../gateway/validate-params.ts';
import type { SandboxCase } from '../../sandbox/case-file.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { matchCase } from '../../sandbox/match-case.ts';
import { extraitImmatriculationFranceConnect as endpoint } from './extrait-immatriculation-vehicule.ts';
import { ants } from './manifest.ts';

let report: LoadReport;
before(async () => {
  report = await loadCaseDirectories([ants.sandboxCasesDir as string]);
});
const cases = (): SandboxCase[] => report.cases.get(endpoint.operationId) ?? [];

interface Matching {
  family_name: number;
  given_name: number;
  birth_date: number;
  overall_match: boolean;
}

describe('ANTS sandbox cases', () => {
  test('load with zero problems, each keyed by `immatriculation` alone, with a `## Title`', () => {
    assert.deepEqual(report.problems, []);
    assert.ok(cases().length >= 8);
    for (const c of cases()) {
      assert.deepEqual(Object.keys(c.params), ['immatriculation'], c.file);
      assert.match(c.description, /^## \S/, c.file);
    }
  });

  test('each plate passes the gateway’s check and reaches its case whatever the identity', () => {
    const validate = compileParamsValidator(endpoint);
    const someone = { nomNaissance: 'LEROY', prenoms: ['Camille', 'Anne'], anneeDateNaissance: 1988, moisDateNaissance: 3, jourDateNaissance: 14 };
    for (const c of cases()) {
      const params = validate({ recipient: '13002526500013', immatriculation: String(c.params.immatriculation) });
      assert.equal(matchCase(cases(), { ...params, ...someone }), c, c.file);
    }
  });

  test('200s: data schema, plate echoed, identity_matching consistent (overall = name and first name)', () => {
    const check = Compile(endpoint.data);
    const seen = new Set<string>();
    for (const c of cases().filter((x) => x.status === 200)) {
      const body = c.body as { data: { donnees_immatriculation_vehicule: { numero_immatriculation: string }; statut_rattachement: string }; links: unknown; meta: { identity_matching: Matching } };
      assert.deepEqual(Object.keys(body).sort(), ['data', 'links', 'meta'], c.file);
      assert.deepEqual(body.links, {}, c.file);
      assert.ok(check.Check(body.data), `${c.file}: ${JSON.stringify(check.Errors(body.data))}`);
      assert.equal(body.data.donnees_immatriculation_vehicule.numero_immatriculation, c.params.immatriculation, c.file);
      const m = body.meta.identity_matching;
      assert.deepEqual(Object.keys(body.meta), ['identity_matching'], c.file);
      assert.equal(m.overall_match, m.family_name === 1 && m.given_name === 1, c.file);
      seen.add(body.data.statut_rattachement);
      if (!m.overall_match) seen.add('mismatch');
    }
    for (const shape of ['titulaire', 'cotitulaire', 'locataire', 'mismatch']) assert.ok(seen.has(shape), shape);
  });

  test('a 429 case: XX-429-XX', () => {
    const tooMany = cases().filter((c) => c.status === 429);
    assert.deepEqual(tooMany.map((c) => c.params.immatriculation), ['XX-429-XX']);
  });

  test('404s: XX-404-XX and XX-404-FC, official envelope, provider ANTS', () => {
    const errors = cases().filter((c) => c.status === 404);
    assert.deepEqual(errors.map((c) => c.params.immatriculation).sort(), ['XX-404-FC', 'XX-404-XX']);
    const [notFound] = endpoint.providerErrors;
    for (const c of errors) {
      assert.equal(c.status, 404, c.file);
      assert.deepEqual(c.body, {
        errors: [{ code: notFound?.code, title: notFound?.title, detail: notFound?.detail, source: null, meta: { provider: 'ANTS' } }],
      });
    }
  });
});
