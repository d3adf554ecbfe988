/**
 * Cnous étudiant boursier through the real app (CONTRACT §1.3 routes 17–22): the shipped cast, the
 * Cnous param rules (Family B: sex optional, no country), the INE format (00360), FranceConnect
 * (no `identite`, v3 first names as one string) and the CONTRACT §3.2 masking.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { boursierV3FranceConnect, boursierV4FranceConnect } from './etudiant-boursier.ts';

const RECIPIENT = 'recipient=13002526500013';
const EMMA = 'nomNaissance=PERRIN&prenoms[]=EMMA&prenoms[]=LOUISE&anneeDateNaissance=2005&moisDateNaissance=6&jourDateNaissance=23&sexeEtatCivil=F&codeCogInseeCommuneNaissance=59350';
const LUCAS = 'nomNaissance=GARNIER&prenoms[]=LUCAS&prenoms[]=THEO&anneeDateNaissance=2003&moisDateNaissance=2&jourDateNaissance=14&codeCogInseeCommuneNaissance=35238';
const CHLOE = 'nomNaissance=ROUSSEAU&prenoms[]=CHLOE&anneeDateNaissance=2004&moisDateNaissance=10&jourDateNaissance=7&sexeEtatCivil=F';
const YANIS = 'nomNaissance=BENALI&prenoms[]=YANIS&prenoms[]=KARIM&anneeDateNaissance=2006&moisDateNaissance=3&jourDateNaissance=30&sexeEtatCivil=M&nomCommuneNaissance=Amiens&codeCogInseeDepartementNaissance=80';
const THIERRY = 'nomNaissance=LAMBERT&prenoms[]=THIERRY&anneeDateNaissance=1960&moisDateNaissance=2&jourDateNaissance=29&sexeEtatCivil=M&codeCogInseeCommuneNaissance=21231';

const EMMA_BLOCKS = {
  periode_versement_bourse: { date_rentree: '2026-09-01', duree: 10 },
  etablissement_etudes: { nom_commune: 'Lille', nom_etablissement: 'Université de Lille' },
  echelon_bourse: { echelon: '4', echelon_bourse_regionale_provisoire: false },
  email: 'emma.perrin@etu.example.org',
};
const EMMA_IDENTITE = { nom: 'PERRIN', prenoms: ['EMMA', 'LOUISE'], date_naissance: '2005-06-23', nom_commune_naissance: 'Lille', sexe: 'F' };
const EMMA_V3 = { ...EMMA_BLOCKS, est_boursier: true, identite: EMMA_IDENTITE };
const EMMA_V4 = { statut_boursier: { est_boursier: true, est_radie: false, date_radiation: null }, ...EMMA_BLOCKS, identite: EMMA_IDENTITE };

let t: TestApp;
let token: string;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
  token = await t.token();
});
after(async () => t.close());

const get = (url: string, bearer = token) => t.app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

describe('Cnous /identite', () => {
  test('v3: Emma PERRIN, boursière échelon 4 → the full body', async () => {
    const res = await get(`/v3/cnous/etudiant_boursier/identite?${RECIPIENT}&${EMMA}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: EMMA_V3, links: {}, meta: {} });
  });

  test('v4: Emma PERRIN → statut_boursier instead of est_boursier', async () => {
    const res = await get(`/v4/cnous/etudiant_boursier/identite?${RECIPIENT}&${EMMA}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: EMMA_V4, links: {}, meta: {} });
  });

  test('v4: Lucas GARNIER, radié, found without sexeEtatCivil (optional for Cnous)', async () => {
    const res = await get(`/v4/cnous/etudiant_boursier/identite?${RECIPIENT}&${LUCAS}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().data.statut_boursier, { est_boursier: false, est_radie: true, date_radiation: '2026-10-15' });
    const v3 = await get(`/v3/cnous/etudiant_boursier/identite?${RECIPIENT}&${LUCAS}&sexeEtatCivil=M`);
    assert.equal(v3.json().data.est_boursier, false);
  });

  test('born abroad: no commune param at all; by name: commune + department', async () => {
    const chloe = await get(`/v4/cnous/etudiant_boursier/identite?${RECIPIENT}&${CHLOE}`);
    assert.equal(chloe.statusCode, 200);
    assert.equal(chloe.json().data.echelon_bourse.echelon, '0bis');
    assert.equal(chloe.json().data.identite.nom_commune_naissance, 'Bruxelles (Belgique)');
    const yanis = await get(`/v3/cnous/etudiant_boursier/identite?${RECIPIENT}&${YANIS}`);
    assert.equal(yanis.statusCode, 200);
    assert.deepEqual(yanis.json().data.echelon_bourse, { echelon: '3', echelon_bourse_regionale_provisoire: true });
  });

  test('nomUsage and codeCogInseePaysNaissance are not Cnous params: ignored, not an error', async () => {
    const res = await get(`/v3/cnous/etudiant_boursier/identite?${RECIPIENT}&${EMMA}&nomUsage=DUPONT&codeCogInseePaysNaissance=99100`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().data, EMMA_V3);
  });

  const invalid: Array<[string, string, string]> = [
    ['nomNaissance missing', EMMA.replace('nomNaissance=PERRIN&', ''), 'nomNaissance'],
    ['four first names', `${EMMA}&prenoms[]=A&prenoms[]=B`, 'prenoms[]'],
    ['birth day missing (required for Cnous)', EMMA.replace('&jourDateNaissance=23', ''), 'jourDateNaissance'],
    ['sex outside M/F', EMMA.replace('sexeEtatCivil=F', 'sexeEtatCivil=X'), 'sexeEtatCivil'],
    ['a date that does not exist', EMMA.replace('jourDateNaissance=23', 'jourDateNaissance=31').replace('moisDateNaissance=6', 'moisDateNaissance=2'), 'jourDateNaissance'],
    ['commune by name without its department', CHLOE + '&nomCommuneNaissance=Lille', 'codeCogInseeDepartementNaissance'],
    ['malformed commune code', EMMA.replace('59350', '5935'), 'codeCogInseeCommuneNaissance'],
  ];
  for (const [what, query, parameter] of invalid) {
    for (const version of ['v3', 'v4']) {
      test(`${version} 422 00366: ${what}`, async () => {
        const res = await get(`/${version}/cnous/etudiant_boursier/identite?${RECIPIENT}&${query}`);
        assert.equal(res.statusCode, 422);
        const [error] = res.json().errors;
        assert.equal(error.code, '00366');
        assert.equal(error.title, 'Entité non traitable');
        assert.deepEqual(error.source, { parameter });
      });
    }
  }

  test('v3 and v4: Thierry LAMBERT → 404 26003; the error triggers → 502/504 with provider CNOUS', async () => {
    for (const version of ['v3', 'v4']) {
      const res = await get(`/${version}/cnous/etudiant_boursier/identite?${RECIPIENT}&${THIERRY}`);
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), {
        errors: [
          {
            code: '26003',
            title: 'Entité non trouvée',
            detail: "Aucun étudiant boursier n'a pu être trouvé avec les critères de recherche fournis.",
            source: null,
            meta: { provider: 'CNOUS' },
          },
        ],
      });
    }
    const triggers: Array<[string, number, string]> = [
      ['nomNaissance=CHEVALIER&prenoms[]=NATHALIE&anneeDateNaissance=1972&moisDateNaissance=12&jourDateNaissance=17&sexeEtatCivil=F&codeCogInseeCommuneNaissance=13055', 502, '26999'],
      ['nomNaissance=ROBIN&prenoms[]=PASCAL&anneeDateNaissance=1965&moisDateNaissance=4&jourDateNaissance=8&sexeEtatCivil=M&codeCogInseeCommuneNaissance=67482', 504, '26002'],
      ['nomNaissance=MERCIER&prenoms[]=SYLVIE&anneeDateNaissance=1983&moisDateNaissance=6&jourDateNaissance=25&sexeEtatCivil=F&codeCogInseeCommuneNaissance=06088', 504, '26001'],
    ];
    for (const [query, status, code] of triggers) {
      const res = await get(`/v3/cnous/etudiant_boursier/identite?${RECIPIENT}&${query}`);
      assert.equal(res.statusCode, status, code);
      assert.equal(res.json().errors[0].code, code);
      assert.deepEqual(res.json().errors[0].meta, { provider: 'CNOUS' });
    }
  });
});

describe('Cnous /ine', () => {
  test('v3 and v4: Emma PERRIN by INE → the same bodies as by civil status', async () => {
    const v3 = await get(`/v3/cnous/etudiant_boursier/ine?${RECIPIENT}&ine=0905012345A`);
    assert.equal(v3.statusCode, 200);
    assert.deepEqual(v3.json(), { data: EMMA_V3, links: {}, meta: {} });
    const v4 = await get(`/v4/cnous/etudiant_boursier/ine?${RECIPIENT}&ine=0905012345A`);
    assert.deepEqual(v4.json(), { data: EMMA_V4, links: {}, meta: {} });
  });

  test('an INE in the 9 digits + 2 letters format (Yanis BENALI, regional provisional grant)', async () => {
    const res = await get(`/v4/cnous/etudiant_boursier/ine?${RECIPIENT}&ine=240612345YB`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().data.echelon_bourse.echelon_bourse_regionale_provisoire, true);
  });

  for (const [what, query] of [
    ['too short', 'ine=12345'],
    ['not alphanumeric', 'ine=0905012345-'],
    ['missing', ''],
  ]) {
    test(`422 00360: INE ${what}`, async () => {
      for (const version of ['v3', 'v4']) {
        const res = await get(`/${version}/cnous/etudiant_boursier/ine?${RECIPIENT}&${query}`);
        assert.equal(res.statusCode, 422);
        const [error] = res.json().errors;
        assert.equal(error.code, '00360');
        assert.equal(error.title, 'Entité non traitable');
        assert.deepEqual(error.source, { parameter: 'ine' });
      }
    });
  }

  test('INE error triggers: 404 (per-route wording), 502, 504 timeout, 504 unavailable', async () => {
    const notFound = await get(`/v3/cnous/etudiant_boursier/ine?${RECIPIENT}&ine=0000000404A`);
    assert.equal(notFound.statusCode, 404);
    assert.match(notFound.json().errors[0].detail, /périmètre couvert par l'API/);
    for (const [ine, status, code] of [
      ['0000000502A', 502, '26999'],
      ['0000000504A', 504, '26002'],
      ['0000000503A', 504, '26001'],
    ] as const) {
      const res = await get(`/v4/cnous/etudiant_boursier/ine?${RECIPIENT}&ine=${ine}`);
      assert.equal(res.statusCode, status, ine);
      assert.equal(res.json().errors[0].code, code);
    }
  });
});

describe('Cnous /france_connect', () => {
  test('v3 with Emma’s FranceConnect token: no identite block', async () => {
    const res = await get(`/v3/cnous/etudiant_boursier/france_connect?${RECIPIENT}`, 'emma_etudiante');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: { ...EMMA_BLOCKS, est_boursier: true }, links: {}, meta: {} });
  });

  test('v4 with Emma’s FranceConnect token: statut_boursier, no identite block', async () => {
    const res = await get(`/v4/cnous/etudiant_boursier/france_connect?${RECIPIENT}`, 'emma_etudiante');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: { statut_boursier: EMMA_V4.statut_boursier, ...EMMA_BLOCKS }, links: {}, meta: {} });
  });

  test('Thierry LAMBERT and Hugo PERRIN (not a student) → 404 26003 with the FranceConnect wording', async () => {
    for (const bearer of ['thierry_inconnu', 'hugo_perrin']) {
      for (const version of ['v3', 'v4']) {
        const res = await get(`/${version}/cnous/etudiant_boursier/france_connect?${RECIPIENT}`, bearer);
        assert.equal(res.statusCode, 404, `${bearer} ${version}`);
        assert.deepEqual(res.json().errors[0], {
          code: '26003',
          title: 'Entité non trouvée',
          detail: "Aucun étudiant boursier n'a pu être trouvé.",
          source: null,
          meta: { provider: 'CNOUS' },
        });
      }
    }
  });

  test('the identity reaches Cnous without country nor usage name; v3 joins the first names', () => {
    const identity = {
      nomNaissance: 'DUVAL',
      nomUsage: 'BERTIN',
      prenoms: ['Sophie', 'Claire'],
      anneeDateNaissance: 1979,
      moisDateNaissance: 9,
      jourDateNaissance: 3,
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      codeCogInseeCommuneNaissance: '31555',
    };
    const { nomUsage: _u, codeCogInseePaysNaissance: _p, ...expected } = identity;
    assert.deepEqual(boursierV4FranceConnect.franceConnectParams?.(identity), expected);
    assert.deepEqual(boursierV3FranceConnect.franceConnectParams?.(identity), { ...expected, prenoms: 'Sophie Claire' });
  });
});

describe('Cnous masking (CONTRACT §3.2)', () => {
  test('each scope alone opens exactly its part of data (v4 /ine)', async () => {
    const expectations: Record<string, unknown> = {
      cnous_statut_boursier: { statut_boursier: EMMA_V4.statut_boursier },
      cnous_echelon_bourse: { echelon_bourse: { echelon: '4' } },
      cnous_statut_bourse: { echelon_bourse: { echelon_bourse_regionale_provisoire: false } },
      cnous_email: { email: EMMA_BLOCKS.email },
      cnous_periode_versement: { periode_versement_bourse: EMMA_BLOCKS.periode_versement_bourse },
      cnous_ville_etudes: { etablissement_etudes: EMMA_BLOCKS.etablissement_etudes },
      cnous_identite: { identite: EMMA_IDENTITE },
    };
    for (const [scope, data] of Object.entries(expectations)) {
      const res = await get(`/v4/cnous/etudiant_boursier/ine?${RECIPIENT}&ine=0905012345A`, await t.token({ scopes: [scope] }));
      assert.equal(res.statusCode, 200, scope);
      assert.deepEqual(res.json().data, data, scope);
    }
  });

  test('v3: without cnous_identite nor cnous_email, the rest is returned (production behaviour)', async () => {
    const scopes = ['cnous_statut_boursier', 'cnous_echelon_bourse', 'cnous_statut_bourse', 'cnous_periode_versement', 'cnous_ville_etudes'];
    const res = await get(`/v3/cnous/etudiant_boursier/identite?${RECIPIENT}&${EMMA}`, await t.token({ scopes }));
    const { identite: _i, email: _e, ...expected } = EMMA_V3;
    assert.deepEqual(res.json().data, expected);
  });

  test('a token without any Cnous scope → 403 00100', async () => {
    const res = await get(`/v3/cnous/etudiant_boursier/ine?${RECIPIENT}&ine=0905012345A`, await t.token({ scopes: ['complementaire_sante_solidaire'] }));
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().errors[0].code, '00100');
  });

  test('FranceConnect routes have no identite block, so cnous_identite is not one of their scopes', () => {
    for (const endpoint of [boursierV3FranceConnect, boursierV4FranceConnect]) {
      assert.equal('cnous_identite' in endpoint.masking, false, endpoint.path);
      assert.equal(Object.keys(endpoint.masking).length, 6, endpoint.path);
    }
  });
});
