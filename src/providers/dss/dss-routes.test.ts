/**
 * The CAF/MSA routes of the DSS provider through the real app (CONTRACT §1.3 routes 1, 2, 5–16):
 * full 200 bodies from the cast, FranceConnect with cast tokens, the quotient familial period rules,
 * masking by scope, and the 404 and CNAV failures of the sandbox cases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { quotientFamilialPeriodRules } from './quotient-familial-period.ts';

const RECIPIENT = 'recipient=13002526500013';
const CAMILLE = 'nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
const SOPHIE = 'nomNaissance=DUVAL&nomUsage=BERTIN&prenoms[]=SOPHIE&prenoms[]=CLAIRE&prenoms[]=MARIE&anneeDateNaissance=1979&moisDateNaissance=9&jourDateNaissance=3&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=31555';
const NOE = 'nomNaissance=BERTIN&prenoms[]=NOE&anneeDateNaissance=2014&moisDateNaissance=4&jourDateNaissance=12&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=31555';
const MARC = 'nomNaissance=FONTAINE&prenoms[]=MARC&prenoms[]=OLIVIER&anneeDateNaissance=1969&moisDateNaissance=7&jourDateNaissance=21&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=33063';
const ELENA = 'nomNaissance=MORENO&prenoms[]=ELENA&anneeDateNaissance=1992&moisDateNaissance=5&jourDateNaissance=9&sexeEtatCivil=F&codeCogInseePaysNaissance=99134';
const JULIEN = 'nomNaissance=MOREL&prenoms[]=JULIEN&prenoms[]=PIERRE&anneeDateNaissance=1981&moisDateNaissance=1&jourDateNaissance=30&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&nomCommuneNaissance=Villeurbanne&codeCogInseeDepartementNaissance=69';
const MARTINE = 'nomNaissance=BRUNET&nomUsage=ROUSSEL&prenoms[]=MARTINE&prenoms[]=ODILE&anneeDateNaissance=1970&moisDateNaissance=8&jourDateNaissance=12&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=15014';
const THIERRY = 'nomNaissance=LAMBERT&prenoms[]=THIERRY&anneeDateNaissance=1960&moisDateNaissance=2&jourDateNaissance=29&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=21231';
const FAILURES = {
  '37999': 'nomNaissance=CHEVALIER&prenoms[]=NATHALIE&anneeDateNaissance=1972&moisDateNaissance=12&jourDateNaissance=17&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=13055',
  '37002': 'nomNaissance=ROBIN&prenoms[]=PASCAL&anneeDateNaissance=1965&moisDateNaissance=4&jourDateNaissance=8&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=67482',
  '37001': 'nomNaissance=MERCIER&prenoms[]=SYLVIE&anneeDateNaissance=1983&moisDateNaissance=6&jourDateNaissance=25&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=06088',
  '37008': 'nomNaissance=BLANC&prenoms[]=ANTOINE&anneeDateNaissance=1990&moisDateNaissance=10&jourDateNaissance=11&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=34172',
} as const;

const person = (nom_naissance: string, nom_usage: string | null, prenoms: string, date_naissance: string, sexe: 'F' | 'M') => ({
  nom_naissance,
  nom_usage,
  prenoms,
  date_naissance,
  sexe,
});
const camille = person('LEROY', null, 'CAMILLE ANNE', '1988-03-14', 'F');
const hugo = person('PERRIN', null, 'HUGO MARCEL', '1975-11-02', 'M');
const enfantsLeroy = [person('PERRIN', null, 'LEO', '2012-09-05', 'M'), person('PERRIN', null, 'INES', '2023-01-18', 'F')];
const adresseLeroy = {
  destinataire: 'MADAME CAMILLE LEROY',
  complement_information: 'APPARTEMENT 32',
  complement_information_geographique: 'RESIDENCE LES CHARMILLES BATIMENT B',
  numero_libelle_voie: '18 RUE DES TISSERANDS',
  lieu_dit: null,
  code_postal_ville: '69007 LYON',
  pays: 'FRANCE',
};
const qfLeroy = {
  allocataires: [camille, hugo],
  enfants: enfantsLeroy,
  adresse: adresseLeroy,
  quotient_familial: { fournisseur: 'CNAF', valeur: 868, annee: 2026, mois: 11, annee_calcul: 2026, mois_calcul: 1 },
};
const ok = (data: unknown) => ({ data, links: {}, meta: {} });

let t: TestApp;
let all: string;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
  all = await t.token();
});
after(async () => t.close());

const get = async (url: string, token: string = all) => {
  const res = await t.app.server.inject({ url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
};
const errorItem = (body: Record<string, unknown>) => (body.errors as Array<Record<string, unknown>>)[0];

describe('quotient familial (routes 1 and 2)', () => {
  test('identite: the LEROY/PERRIN household, CNAF, current month — full body, cached 24 h', async () => {
    const res = await get(`/v3/dss/quotient_familial/identite?${RECIPIENT}&${CAMILLE}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, ok(qfLeroy));
    assert.equal(res.headers['x-response-cached'], 'false');
  });

  test('identite: the MSA household, with a usage name and a rural address', async () => {
    const res = await get(`/v3/dss/quotient_familial/identite?${RECIPIENT}&${MARTINE}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, ok({
      allocataires: [person('BRUNET', 'ROUSSEL', 'MARTINE ODILE', '1970-08-12', 'F'), person('ROUSSEL', null, 'GERARD JEAN', '1968-02-03', 'M')],
      enfants: [person('ROUSSEL', null, 'LUCAS', '2009-05-20', 'M'), person('ROUSSEL', null, 'CHLOE', '2012-10-07', 'F')],
      adresse: {
        destinataire: 'MADAME MARTINE ROUSSEL',
        complement_information: null,
        complement_information_geographique: 'FERME DU PUECH',
        numero_libelle_voie: null,
        lieu_dit: 'LE PUECH HAUT',
        code_postal_ville: '15130 YTRAC',
        pays: 'FRANCE',
      },
      quotient_familial: { fournisseur: 'MSA', valeur: 704, annee: 2026, mois: 11, annee_calcul: 2026, mois_calcul: 11 },
    }));
  });

  test('FranceConnect: camille_c2s gets the same household; Emma, adult, has no file (404 23003)', async () => {
    assert.deepEqual((await get(`/v3/dss/quotient_familial/france_connect?${RECIPIENT}`, 'camille_c2s')).body, ok(qfLeroy));
    const emma = await get(`/v3/dss/quotient_familial/france_connect?${RECIPIENT}`, 'emma_etudiante');
    assert.equal(emma.status, 404);
    assert.deepEqual(emma.body, {
      errors: [{ code: '23003', title: 'Dossier allocataire absent CNAF', detail: "Le dossier allocataire n'a pas été trouvé auprès de la CNAF.", source: null, meta: { provider: 'CNAF' } }],
    });
  });

  test('history: annee=2025&mois=12 answers December 2025 on both modalities while it is within 24 months', async () => {
    const inWindow = quotientFamilialPeriodRules({ annee: 2025, mois: 12 }).length === 0; // until December 2027
    for (const [url, token] of [
      [`/v3/dss/quotient_familial/identite?${RECIPIENT}&${CAMILLE}&annee=2025&mois=12`, all],
      [`/v3/dss/quotient_familial/france_connect?${RECIPIENT}&annee=2025&mois=12`, 'camille_c2s'],
    ] as const) {
      const res = await get(url, token);
      if (inWindow) {
        assert.equal(res.status, 200, url);
        assert.deepEqual(res.body, ok({ ...qfLeroy, quotient_familial: { fournisseur: 'CNAF', valeur: 812, annee: 2025, mois: 12, annee_calcul: 2025, mois_calcul: 1 } }));
      } else {
        assert.equal(res.status, 422, url);
        assert.deepEqual(errorItem(res.body)?.source, { parameter: 'annee' });
      }
    }
  });

  const nextYear = new Date().getFullYear() + 1;
  const rules: Array<[string, string, string]> = [
    [`annee=${nextYear}`, 'annee', 'dans le futur'], // CONTRACT §9 check 16
    [`annee=${nextYear - 4}`, 'annee', 'trop ancienne'], // three years back
    ['mois=13', 'mois', 'inférieur ou égal à 12'],
    ['mois=0', 'mois', 'supérieur ou égal à 1'],
    ['annee=deux-mille', 'annee', 'nombre entier'],
  ];
  for (const [query, parameter, words] of rules) {
    test(`422 00301 on ${query}, both modalities`, async () => {
      for (const [url, token] of [
        [`/v3/dss/quotient_familial/identite?${RECIPIENT}&${CAMILLE}&${query}`, all],
        [`/v3/dss/quotient_familial/france_connect?${RECIPIENT}&${query}`, 'camille_c2s'],
      ] as const) {
        const res = await get(url, token);
        assert.equal(res.status, 422, url);
        const item = errorItem(res.body);
        assert.deepEqual([item?.code, item?.title, item?.source, item?.meta], ['00301', 'Entité non traitable', { parameter }, {}], url);
        assert.ok(String(item?.detail).includes(words), String(item?.detail));
      }
    });
  }

  test('a civility param keeps 00366 on the same route; both problems are listed', async () => {
    const res = await get(`/v3/dss/quotient_familial/identite?${RECIPIENT}&${CAMILLE}&prenoms[]=X&prenoms[]=Y&mois=14`);
    assert.equal(res.status, 422);
    const items = (res.body.errors as Array<{ code: string; source: { parameter: string } }>).map((i) => [i.code, i.source.parameter]);
    assert.deepEqual(items.sort(), [['00301', 'mois'], ['00366', 'prenoms[]']]);
  });

  test('masking: each cnaf_* scope unlocks exactly its block', async () => {
    for (const [scope, key] of [
      ['cnaf_quotient_familial', 'quotient_familial'],
      ['cnaf_allocataires', 'allocataires'],
      ['cnaf_enfants', 'enfants'],
      ['cnaf_adresse', 'adresse'],
    ] as const) {
      const res = await get(`/v3/dss/quotient_familial/identite?${RECIPIENT}&${CAMILLE}`, await t.token({ scopes: [scope] }));
      assert.deepEqual(res.body.data, { [key]: qfLeroy[key] }, scope);
    }
  });
});

describe('status routes (AAH, AEEH, ASF, prime d’activité, RSA)', () => {
  const cases: Array<[string, string, string, unknown]> = [
    ['allocation_adulte_handicape', ELENA, 'elena_nee_a_l_etranger', { est_beneficiaire: true, date_debut_droit: '2019-04-01' }],
    ['allocation_adulte_handicape', MARC, 'marc_non_beneficiaire', { est_beneficiaire: false, date_debut_droit: null }],
    ['allocation_enfant_handicape', SOPHIE, 'sophie_nom_usage', { status: 'allocataire', date_debut_droit: '2017-09-01' }],
    ['allocation_enfant_handicape', CAMILLE, 'camille_c2s', { status: 'non_beneficiaire', date_debut_droit: null }],
    ['allocation_soutien_familial', SOPHIE, 'sophie_nom_usage', { est_beneficiaire: true, date_debut_droit: '2021-02-01' }],
    ['prime_activite', CAMILLE, 'camille_c2s', { est_beneficiaire: true, avec_majoration: false, date_debut_droit: '2025-03-01' }],
    ['prime_activite', SOPHIE, 'sophie_nom_usage', { est_beneficiaire: true, avec_majoration: true, date_debut_droit: '2022-10-01' }],
    ['prime_activite', MARC, 'marc_non_beneficiaire', { est_beneficiaire: false, avec_majoration: null, date_debut_droit: null }],
    ['revenu_solidarite_active', ELENA, 'elena_nee_a_l_etranger', { est_beneficiaire: true, avec_majoration: true, date_debut_droit: '2024-02-01' }],
    ['revenu_solidarite_active', JULIEN, 'julien_morel', { est_beneficiaire: true, avec_majoration: false, date_debut_droit: '2025-09-01' }],
  ];
  for (const [api, query, fcToken, data] of cases) {
    test(`${api}: ${fcToken} on /identite and /france_connect`, async () => {
      const identite = await get(`/v3/dss/${api}/identite?${RECIPIENT}&${query}`);
      assert.equal(identite.status, 200);
      assert.deepEqual(identite.body, ok(data));
      assert.equal(identite.headers['x-response-cached'], 'false');
      const franceConnect = await get(`/v3/dss/${api}/france_connect?${RECIPIENT}`, fcToken);
      assert.equal(franceConnect.status, 200);
      assert.deepEqual(franceConnect.body, ok(data));
    });
  }

  test('AEEH: the child is ouvrant_droit', async () => {
    assert.deepEqual((await get(`/v3/dss/allocation_enfant_handicape/identite?${RECIPIENT}&${NOE}`)).body, ok({ status: 'ouvrant_droit', date_debut_droit: '2017-09-01' }));
  });

  test('RSA without revenu_solidarite_active_majoration has no avec_majoration key (CONTRACT §9 check 6)', async () => {
    const res = await get(`/v3/dss/revenu_solidarite_active/identite?${RECIPIENT}&${ELENA}`, await t.token({ scopes: ['revenu_solidarite_active'] }));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, ok({ est_beneficiaire: true, date_debut_droit: '2024-02-01' }));
    const majoration = await get(`/v3/dss/revenu_solidarite_active/identite?${RECIPIENT}&${ELENA}`, await t.token({ scopes: ['revenu_solidarite_active_majoration'] }));
    assert.deepEqual(majoration.body, ok({ avec_majoration: true }));
  });

  test('prime d’activité without prime_activite_majoration has no avec_majoration key', async () => {
    const res = await get(`/v3/dss/prime_activite/identite?${RECIPIENT}&${SOPHIE}`, await t.token({ scopes: ['prime_activite'] }));
    assert.deepEqual(res.body, ok({ est_beneficiaire: true, date_debut_droit: '2022-10-01' }));
  });

  test('a token without any of the route’s scopes → 403 00100 (CONTRACT §9 check 5)', async () => {
    const res = await get(`/v3/dss/revenu_solidarite_active/identite?${RECIPIENT}&${ELENA}`, await t.token({ scopes: ['allocation_enfant_handicape'] }));
    assert.equal(res.status, 403);
    assert.equal(errorItem(res.body)?.code, '00100');
  });

  test('a malformed civility param → 422 00366', async () => {
    const res = await get(`/v3/dss/allocation_soutien_familial/identite?${RECIPIENT}&${SOPHIE.replace('sexeEtatCivil=F', 'sexeEtatCivil=X')}`);
    assert.equal(res.status, 422);
    assert.deepEqual([errorItem(res.body)?.code, errorItem(res.body)?.source], ['00366', { parameter: 'sexeEtatCivil' }]);
  });
});

describe('participation familiale EAJE (routes 15 and 16)', () => {
  const withCog = <T extends object>(p: T, cog: string | null) => ({ ...p, code_cog_insee_commune_naissance: cog });
  const eaje = {
    allocataires: [withCog(camille, '69123'), withCog(hugo, null)],
    enfants: enfantsLeroy.map((e) => withCog(e, null)),
    adresse: adresseLeroy,
    parametres_calcul_participation_familiale: {
      nombre_enfants_a_charge: 2,
      nombre_enfants_beneficiaire_aeeh: 0,
      base_ressources_annuelles: { valeur: 41230, annee_calcul: 2024 },
    },
  };

  test('identite and FranceConnect: the LEROY/PERRIN household, birth commune for the caller only', async () => {
    assert.deepEqual((await get(`/v3/dss/participation_familiale_eaje/identite?${RECIPIENT}&${CAMILLE}`)).body, ok(eaje));
    assert.deepEqual((await get(`/v3/dss/participation_familiale_eaje/france_connect?${RECIPIENT}`, 'camille_c2s')).body, ok(eaje));
    const hugoFirst = (await get(`/v3/dss/participation_familiale_eaje/france_connect?${RECIPIENT}`, 'hugo_perrin')).body.data as typeof eaje;
    assert.deepEqual(hugoFirst.allocataires, [withCog(hugo, '59350'), withCog(camille, null)]);
  });

  test('masking: cnav_participation_familiale_eaje_* scopes', async () => {
    const token = await t.token({ scopes: ['cnav_participation_familiale_eaje_enfants', 'cnav_participation_familiale_eaje_parametres_calcul'] });
    const res = await get(`/v3/dss/participation_familiale_eaje/identite?${RECIPIENT}&${CAMILLE}`, token);
    assert.deepEqual(res.body.data, { enfants: eaje.enfants, parametres_calcul_participation_familiale: eaje.parametres_calcul_participation_familiale });
  });

  test('not found: 37003, worded per modality as the official file does', async () => {
    const identite = await get(`/v3/dss/participation_familiale_eaje/identite?${RECIPIENT}&${THIERRY}`);
    assert.equal(identite.status, 404);
    assert.deepEqual(identite.body, {
      errors: [{ code: '37003', title: 'Entité non trouvée', detail: 'Dossier allocataire inexistant. Le document ne peut être édité.', source: null, meta: { provider: 'CNAV' } }],
    });
    const franceConnect = await get(`/v3/dss/participation_familiale_eaje/france_connect?${RECIPIENT}`, 'thierry_inconnu');
    assert.equal(errorItem(franceConnect.body)?.detail, 'Dossier allocataire inexistant.');
  });
});

describe('404 and CNAV failures of the cast, on every route', () => {
  const apis = ['quotient_familial', 'allocation_adulte_handicape', 'allocation_enfant_handicape', 'allocation_soutien_familial', 'prime_activite', 'revenu_solidarite_active'];
  const notReferenced = { code: '35003', title: 'Allocataire non référencé', detail: "L'allocataire n'est pas référencé auprès des caisses éligibles", source: null, meta: { provider: 'CNAF & MSA' } };

  for (const api of apis) {
    test(`${api}: Thierry LAMBERT → 404 35003 on both modalities`, async () => {
      const identite = await get(`/v3/dss/${api}/identite?${RECIPIENT}&${THIERRY}`);
      assert.equal(identite.status, 404);
      assert.deepEqual(identite.body, { errors: [notReferenced] });
      const franceConnect = await get(`/v3/dss/${api}/france_connect?${RECIPIENT}`, 'thierry_inconnu');
      assert.equal(franceConnect.status, 404);
      assert.deepEqual(franceConnect.body, { errors: [notReferenced] });
    });
  }

  for (const api of [...apis, 'participation_familiale_eaje']) {
    test(`${api}: 502 37999, 504 37002 / 37001 / 37008 with meta.provider CNAV`, async () => {
      for (const [code, query] of Object.entries(FAILURES)) {
        const res = await get(`/v3/dss/${api}/identite?${RECIPIENT}&${query}`);
        assert.equal(res.status, code === '37999' ? 502 : 504, code);
        assert.deepEqual([errorItem(res.body)?.code, errorItem(res.body)?.source, errorItem(res.body)?.meta], [code, null, { provider: 'CNAV' }]);
      }
    });
  }
});
