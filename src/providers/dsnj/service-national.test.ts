/**
 * DSNJ service national through the real app (CONTRACT §1.3 routes 23–24): family B params with the
 * DSNJ codes (00427 for the sex, conformance check 10), the cast's cases by civil status and by
 * FranceConnect token, and the masking by the single scope.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { dsnj } from './manifest.ts';
import { dsnjErrors } from './errors.ts';
import { serviceNationalFranceConnect, serviceNationalIdentite, serviceNationalRules } from './service-national.ts';
import { documentedErrors } from '../../core/endpoint.ts';

const IDENTITE = '/v3/dsnj/service_national/identite';
const FC = '/v3/dsnj/service_national/france_connect?recipient=13002526500013';
const EMMA = {
  nomNaissance: 'PERRIN',
  'prenoms[]': ['EMMA', 'LOUISE'],
  anneeDateNaissance: '2005',
  moisDateNaissance: '6',
  jourDateNaissance: '23',
  sexeEtatCivil: 'F',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '59350',
};

function url(params: Record<string, string | string[]>, path = IDENTITE): string {
  const search = new URLSearchParams({ recipient: '13002526500013' });
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  return `${path}?${search.toString()}`;
}

/** A case's params as the query a caller sends (`prenoms[]=…`). */
function queryOf(params: Record<string, unknown>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => (Array.isArray(v) ? [`${k}[]`, v.map(String)] : [k, String(v)])));
}

let t: TestApp;
let token: string;
let cases: LoadReport;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
  token = await t.token();
  cases = await loadCaseDirectories([dsnj.sandboxCasesDir as string]);
});
after(async () => t.close());

const get = (u: string, bearer = token) => t.app.server.inject({ url: u, headers: { authorization: `Bearer ${bearer}` } });

describe('DSNJ /identite', () => {
  test('Emma PERRIN is en règle: the full body', async () => {
    const res = await get(url(EMMA));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: { statut_service_national: 'en_regle', commentaires: null }, links: {}, meta: {} });
  });

  test('a missing sexeEtatCivil is 00427 (conformance check 10)', async () => {
    const { sexeEtatCivil: _, ...rest } = EMMA;
    const res = await get(url(rest));
    assert.equal(res.statusCode, 422);
    const [error, ...others] = res.json().errors;
    assert.equal(others.length, 0);
    assert.equal(error.code, '00427');
    assert.equal(error.title, 'Entité non traitable');
    assert.deepEqual(error.source, { parameter: 'sexeEtatCivil' });
    assert.equal(error.detail, "Le sexe de l'état civil est manquant", 'the official sentence');
  });

  test('an unusable sexeEtatCivil is 00427 too; other civil-status params are 00366', async () => {
    const res = await get(url({ ...EMMA, sexeEtatCivil: 'X', codeCogInseePaysNaissance: '100', 'prenoms[]': ['A', 'B', 'C', 'D'] }));
    assert.equal(res.statusCode, 422);
    const byParam = Object.fromEntries(res.json().errors.map((e: { source: { parameter: string }; code: string }) => [e.source.parameter, e.code]));
    assert.deepEqual(byParam, { sexeEtatCivil: '00427', codeCogInseePaysNaissance: '00366', 'prenoms[]': '00366' });
  });

  for (const param of ['nomNaissance', 'prenoms[]', 'anneeDateNaissance', 'moisDateNaissance', 'jourDateNaissance', 'codeCogInseePaysNaissance']) {
    test(`${param} is required (00366)`, async () => {
      const { [param as keyof typeof EMMA]: _, ...rest } = EMMA;
      const res = await get(url(rest));
      assert.equal(res.statusCode, 422);
      assert.deepEqual(
        res.json().errors.map((e: { code: string; source: unknown }) => [e.code, e.source]),
        [['00366', { parameter: param }]],
      );
    });
  }

  test('born in France: the commune code is required; the name + department option does not exist', async () => {
    const { codeCogInseeCommuneNaissance: _, ...rest } = EMMA;
    const res = await get(url({ ...rest, nomCommuneNaissance: 'Lille', codeCogInseeDepartementNaissance: '59' }));
    assert.equal(res.statusCode, 422);
    const [error] = res.json().errors;
    assert.equal(error.code, '00366');
    assert.deepEqual(error.source, { parameter: 'codeCogInseeCommuneNaissance' });
  });

  test('born abroad: a commune is refused', () => {
    const coerced = { ...EMMA, anneeDateNaissance: 2005, moisDateNaissance: 6, jourDateNaissance: 23, codeCogInseePaysNaissance: '99134' };
    const problems = serviceNationalRules(coerced, new Date('2026-01-01'));
    assert.deepEqual(problems.map((p) => p.parameter), ['codeCogInseeCommuneNaissance']);
  });

  test('a birth date that does not exist is refused', async () => {
    const res = await get(url({ ...EMMA, moisDateNaissance: '2', jourDateNaissance: '30' }));
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().errors[0].code, '00366');
    assert.deepEqual(res.json().errors[0].source, { parameter: 'jourDateNaissance' });
  });

  test('nomUsage is not a DSNJ param: it is ignored, and the case still matches', async () => {
    const res = await get(url({ ...EMMA, nomUsage: 'DURAND' }));
    assert.equal(res.statusCode, 200);
  });

  test('without dsnj_statut_service_national the route is closed (403 00100)', async () => {
    const other = await t.token({ scopes: ['pole_emploi_paiements'] });
    const res = await get(url(EMMA), other);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().errors[0].code, '00100');
  });

  test('every identite case is reached by the request its params describe, with its exact body', async () => {
    const own = cases.cases.get(serviceNationalIdentite.operationId) ?? [];
    assert.ok(own.length >= 10);
    for (const c of own) {
      const res = await get(url(queryOf(c.params)));
      assert.equal(res.statusCode, c.status, c.file);
      assert.deepEqual(res.json(), c.body, c.file);
    }
  });
});

describe('DSNJ /france_connect', () => {
  const expected: Record<string, [number, string]> = {
    emma_etudiante: [200, 'en_regle'],
    julien_morel: [200, 'en_regle'],
    elena_nee_a_l_etranger: [200, 'indetermine'],
    hugo_perrin: [200, 'indetermine'],
    thierry_inconnu: [404, '39003'],
    julie_trop_de_requetes: [429, '00429'],
  };
  for (const [bearer, [status, what]] of Object.entries(expected)) {
    test(`Bearer ${bearer} → ${status} ${what}`, async () => {
      const res = await get(FC, bearer);
      assert.equal(res.statusCode, status);
      const body = res.json();
      if (status === 200) assert.equal(body.data.statut_service_national, what);
      else if (status === 429) assert.equal(body.errors[0].code, what);
      else assert.deepEqual(body, { errors: [{ ...errorItem(dsnjErrors.notFound), meta: { provider: 'DSNJ' } }] });
    });
  }

  test('the usage name is dropped from the FranceConnect identity', () => {
    const params = serviceNationalFranceConnect.franceConnectParams?.({ nomNaissance: 'DUVAL', nomUsage: 'BERTIN', prenoms: ['Sophie'], sexeEtatCivil: 'F' });
    assert.deepEqual(params, { nomNaissance: 'DUVAL', prenoms: ['Sophie'], sexeEtatCivil: 'F' });
  });

  test('every FranceConnect case belongs to a cast token', () => {
    const own = cases.cases.get(serviceNationalFranceConnect.operationId) ?? [];
    assert.equal(own.length, Object.keys(expected).length);
  });
});

describe('DSNJ cases', () => {
  test('200 bodies match the data schema; errors are declared by the route, worded as officially', () => {
    for (const endpoint of [serviceNationalIdentite, serviceNationalFranceConnect]) {
      const check = Compile(endpoint.data);
      for (const c of cases.cases.get(endpoint.operationId) ?? []) {
        assert.match(c.description, /^## \S/, c.file);
        const body = c.body as { data?: unknown; errors?: Array<{ code: string }> };
        if (c.status === 200) {
          assert.ok(check.Check(body.data), c.file);
          continue;
        }
        const declared = documentedErrors(endpoint).find((e) => e.code === body.errors?.[0]?.code);
        assert.ok(declared, c.file);
        assert.equal(c.status, declared.status, c.file);
        assert.deepEqual(body, { errors: [{ ...errorItem(declared), meta: declared.code.startsWith('00') ? {} : { provider: 'DSNJ' } }] }, c.file);
      }
    }
    assert.deepEqual(cases.problems, []);
  });
});

function errorItem(definition: { code: string; title: string; detail: string }) {
  return { code: definition.code, title: definition.title, detail: definition.detail, source: null };
}
