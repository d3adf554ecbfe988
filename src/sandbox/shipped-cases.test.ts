/**
 * The project's own synthetic cases (src/providers/dss/cases, src/sandbox/cases): they all load, each
 * identite case is reachable by a request the gateway accepts, each fake FranceConnect token reaches
 * its case, and every body is what the contract says (CONTRACT §1.4, §4.1, §6).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { type EndpointDefinition, documentedErrors } from '../core/endpoint.ts';
import { civilityParamsFromIdentity, identityFromIntrospection } from '../franceconnect/identity.ts';
import { compileParamsValidator } from '../gateway/validate-params.ts';
import { c2sFranceConnect, c2sIdentite } from '../providers/dss/complementaire-sante-solidaire.ts';
import { dss } from '../providers/dss/manifest.ts';
import type { SandboxCase } from './case-file.ts';
import { loadCaseDirectories, type LoadReport } from './load-cases.ts';
import { matchCase } from './match-case.ts';
import { OWN_CASES_DIR } from './sandbox-driver.ts';

let report: LoadReport;
before(async () => {
  report = await loadCaseDirectories([dss.sandboxCasesDir as string, OWN_CASES_DIR]);
});

const casesOf = (endpoint: EndpointDefinition): SandboxCase[] => report.cases.get(endpoint.operationId) ?? [];

/** A case's params as the query a caller would send (`prenoms[]=…`, everything as text). */
function queryOf(params: Record<string, unknown>): Record<string, unknown> {
  const query: Record<string, unknown> = { recipient: '13002526500013' };
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) query[`${key}[]`] = value.map(String);
    else query[key] = String(value);
  }
  return query;
}

function checkBody(endpoint: EndpointDefinition, c: SandboxCase): void {
  if (c.status === 200) {
    const body = c.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['data', 'links', 'meta'], c.file);
    assert.deepEqual([body.links, body.meta], [{}, {}], c.file);
    const data = Compile(endpoint.data);
    assert.ok(data.Check(body.data), `${c.file}: ${JSON.stringify(data.Errors(body.data))}`);
    return;
  }
  const declared = documentedErrors(endpoint).find((e) => e.code === (c.body as { errors: Array<{ code: string }> }).errors[0]?.code);
  assert.ok(declared, `${c.file}: error code not declared by the route`);
  assert.equal(c.status, declared.status, c.file);
  const provider = declared.code.startsWith('40') ? 'RNCPS' : 'CNAV';
  assert.deepEqual(
    c.body,
    { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta: declared.code.startsWith('00') ? {} : { provider } }] },
    c.file,
  );
}

describe('shipped sandbox cases', () => {
  test('load with zero problems', () => {
    assert.deepEqual(report.problems, []);
    assert.ok(casesOf(c2sIdentite).length >= 10);
    assert.ok(casesOf(c2sFranceConnect).length >= 3);
    assert.ok(report.franceConnectTokens.size >= 3);
  });

  test('every case has a French `## Title` description and each route has a 200 and a 404', () => {
    for (const endpoint of [c2sIdentite, c2sFranceConnect]) {
      for (const c of casesOf(endpoint)) assert.match(c.description, /^## \S/, c.file);
      const statuses = new Set(casesOf(endpoint).map((c) => c.status));
      assert.ok(statuses.has(200) && statuses.has(404), endpoint.operationId);
    }
  });

  test('identite: cover the statuses and error codes the brief asks for', () => {
    const codes = casesOf(c2sIdentite).map((c) => (c.status === 200 ? '200' : (c.body as { errors: Array<{ code: string }> }).errors[0]?.code));
    for (const code of ['200', '40003', '37999', '37002', '37001', '37008']) assert.ok(codes.includes(code), code);
    const params = casesOf(c2sIdentite).map((c) => c.params);
    assert.ok(params.some((p) => p.codeCogInseePaysNaissance !== '99100' && !('codeCogInseeCommuneNaissance' in p)), 'born abroad');
    assert.ok(params.some((p) => 'nomCommuneNaissance' in p && 'codeCogInseeDepartementNaissance' in p && 'anneeDateNaissance' in p), 'triplet');
  });

  test('identite: each case is reached by the request its params describe, once validated by the gateway', () => {
    const validate = compileParamsValidator(c2sIdentite);
    for (const c of casesOf(c2sIdentite)) {
      const params = validate(queryOf(c.params));
      assert.equal(matchCase(casesOf(c2sIdentite), params), c, c.file);
    }
  });

  test('bodies: 200s match the route’s data schema; errors are the contract envelope with the official wording', () => {
    for (const endpoint of [c2sIdentite, c2sFranceConnect]) for (const c of casesOf(endpoint)) checkBody(endpoint, c);
    const nonBeneficiary = casesOf(c2sIdentite).find((c) => (c.body as { data?: { est_beneficiaire?: boolean } }).data?.est_beneficiaire === false);
    assert.deepEqual((nonBeneficiary?.body as { data: unknown }).data, { est_beneficiaire: false, avec_participation: null, date_debut_droit: null });
  });

  test('FranceConnect: each fake token reaches a case of the FranceConnect route through its derived params', () => {
    // Cast members without a C2S FranceConnect case get the generic example (undefined here).
    const expected: Record<string, number | undefined> = {
      hugo_perrin: undefined,
      bernard_msa: undefined,
      nathalie_erreur_fournisseur: undefined,
      pascal_hors_delai: undefined,
      sylvie_indisponible: undefined,
      antoine_trop_de_requetes: undefined,
      emma_etudiante: undefined,
      julien_morel: undefined,
      camille_c2s: 200,
      marc_non_beneficiaire: 200,
      elena_nee_a_l_etranger: 200,
      sophie_nom_usage: 200,
      thierry_inconnu: 404,
      julie_trop_de_requetes: 429,
    };
    assert.deepEqual([...report.franceConnectTokens.keys()].sort(), Object.keys(expected).sort());
    const reached = new Set<SandboxCase>();
    for (const [token, { introspection }] of report.franceConnectTokens) {
      const claims = introspection.token_introspection;
      assert.equal(claims.aud, 'sandbox-franceconnect-client', token);
      assert.match(claims.scope, /^openid identite_pivot .*complementaire_sante_solidaire/, token);
      const identity = identityFromIntrospection(introspection);
      const found = matchCase(casesOf(c2sFranceConnect), { recipient: '13002526500013', ...civilityParamsFromIdentity(identity) });
      assert.equal(found?.status, expected[token], token);
      if (found) reached.add(found);
    }
    assert.equal(reached.size, casesOf(c2sFranceConnect).length, 'every FranceConnect case belongs to a token');
  });

  test('FranceConnect: born abroad sends no commune; a usage name is sent as nomUsage', () => {
    const params = (token: string) => {
      const entry = report.franceConnectTokens.get(token);
      assert.ok(entry, token);
      return civilityParamsFromIdentity(identityFromIntrospection(entry.introspection));
    };
    assert.ok(!('codeCogInseeCommuneNaissance' in params('elena_nee_a_l_etranger')));
    assert.equal(params('sophie_nom_usage').nomUsage, 'BERTIN');
  });
});
