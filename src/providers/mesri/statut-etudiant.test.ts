/**
 * MESRI statut étudiant through the real app (CONTRACT §1.3 routes 31–33): the shipped cast, the
 * MESRI param rules (exactly one first name, sex required: conformance check 7), the INE format
 * (check 8, 00360), FranceConnect (admissions only) and the masking of the 12 accepted scopes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { statutEtudiantFranceConnect } from './statut-etudiant.ts';

const RECIPIENT = 'recipient=13002526500013';
const EMMA = 'nomNaissance=PERRIN&prenoms[]=EMMA&anneeDateNaissance=2005&moisDateNaissance=6&jourDateNaissance=23&sexeEtatCivil=F&codeCogInseeCommuneNaissance=59350';
const CHLOE = 'nomNaissance=ROUSSEAU&prenoms[]=CHLOE&anneeDateNaissance=2004&moisDateNaissance=10&jourDateNaissance=7&sexeEtatCivil=F';
const LUCAS = 'nomNaissance=GARNIER&prenoms[]=LUCAS&anneeDateNaissance=2003&moisDateNaissance=2&jourDateNaissance=14&sexeEtatCivil=M&nomCommuneNaissance=Rennes&codeCogInseeDepartementNaissance=35';
const THIERRY = 'nomNaissance=LAMBERT&prenoms[]=THIERRY&anneeDateNaissance=1960&moisDateNaissance=2&jourDateNaissance=29&sexeEtatCivil=M&codeCogInseeCommuneNaissance=21231';

const EMMA_ADMISSIONS = [
  {
    date_debut: '2026-09-01',
    date_fin: '2027-08-31',
    est_inscrit: true,
    regime_formation: { libelle: 'formation initiale', code: 'RF1' },
    code_cog_insee_commune: '59350',
    etablissement_etudes: { uai: '0597001K', nom: 'Université de Lille' },
  },
  {
    date_debut: '2026-09-01',
    date_fin: '2027-06-30',
    est_inscrit: false,
    regime_formation: { libelle: 'formation initiale', code: 'RF1' },
    code_cog_insee_commune: '59009',
    etablissement_etudes: { uai: '0597002L', nom: "École nationale supérieure d'architecture et de paysage de Lille" },
  },
];
const EMMA_DATA = { identite: { nom_naissance: 'PERRIN', prenom: 'EMMA', date_naissance: '2005-06-23' }, admissions: EMMA_ADMISSIONS };

let t: TestApp;
let token: string;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
  token = await t.token();
});
after(async () => t.close());

const get = (url: string, bearer = token) => t.app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

describe('MESRI /identite', () => {
  test('Emma PERRIN: inscrite in one establishment, only admise in another → the full body', async () => {
    const res = await get(`/v3/mesri/statut_etudiant/identite?${RECIPIENT}&${EMMA}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: EMMA_DATA, links: {}, meta: {} });
  });

  test('born abroad without commune (Chloé, apprentice RF4); commune by name + department (Lucas, admis)', async () => {
    const chloe = await get(`/v3/mesri/statut_etudiant/identite?${RECIPIENT}&${CHLOE}`);
    assert.equal(chloe.statusCode, 200);
    assert.deepEqual(chloe.json().data.admissions[0].regime_formation, { libelle: "contrat d'apprentissage", code: 'RF4' });
    const lucas = await get(`/v3/mesri/statut_etudiant/identite?${RECIPIENT}&${LUCAS}`);
    assert.equal(lucas.statusCode, 200);
    assert.equal(lucas.json().data.admissions[0].est_inscrit, false);
  });

  const invalid: Array<[string, string, string]> = [
    ['two first names (conformance check 7)', `${EMMA}&prenoms[]=LOUISE`, 'prenoms[]'],
    ['no first name', EMMA.replace('prenoms[]=EMMA&', ''), 'prenoms[]'],
    ['sexeEtatCivil missing (required for MESRI)', EMMA.replace('&sexeEtatCivil=F', ''), 'sexeEtatCivil'],
    ['birth month missing', EMMA.replace('&moisDateNaissance=6', ''), 'moisDateNaissance'],
    ['birth date in the future', EMMA.replace('anneeDateNaissance=2005', 'anneeDateNaissance=2099'), 'anneeDateNaissance'],
    ['department without the commune name', `${CHLOE}&codeCogInseeDepartementNaissance=59`, 'nomCommuneNaissance'],
  ];
  for (const [what, query, parameter] of invalid) {
    test(`422 00366: ${what}`, async () => {
      const res = await get(`/v3/mesri/statut_etudiant/identite?${RECIPIENT}&${query}`);
      assert.equal(res.statusCode, 422);
      const [error] = res.json().errors;
      assert.equal(error.code, '00366');
      assert.deepEqual(error.source, { parameter });
    });
  }

  test('Thierry LAMBERT → 404 25003; error triggers → 502 25999, 504 25002, 504 25001 (provider MESRI)', async () => {
    const res = await get(`/v3/mesri/statut_etudiant/identite?${RECIPIENT}&${THIERRY}`);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), {
      errors: [
        {
          code: '25003',
          title: 'Entité non trouvée',
          detail: "Aucun étudiant n'a pu être trouvé avec les critères de recherche fournis.",
          source: null,
          meta: { provider: 'MESRI' },
        },
      ],
    });
    for (const [query, status, code] of [
      ['nomNaissance=CHEVALIER&prenoms[]=NATHALIE&anneeDateNaissance=1972&moisDateNaissance=12&jourDateNaissance=17&sexeEtatCivil=F&codeCogInseeCommuneNaissance=13055', 502, '25999'],
      ['nomNaissance=ROBIN&prenoms[]=PASCAL&anneeDateNaissance=1965&moisDateNaissance=4&jourDateNaissance=8&sexeEtatCivil=M&codeCogInseeCommuneNaissance=67482', 504, '25002'],
      ['nomNaissance=MERCIER&prenoms[]=SYLVIE&anneeDateNaissance=1983&moisDateNaissance=6&jourDateNaissance=25&sexeEtatCivil=F&codeCogInseeCommuneNaissance=06088', 504, '25001'],
    ] as const) {
      const r = await get(`/v3/mesri/statut_etudiant/identite?${RECIPIENT}&${query}`);
      assert.equal(r.statusCode, status, code);
      assert.equal(r.json().errors[0].code, code);
      assert.deepEqual(r.json().errors[0].meta, { provider: 'MESRI' });
    }
  });
});

describe('MESRI /ine', () => {
  test('Emma PERRIN by INE → the same body', async () => {
    const res = await get(`/v3/mesri/statut_etudiant/ine?${RECIPIENT}&ine=0905012345A`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: EMMA_DATA, links: {}, meta: {} });
  });

  for (const [what, query] of [
    ['12345 (conformance check 8)', 'ine=12345'],
    ['12 characters', 'ine=0905012345AB'],
    ['missing', ''],
  ]) {
    test(`422 00360: INE ${what}`, async () => {
      const res = await get(`/v3/mesri/statut_etudiant/ine?${RECIPIENT}&${query}`);
      assert.equal(res.statusCode, 422);
      const [error] = res.json().errors;
      assert.equal(error.code, '00360');
      assert.equal(error.detail.length > 0, true);
      assert.deepEqual(error.source, { parameter: 'ine' });
    });
  }

  test('INE error triggers: 404, 502, 504 timeout, 504 unavailable', async () => {
    for (const [ine, status, code] of [
      ['0000000404A', 404, '25003'],
      ['0000000502A', 502, '25999'],
      ['0000000504A', 504, '25002'],
      ['0000000503A', 504, '25001'],
    ] as const) {
      const res = await get(`/v3/mesri/statut_etudiant/ine?${RECIPIENT}&ine=${ine}`);
      assert.equal(res.statusCode, status, ine);
      assert.equal(res.json().errors[0].code, code);
    }
  });
});

describe('MESRI /france_connect', () => {
  test('Emma’s FranceConnect token → admissions only (ADR 0022)', async () => {
    const res = await get(`/v3/mesri/statut_etudiant/france_connect?${RECIPIENT}`, 'emma_etudiante');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: { admissions: EMMA_ADMISSIONS }, links: {}, meta: {} });
  });

  test('Thierry LAMBERT and Hugo PERRIN → 404 25003 with the FranceConnect wording', async () => {
    for (const bearer of ['thierry_inconnu', 'hugo_perrin']) {
      const res = await get(`/v3/mesri/statut_etudiant/france_connect?${RECIPIENT}`, bearer);
      assert.equal(res.statusCode, 404, bearer);
      assert.deepEqual(res.json().errors[0], {
        code: '25003',
        title: 'Entité non trouvée',
        detail: "Aucun étudiant n'a pu être trouvé.",
        source: null,
        meta: { provider: 'MESRI' },
      });
    }
  });

  test('the identity reaches MESRI without country nor usage name, every first name kept', () => {
    const params = statutEtudiantFranceConnect.franceConnectParams?.({
      nomNaissance: 'DUVAL',
      nomUsage: 'BERTIN',
      prenoms: ['Sophie', 'Claire'],
      anneeDateNaissance: 1979,
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      codeCogInseeCommuneNaissance: '31555',
    });
    assert.deepEqual(params, { nomNaissance: 'DUVAL', prenoms: ['Sophie', 'Claire'], anneeDateNaissance: 1979, sexeEtatCivil: 'F', codeCogInseeCommuneNaissance: '31555' });
  });
});

describe('MESRI masking (CONTRACT §3.2, §8.2)', () => {
  const pick = (keys: string[]) =>
    EMMA_ADMISSIONS.map((a) => Object.fromEntries(keys.map((k) => [k, a[k as keyof typeof a]])));
  const expectations: Record<string, unknown> = {
    mesri_identite: { identite: EMMA_DATA.identite },
    mesri_admissions: { admissions: pick(['date_debut', 'date_fin']) },
    mesri_admission_inscrit: { admissions: pick(['est_inscrit']) },
    mesri_admission_regime_formation: { admissions: pick(['regime_formation']) },
    mesri_admission_commune_etudes: { admissions: pick(['code_cog_insee_commune']) },
    mesri_admission_etablissement_etudes: { admissions: pick(['etablissement_etudes']) },
    mesri_inscription: { admissions: pick(['date_debut', 'date_fin', 'est_inscrit']) },
    mesri_regime: { admissions: pick(['regime_formation']) },
    mesri_etablissements: { admissions: pick(['code_cog_insee_commune', 'etablissement_etudes']) },
    mesri_inscription_etudiant: { admissions: pick(['date_debut', 'date_fin', 'est_inscrit', 'regime_formation']) },
    mesri_inscription_autre: { admissions: pick(['date_debut', 'date_fin', 'est_inscrit', 'regime_formation']) },
    mesri_admission: { admissions: pick(['date_debut', 'date_fin', 'est_inscrit', 'regime_formation']) },
  };
  test('each of the 12 accepted scopes alone opens the route and exactly its fields', async () => {
    for (const [scope, data] of Object.entries(expectations)) {
      const res = await get(`/v3/mesri/statut_etudiant/ine?${RECIPIENT}&ine=0905012345A`, await t.token({ scopes: [scope] }));
      assert.equal(res.statusCode, 200, scope);
      assert.deepEqual(res.json().data, data, scope);
    }
  });

  test('the six v3 scopes together give the whole body', async () => {
    const scopes = ['mesri_identite', 'mesri_admissions', 'mesri_admission_inscrit', 'mesri_admission_regime_formation', 'mesri_admission_commune_etudes', 'mesri_admission_etablissement_etudes'];
    const res = await get(`/v3/mesri/statut_etudiant/identite?${RECIPIENT}&${EMMA}`, await t.token({ scopes }));
    assert.deepEqual(res.json().data, EMMA_DATA);
  });

  test('mesri_identifiant is not a v3 scope (no INE in the v3 body): a token cannot carry it', async () => {
    await assert.rejects(t.token({ scopes: ['mesri_identifiant'] }));
  });
});
