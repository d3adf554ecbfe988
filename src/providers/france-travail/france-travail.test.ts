/**
 * France Travail statut and indemnités through the real app (CONTRACT §1.3 routes 25–26): the
 * `identifiant` rule (00380), the cast (Marc FONTAINE registered and paid, Claire ROUSSEL
 * deregistered), the 404 of conformance check 12 and the `pole_emploi_*` masking (CONTRACT §3.2).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { franceTravailErrors } from './errors.ts';
import { indemnitesIdentifiant } from './indemnites.ts';
import { franceTravail } from './manifest.ts';
import { statutIdentifiant } from './statut.ts';
import { documentedErrors } from '../../core/endpoint.ts';

const STATUT = '/v3/france_travail/statut/identifiant?recipient=13002526500013';
const INDEMNITES = '/v3/france_travail/indemnites/identifiant?recipient=13002526500013';

let t: TestApp;
let token: string;
let cases: LoadReport;
before(async () => {
  t = await testApp();
  token = await t.token();
  cases = await loadCaseDirectories([franceTravail.sandboxCasesDir as string]);
});
after(async () => t.close());

const get = (u: string, bearer = token) => t.app.server.inject({ url: u, headers: { authorization: `Bearer ${bearer}` } });
const withId = (route: string, identifiant: string) => `${route}&identifiant=${encodeURIComponent(identifiant)}`;

const MARC = {
  identifiant: 'marc.fontaine',
  identite: { civilite: 'M.', nom_naissance: 'FONTAINE', nom_usage: null, prenom: 'MARC', sexe: 'Masculin', date_naissance: '1969-07-21' },
  contact: { telephone: '0639980142', telephone2: null, email: 'marc.fontaine@example.org' },
  adresse: {
    code_postal: '33000',
    code_cog_insee_commune: '33063',
    localite: '33000 BORDEAUX',
    ligne_voie: '7 IMPASSE DES VENDANGEURS',
    ligne_complement_destinataire: null,
    ligne_complement_adresse: null,
    ligne_complement_distribution: null,
    ligne_nom: 'MONSIEUR MARC FONTAINE',
  },
  inscription: {
    date_debut: '2025-03-17',
    date_fin: null,
    categorie: { code: 1, libelle: 'PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PLEIN TPS' },
    code_certification_cnav: 'VC',
  },
};

describe('France Travail statut', () => {
  test('Marc FONTAINE, registered: the full body', async () => {
    const res = await get(withId(STATUT, 'marc.fontaine'));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: MARC, links: {}, meta: {} });
  });

  test('Claire ROUSSEL, deregistered: an end date and no CNAV certification', async () => {
    const res = await get(withId(STATUT, 'claire.roussel'));
    assert.equal(res.statusCode, 200);
    const { inscription, identite } = res.json().data;
    assert.equal(inscription.date_fin, '2025-06-30');
    assert.equal(inscription.code_certification_cnav, null);
    assert.equal(identite.nom_usage, 'MARCHAND');
  });

  test('identifiant=not_found → 404 24003 with meta.provider "France Travail" (conformance check 12)', async () => {
    const res = await get(withId(STATUT, 'not_found'));
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), {
      errors: [{ code: '24003', title: 'Entité non trouvée', detail: franceTravailErrors.notFound.detail, source: null, meta: { provider: 'France Travail' } }],
    });
  });

  test('masking: each pole_emploi_* scope opens its block only', async () => {
    const partial = await t.token({ scopes: ['pole_emploi_identite', 'pole_emploi_inscription'] });
    const res = await get(withId(STATUT, 'marc.fontaine'), partial);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().data, { identite: MARC.identite, inscription: MARC.inscription });
    const idOnly = await t.token({ scopes: ['pole_emploi_identifiant'] });
    assert.deepEqual((await get(withId(STATUT, 'marc.fontaine'), idOnly)).json().data, { identifiant: 'marc.fontaine' });
  });

  test('pole_emploi_paiements alone does not open the statut route (403 00100)', async () => {
    const res = await get(withId(STATUT, 'marc.fontaine'), await t.token({ scopes: ['pole_emploi_paiements'] }));
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().errors[0].code, '00100');
  });
});

describe('France Travail indemnités', () => {
  test('Marc FONTAINE: three payments, the full body', async () => {
    const res = await get(withId(INDEMNITES, 'marc.fontaine'));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      data: {
        identifiant: 'marc.fontaine',
        paiements: [
          { date_versement: '2025-10-03', montant_total: 1208.23, montant_allocations: 1245.6, montant_aides: 0, montant_autres: 0 },
          { date_versement: '2025-11-04', montant_total: 1398.51, montant_allocations: 1287.12, montant_aides: 150, montant_autres: 0 },
          { date_versement: '2025-12-03', montant_total: 1360.68, montant_allocations: 1245.6, montant_aides: 0, montant_autres: 152.45 },
        ],
      },
      links: {},
      meta: {},
    });
  });

  test('pole_emploi_paiements is the only scope of the route; statut scopes do not open it', async () => {
    const res = await get(withId(INDEMNITES, 'marc.fontaine'), await t.token({ scopes: ['pole_emploi_identite'] }));
    assert.equal(res.statusCode, 403);
  });

  test('Sophie BERTIN is registered but never paid → 404 24003', async () => {
    const res = await get(withId(INDEMNITES, 'sophie.bertin'));
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().errors[0].code, '24003');
  });
});

describe('France Travail identifiant', () => {
  for (const [route, name] of [
    [STATUT, 'statut'],
    [INDEMNITES, 'indemnités'],
  ] as const) {
    test(`${name}: a missing identifiant → 422 00380`, async () => {
      const res = await get(route);
      assert.equal(res.statusCode, 422);
      const [error, ...others] = res.json().errors;
      assert.equal(others.length, 0);
      assert.equal(error.code, '00380');
      assert.equal(error.title, 'Entité non traitable');
      assert.deepEqual(error.source, { parameter: 'identifiant' });
      assert.deepEqual(error.meta, {});
    });

    test(`${name}: an empty or over-long identifiant → 422 00380`, async () => {
      for (const value of ['', 'x'.repeat(101)]) {
        const res = await get(withId(route, value));
        assert.equal(res.statusCode, 422, JSON.stringify(value));
        assert.equal(res.json().errors[0].code, '00380');
      }
    });
  }

  test('every case of both routes is reached by its identifiant, with its exact body', async () => {
    for (const [endpoint, route] of [
      [statutIdentifiant, STATUT],
      [indemnitesIdentifiant, INDEMNITES],
    ] as const) {
      const own = cases.cases.get(endpoint.operationId) ?? [];
      assert.ok(own.length >= 7);
      for (const c of own) {
        const res = await get(withId(route, String(c.params.identifiant)));
        assert.equal(res.statusCode, c.status, c.file);
        assert.deepEqual(res.json(), c.body, c.file);
      }
    }
  });

  test('200 bodies match the data schemas; errors are declared by the route, worded as officially', () => {
    for (const endpoint of [statutIdentifiant, indemnitesIdentifiant]) {
      const check = Compile(endpoint.data);
      for (const c of cases.cases.get(endpoint.operationId) ?? []) {
        assert.match(c.description, /^## \S/, c.file);
        const body = c.body as { data?: unknown; errors?: Array<{ code: string }> };
        if (c.status === 200) {
          assert.ok(check.Check(body.data), `${c.file}: ${JSON.stringify([...check.Errors(body.data)])}`);
          continue;
        }
        const declared = documentedErrors(endpoint).find((e) => e.code === body.errors?.[0]?.code);
        assert.ok(declared, c.file);
        assert.equal(c.status, declared.status, c.file);
        assert.deepEqual(body, { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta: declared.code.startsWith('00') ? {} : { provider: 'France Travail' } }] }, c.file);
      }
    }
    assert.deepEqual(cases.problems, []);
  });
});
