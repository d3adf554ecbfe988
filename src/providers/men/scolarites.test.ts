/**
 * MEN scolarités through the real app (CONTRACT §1.2 MEN rules, §1.3 routes 29–30, §3.2, §4.2):
 * 200 from the cast on v3 and v4, every 422 rule with its code and param, masking, provider errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { CNED_UAI } from './scolarites-params.ts';

const LEO = 'nomNaissance=PERRIN&prenoms[]=LEO&sexeEtatCivil=M&anneeDateNaissance=2012&moisDateNaissance=9&jourDateNaissance=5';
const LEO_DATA = {
  identite: { nom: 'PERRIN', prenom: 'LEO', sexe: 'M', date_naissance: '2012-09-05' },
  module_elementaire_formation: { code_mef_stat: '10310019110', libelle: '4EME' },
  etablissement: { code_uai: '0691234K', code_ministere_tutelle: '06' },
  annee_scolaire: '2025-2026',
  est_scolarise: true,
  statut_eleve: { code: 'ST', libelle: 'SCOLAIRE' },
  est_boursier: false,
  echelon_bourse: null,
};

let t: TestApp;
let token: string;
before(async () => {
  t = await testApp();
  token = await t.token();
});
after(async () => t.close());

async function get(query: string, options: { version?: 'v3' | 'v4'; bearer?: string } = {}) {
  const res = await t.app.server.inject({
    method: 'GET',
    url: `/${options.version ?? 'v3'}/men/scolarites/identite?recipient=13002526500013&${query}`,
    headers: { authorization: `Bearer ${options.bearer ?? token}` },
  });
  return { status: res.statusCode, body: res.json() as { data?: Record<string, unknown>; errors?: Array<Record<string, unknown>> } };
}

/** The single 422 item of an answer: its code and param. */
async function problem(query: string): Promise<[string, unknown, unknown]> {
  const { status, body } = await get(query);
  assert.equal(status, 422, JSON.stringify(body));
  assert.equal(body.errors?.length, 1, JSON.stringify(body));
  const item = body.errors?.[0] as { code: string; source: { parameter: string }; detail: string };
  return [item.code, item.source.parameter, item.detail];
}

describe('MEN scolarités: answers from the cast', () => {
  test('v3 and v4: Léo PERRIN at his collège, full body', async () => {
    for (const version of ['v3', 'v4'] as const) {
      const res = await get(`${LEO}&codeEtablissement=0691234K&anneeScolaire=2025-2026`, { version });
      assert.equal(res.status, 200, version);
      assert.deepEqual(res.body, { data: LEO_DATA, links: {}, meta: {} }, version);
    }
  });

  test('by département, by region; the short and long forms of a school year', async () => {
    assert.deepEqual((await get(`${LEO}&codesBcnDepartements[]=069&anneeScolaire=2025`)).body.data, LEO_DATA);
    const nathan = 'nomNaissance=FONTAINE&prenoms[]=NATHAN&sexeEtatCivil=M&anneeDateNaissance=2009&moisDateNaissance=5&jourDateNaissance=17';
    const byRegion = await get(`${nathan}&codesBcnRegions[]=75&anneeScolaire=2025-2026`);
    assert.deepEqual([byRegion.body.data?.est_boursier, byRegion.body.data?.echelon_bourse], [true, 4]);
    for (const year of ['2024', '2024-2025']) {
      const res = await get(`${LEO}&codeEtablissement=0691234K&anneeScolaire=${year}`);
      assert.deepEqual([res.body.data?.annee_scolaire, res.body.data?.module_elementaire_formation], ['2024-2025', { code_mef_stat: '10210019110', libelle: '5EME' }], year);
    }
  });

  test('the CNED UAI is accepted; birth-place params are not part of the route and are ignored', async () => {
    const jade = 'nomNaissance=ROUX&prenoms[]=JADE&sexeEtatCivil=F&anneeDateNaissance=2011&moisDateNaissance=1&jourDateNaissance=27';
    const res = await get(`${jade}&codeEtablissement=${CNED_UAI}&anneeScolaire=2025-2026&degreEtablissement=2D&codeCogInseePaysNaissance=nope`);
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.data?.statut_eleve, res.body.data?.est_boursier], [{ code: 'ED', libelle: 'ENSEIGNEMENT A DISTANCE' }, null]);
  });

  test('provider errors from the cast: 404 30003, 502 30999, 504 30002 and 30001, provider MEN', async () => {
    const people: Array<[string, number, string]> = [
      ['nomNaissance=LAMBERT&prenoms[]=THIERRY&sexeEtatCivil=M&anneeDateNaissance=1960&moisDateNaissance=2&jourDateNaissance=29', 404, '30003'],
      ['nomNaissance=CHEVALIER&prenoms[]=NATHALIE&sexeEtatCivil=F&anneeDateNaissance=1972&moisDateNaissance=12&jourDateNaissance=17', 502, '30999'],
      ['nomNaissance=ROBIN&prenoms[]=PASCAL&sexeEtatCivil=M&anneeDateNaissance=1965&moisDateNaissance=4&jourDateNaissance=8', 504, '30002'],
      ['nomNaissance=MERCIER&prenoms[]=SYLVIE&sexeEtatCivil=F&anneeDateNaissance=1983&moisDateNaissance=6&jourDateNaissance=25', 504, '30001'],
    ];
    for (const [who, status, code] of people) {
      const res = await get(`${who}&codesBcnRegions[]=11&anneeScolaire=2025`, { version: 'v4' });
      assert.equal(res.status, status, code);
      assert.deepEqual([res.body.errors?.[0]?.code, res.body.errors?.[0]?.source, res.body.errors?.[0]?.meta], [code, null, { provider: 'MEN' }]);
    }
  });
});

describe('MEN scolarités: 422 rules', () => {
  const YEAR = 'anneeScolaire=2025-2026';

  test('conformance check 9: codeEtablissement with a BCN list → 00419, official detail', async () => {
    assert.deepEqual(await problem(`${LEO}&${YEAR}&codeEtablissement=0210015C&codesBcnRegions[]=11`), [
      '00419',
      'codeEtablissement',
      'Les paramètres codeEtablissement et périmètre (codesBcnRegions/codesBcnDepartements) sont mutuellement exclusifs',
    ]);
    assert.equal((await problem(`${LEO}&${YEAR}&codeEtablissement=0210015C&codesBcnDepartements[]=021`))[0], '00419');
  });

  test('no perimeter, or both BCN lists → 00419', async () => {
    const [code, param, detail] = await problem(`${LEO}&${YEAR}`);
    assert.deepEqual([code, param], ['00419', 'codeEtablissement']);
    assert.match(String(detail), /périmètre de recherche est obligatoire/);
    assert.deepEqual((await problem(`${LEO}&${YEAR}&codesBcnDepartements[]=069&codesBcnRegions[]=84`)).slice(0, 2), ['00419', 'codesBcnRegions[]']);
  });

  test('malformed perimeter values → 00419 on that param', async () => {
    for (const [query, param] of [
      ['codeEtablissement=0691234k', 'codeEtablissement'],
      ['codeEtablissement=691234K', 'codeEtablissement'],
      ['codesBcnDepartements[]=69', 'codesBcnDepartements[]'],
      ['codesBcnDepartements[]=', 'codesBcnDepartements[]'],
      ['codesBcnRegions[]=084', 'codesBcnRegions[]'],
    ]) {
      assert.deepEqual((await problem(`${LEO}&${YEAR}&${query}`)).slice(0, 2), ['00419', param], query);
    }
  });

  test('anneeScolaire: required, AAAA or AAAA-AAAA of consecutive years → else 00301', async () => {
    for (const year of [undefined, '25-26', '2025/2026', '2025-2027', '2025-2025', '1999-2000']) {
      const query = `${LEO}&codeEtablissement=0691234K${year === undefined ? '' : `&anneeScolaire=${year}`}`;
      assert.deepEqual((await problem(query)).slice(0, 2), ['00301', 'anneeScolaire'], String(year));
    }
  });

  test('degreEtablissement is 1D or 2D → else 00301', async () => {
    assert.deepEqual((await problem(`${LEO}&${YEAR}&codeEtablissement=0691234K&degreEtablissement=3D`)).slice(0, 2), ['00301', 'degreEtablissement']);
  });

  test('civil status: every field required, prenoms[] 1–3, a real past date → 00366', async () => {
    const full = { nomNaissance: 'PERRIN', 'prenoms[]': 'LEO', sexeEtatCivil: 'M', anneeDateNaissance: '2012', moisDateNaissance: '9', jourDateNaissance: '5' };
    for (const missing of Object.keys(full)) {
      const rest = Object.entries(full).filter(([k]) => k !== missing).map(([k, v]) => `${k}=${v}`).join('&');
      assert.deepEqual((await problem(`${rest}&${YEAR}&codeEtablissement=0691234K`)).slice(0, 2), ['00366', missing], missing);
    }
    const base = `${YEAR}&codeEtablissement=0691234K&nomNaissance=PERRIN&sexeEtatCivil=M&anneeDateNaissance=2012&moisDateNaissance=9`;
    assert.deepEqual((await problem(`${base}&jourDateNaissance=5&prenoms[]=A&prenoms[]=B&prenoms[]=C&prenoms[]=D`)).slice(0, 2), ['00366', 'prenoms[]']);
    assert.deepEqual((await problem(`${base}&jourDateNaissance=31&prenoms[]=LEO`)).slice(0, 2), ['00366', 'jourDateNaissance']);
    assert.deepEqual((await problem(`${base.replace('sexeEtatCivil=M', 'sexeEtatCivil=X')}&jourDateNaissance=5&prenoms[]=LEO`)).slice(0, 2), ['00366', 'sexeEtatCivil']);
  });
});

describe('MEN scolarités: masking (CONTRACT §3.2)', () => {
  test('each scope unlocks exactly its keys', async () => {
    const expected: Record<string, string[]> = {
      men_statut_identite: ['identite'],
      men_statut_scolarite: ['annee_scolaire', 'est_scolarise', 'statut_eleve'],
      men_statut_boursier: ['est_boursier'],
      men_echelon_bourse: ['echelon_bourse'],
      men_statut_etablissement: ['etablissement'],
      men_statut_module_elementaire_formation: ['module_elementaire_formation'],
    };
    for (const [scope, keys] of Object.entries(expected)) {
      const res = await get(`${LEO}&codeEtablissement=0691234K&anneeScolaire=2025-2026`, { bearer: await t.token({ scopes: [scope] }) });
      assert.equal(res.status, 200, scope);
      assert.deepEqual(Object.keys(res.body.data ?? {}).sort(), keys, scope);
    }
    const two = await get(`${LEO}&codeEtablissement=0691234K&anneeScolaire=2025-2026`, { bearer: await t.token({ scopes: ['men_statut_boursier', 'men_echelon_bourse'] }) });
    assert.deepEqual(two.body.data, { est_boursier: false, echelon_bourse: null });
  });

  test('a token without any MEN scope → 403 00100', async () => {
    const res = await get(`${LEO}&codeEtablissement=0691234K&anneeScolaire=2025-2026`, { bearer: await t.token({ scopes: ['complementaire_sante_solidaire'] }) });
    assert.deepEqual([res.status, res.body.errors?.[0]?.code], [403, '00100']);
  });
});
