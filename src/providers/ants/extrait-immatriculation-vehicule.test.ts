/**
 * ANTS extrait d'immatriculation through the real app (CONTRACT §1.3 route 35, §3.2, §5): cast
 * FranceConnect tokens, the plate format, the 404, masking by the five ANTS scopes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';

const ROUTE = '/v3/ants/extrait_immatriculation_vehicule/france_connect?recipient=13002526500013';

let t: TestApp;
before(async () => {
  // No token cache: the masking test registers the cast's FranceConnect client id mid-file.
  t = await testApp({ env: { DEMO_TOKEN: 'true', TOKEN_CACHE_TTL_MS: '0' } });
});
after(async () => t.close());

async function get(bearer: string, immatriculation?: string) {
  const query = immatriculation === undefined ? '' : `&immatriculation=${encodeURIComponent(immatriculation)}`;
  const res = await t.app.server.inject({ method: 'GET', url: `${ROUTE}${query}`, headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.statusCode, body: res.json() as { data?: Record<string, unknown>; meta?: Record<string, unknown>; errors?: Array<Record<string, unknown>> } };
}

describe('ANTS extrait d’immatriculation (FranceConnect)', () => {
  test('Camille LEROY’s car GH-123-LY: full body, identity_matching in meta', async () => {
    const res = await get('camille_c2s', 'GH-123-LY');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      data: {
        identite_particulier: {
          nom: 'LEROY',
          prenom: 'CAMILLE',
          sexe_etat_civil: 'F',
          annee_date_naissance: 1988,
          mois_date_naissance: 3,
          jour_date_naissance: 14,
          code_departement_naissance: '69',
        },
        adresse_particulier: {
          complement_information: null,
          num_voie: '14',
          type_voie: 'RUE',
          libelle_voie: 'DES LILAS',
          code_postal_ville: '69003',
          libelle_commune: 'LYON',
          lieu_dit: null,
          etage_escalier_appartement: null,
          extension: null,
          pays: 'FRANCE',
        },
        statut_rattachement: 'titulaire',
        donnees_immatriculation_vehicule: {
          numero_immatriculation: 'GH-123-LY',
          date_premiere_immatriculation: '2021-06-18',
          statut_location: { code: null, label: null },
        },
        caracteristiques_techniques_vehicule: {
          marque: 'RENAULT',
          type_variante_version: 'BJA1X0MH5YXB1',
          denomination_commerciale: 'CLIO',
          masse_charge_maximale: 1588,
          categorie_vehicule: { code: 'M1', label: 'Véhicule de transport de personnes comportant au maximum 8 places assises outre le siège du conducteur' },
          genre_national: { code: 'VP', label: 'Véhicule Particulier' },
          cylindree: 999,
          type_carburant: { code: 'ES', label: 'Essence' },
          taux_co2: 118,
          classe_environnementale: { code: 'Euro 6d', label: "Norme européenne d'émission Euro 6d" },
        },
      },
      links: {},
      meta: { identity_matching: { family_name: 1, given_name: 1, birth_date: 1, overall_match: true } },
    });
  });

  test('Hugo’s leased car; a holder who is not the connected citizen (overall_match false)', async () => {
    const leased = await get('hugo_perrin', 'HP-275-LD');
    assert.equal(leased.body.data?.statut_rattachement, 'locataire');
    assert.deepEqual((leased.body.data?.donnees_immatriculation_vehicule as { statut_location: unknown }).statut_location, { code: 'LLD', label: 'Location Longue Durée' });
    const other = await get('camille_c2s', 'LR-820-PA');
    assert.deepEqual(other.body.meta, { identity_matching: { family_name: 1, given_name: 0, birth_date: 0, overall_match: false } });
  });

  test('cases are keyed by the plate only: another citizen gets the same answer', async () => {
    assert.deepEqual((await get('thierry_inconnu', 'GH-123-LY')).body, (await get('camille_c2s', 'GH-123-LY')).body);
  });

  test('an old FNI number is accepted', async () => {
    const res = await get('julien_morel', '6420 VK 69');
    assert.equal(res.status, 200);
    assert.equal((res.body.data?.donnees_immatriculation_vehicule as { numero_immatriculation: string }).numero_immatriculation, '6420 VK 69');
  });

  test('unknown plate → 404 42003, provider ANTS (conformance check 13’s shape)', async () => {
    for (const plate of ['XX-404-XX', 'XX-404-FC']) {
      const res = await get('thierry_inconnu', plate);
      assert.equal(res.status, 404, plate);
      assert.deepEqual(res.body.errors, [
        {
          code: '42003',
          title: 'Entité non trouvée',
          detail:
            "Le ou les paramètre(s) d'entrée n'existent pas, ne sont pas connus, ou ne comportent aucune information pour cet appel. Veuillez vérifier que votre recherche est couverte par le périmètre de l'API.",
          source: null,
          meta: { provider: 'ANTS' },
        },
      ]);
    }
  });

  test('immatriculation missing or malformed → 422 00301 on immatriculation', async () => {
    for (const plate of [undefined, '', 'gh-123-ly', 'GH123LY', 'GH-000-LY', 'GO-123-LY', 'GH-123-L', '12345 AB 75', '123 AB 00']) {
      const res = await get('camille_c2s', plate);
      assert.equal(res.status, 422, String(plate));
      assert.deepEqual(
        res.body.errors?.map((e) => [e.code, (e.source as { parameter: string }).parameter]),
        [['00301', 'immatriculation']],
        String(plate),
      );
    }
  });

  test('an API token is not a FranceConnect token → 401', async () => {
    const res = await get(await t.token(), 'GH-123-LY');
    assert.deepEqual([res.status, res.body.errors?.[0]?.code], [401, '00101']);
  });

  // Last: registering the cast's client id attributes every later cast call to this narrow record.
  test('masking: the record’s ANTS scopes ∩ FranceConnect’s unlock exactly their data blocks; meta is kept', async () => {
    await t.app.services.tokens.create({
      scopes: ['ants_extrait_immatriculation_vehicule_statut_rattachement', 'ants_extrait_immatriculation_vehicule_donnees_immatriculation_vehicule'],
      modalities: ['france_connect'],
      fcClientIds: ['sandbox-franceconnect-client'],
      name: 'Préfecture (test)',
    });
    const res = await get('camille_c2s', 'GH-123-LY');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.data ?? {}).sort(), ['donnees_immatriculation_vehicule', 'statut_rattachement']);
    assert.equal((res.body.meta?.identity_matching as { overall_match: boolean }).overall_match, true);
  });
});
