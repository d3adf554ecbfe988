/**
 * The DSS sandbox cases of the CAF/MSA routes (QF, AAH, AEEH, ASF, PA, RSA, EAJE): they load, each
 * is reached by the request it describes once the gateway validated it, each FranceConnect case by
 * a cast token, and every body is what the route declares (CONTRACT §1.4, §4.1, §6). C2S has its
 * own checks in src/sandbox/shipped-cases.test.ts.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { type EndpointDefinition, documentedErrors } from '../../core/endpoint.ts';
import { civilityParamsFromIdentity, identityFromIntrospection } from '../../franceconnect/identity.ts';
import { compileParamsValidator } from '../../gateway/validate-params.ts';
import type { SandboxCase } from '../../sandbox/case-file.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { matchCase } from '../../sandbox/match-case.ts';
import { OWN_CASES_DIR } from '../../sandbox/sandbox-driver.ts';
import { civilityRules } from './civility-params.ts';
import { providerNameOfCode } from './errors.ts';
import { dss } from './manifest.ts';
import { quotientFamilialPeriodRules } from './quotient-familial-period.ts';

/** When the cases were written: their history months are checked against this month, not today's. */
const WRITTEN = new Date('2026-11-23T10:00:00Z');

const endpoints = dss.endpoints.filter((e) => !e.path.includes('complementaire_sante_solidaire'));
const identiteRoutes = endpoints.filter((e) => e.modality === 'identite');
const franceConnectRoutes = endpoints.filter((e) => e.modality === 'france_connect');

let report: LoadReport;
before(async () => {
  report = await loadCaseDirectories([dss.sandboxCasesDir as string, OWN_CASES_DIR]);
});

const casesOf = (endpoint: EndpointDefinition): SandboxCase[] => report.cases.get(endpoint.operationId) ?? [];
const codeOf = (c: SandboxCase): string => (c.status === 200 ? '200' : ((c.body as { errors: Array<{ code: string }> }).errors[0]?.code ?? ''));

/** A case's params as the query a caller would send (`prenoms[]=…`, everything as text). */
function queryOf(params: Record<string, unknown>): Record<string, unknown> {
  const query: Record<string, unknown> = { recipient: '13002526500013' };
  for (const [key, value] of Object.entries(params)) query[Array.isArray(value) ? `${key}[]` : key] = Array.isArray(value) ? value.map(String) : String(value);
  return query;
}

/** The route's validator, its period rule frozen at {@link WRITTEN} so the test does not age. */
function frozenValidator(endpoint: EndpointDefinition) {
  const periodAware = 'annee' in endpoint.params.properties;
  return compileParamsValidator({
    ...endpoint,
    crossFieldRules: (p) => [...civilityRules(p), ...(periodAware ? quotientFamilialPeriodRules(p, WRITTEN) : [])],
  });
}

describe('DSS sandbox cases (CAF/MSA routes)', () => {
  test('load with zero problems; every case has a `## Title`; every route a 200 and a 404', () => {
    assert.deepEqual(report.problems, []);
    for (const endpoint of endpoints) {
      const cases = casesOf(endpoint);
      for (const c of cases) assert.match(c.description, /^## \S/, c.file);
      assert.ok(cases.some((c) => c.status === 200) && cases.some((c) => c.status === 404), endpoint.operationId);
    }
  });

  test('identite: the 404 and the four CNAV failures of the cast on every route', () => {
    for (const endpoint of identiteRoutes) {
      const codes = casesOf(endpoint).map(codeOf);
      const notFound = endpoint.path.includes('eaje') ? '37003' : '35003';
      for (const code of ['200', notFound, '37999', '37002', '37001', '37008']) assert.ok(codes.includes(code), `${endpoint.operationId}: ${code}`);
    }
  });

  test('identite: each case is reached by the request its params describe, once validated by the gateway', () => {
    for (const endpoint of identiteRoutes) {
      const validate = frozenValidator(endpoint);
      for (const c of casesOf(endpoint)) assert.equal(matchCase(casesOf(endpoint), validate(queryOf(c.params))), c, c.file);
    }
  });

  test('bodies: 200s match the data schema; errors are the contract envelope, worded and attributed as declared', () => {
    for (const endpoint of endpoints) {
      const data = Compile(endpoint.data);
      for (const c of casesOf(endpoint)) {
        if (c.status === 200) {
          const body = c.body as Record<string, unknown>;
          assert.deepEqual(Object.keys(body).sort(), ['data', 'links', 'meta'], c.file);
          assert.deepEqual([body.links, body.meta], [{}, {}], c.file);
          assert.ok(data.Check(body.data), `${c.file}: ${JSON.stringify([...data.Errors(body.data)].slice(0, 3))}`);
          continue;
        }
        const item = (c.body as { errors: Array<{ code: string; detail: string }> }).errors[0];
        const declared = documentedErrors(endpoint).find((e) => e.code === item?.code && e.detail === item.detail);
        assert.ok(declared, `${c.file}: error not declared by the route`);
        assert.equal(c.status, declared.status, c.file);
        assert.deepEqual(
          c.body,
          { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta: declared.code.startsWith('00') ? {} : { provider: providerNameOfCode(declared.code) } }] },
          c.file,
        );
      }
    }
  });

  test('QF: CNAF and MSA households, history months, the current household on a past month', () => {
    const [qf] = identiteRoutes;
    assert.equal(qf?.operationId, 'api_particulier_v3_cnav_quotient_familial_with_civility');
    const bodies = casesOf(qf).filter((c) => c.status === 200).map((c) => (c.body as { data: { quotient_familial: { fournisseur: string } } }).data);
    assert.deepEqual([...new Set(bodies.map((d) => d.quotient_familial.fournisseur))].sort(), ['CNAF', 'MSA']);
    const history = casesOf(qf).filter((c) => 'annee' in c.params && 'mois' in c.params);
    assert.ok(history.length >= 2);
    for (const c of history) {
      const period = (c.body as { data: { quotient_familial: { annee: number; mois: number } } }).data.quotient_familial;
      assert.deepEqual([period.annee, period.mois], [c.params.annee, c.params.mois], c.file);
    }
  });

  test('FranceConnect: each case is reached by a cast token (plus annee/mois for QF history), and each token lands where expected', () => {
    const expected: Record<string, Record<string, number | undefined>> = {
      quotient_familial: { camille_c2s: 200, hugo_perrin: 200, sophie_nom_usage: 200, emma_etudiante: 404, thierry_inconnu: 404, julie_trop_de_requetes: 429 },
      allocation_adulte_handicape: { elena_nee_a_l_etranger: 200, marc_non_beneficiaire: 200, julien_morel: 200, thierry_inconnu: 404, julie_trop_de_requetes: 429 },
      allocation_enfant_handicape: { sophie_nom_usage: 200, camille_c2s: 200, thierry_inconnu: 404, julie_trop_de_requetes: 429 },
      allocation_soutien_familial: { sophie_nom_usage: 200, camille_c2s: 200, thierry_inconnu: 404, julie_trop_de_requetes: 429 },
      prime_activite: {
        camille_c2s: 200,
        sophie_nom_usage: 200,
        marc_non_beneficiaire: 200,
        thierry_inconnu: 404,
        julie_trop_de_requetes: 429,
        nathalie_erreur_fournisseur: 502,
        pascal_hors_delai: 504,
        sylvie_indisponible: 504,
        antoine_trop_de_requetes: 504,
      },
      revenu_solidarite_active: { elena_nee_a_l_etranger: 200, julien_morel: 200, marc_non_beneficiaire: 200, thierry_inconnu: 404, julie_trop_de_requetes: 429 },
      participation_familiale_eaje: { camille_c2s: 200, hugo_perrin: 200, thierry_inconnu: 404, julie_trop_de_requetes: 429 },
    };
    for (const endpoint of franceConnectRoutes) {
      const name = endpoint.path.split('/')[3] as string;
      const reached = new Set<SandboxCase>();
      for (const [token, { introspection }] of report.franceConnectTokens) {
        const derived = { recipient: '13002526500013', ...civilityParamsFromIdentity(identityFromIntrospection(introspection)) };
        const found = matchCase(casesOf(endpoint), derived);
        assert.equal(found?.status, expected[name]?.[token], `${name} ${token}`);
        if (found) reached.add(found);
        for (const c of casesOf(endpoint).filter((x) => 'annee' in x.params)) {
          const history = matchCase(casesOf(endpoint), { ...derived, annee: c.params.annee, mois: c.params.mois });
          if (history === c) reached.add(c);
        }
      }
      assert.equal(reached.size, casesOf(endpoint).length, `${endpoint.operationId}: every case belongs to a token`);
    }
  });
});
