/**
 * SDH statut sportif through the real app (CONTRACT §1.3 route 34): the `identifiant` rule (00380,
 * conformance check 11), the cast (Julien MOREL former athlete, Chloé VIDAL current one), the
 * conventional 404 and the `sdh_statut_sportif_<key>` masking (CONTRACT §3.2).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { sdh } from './manifest.ts';
import { statutSportifIdentifiant } from './statut-sportif.ts';
import { documentedErrors } from '../../core/endpoint.ts';

const ROUTE = '/v3/sdh/statut_sportif/identifiant?recipient=13002526500013';

let t: TestApp;
let token: string;
let cases: LoadReport;
before(async () => {
  t = await testApp();
  token = await t.token();
  cases = await loadCaseDirectories([sdh.sandboxCasesDir as string]);
});
after(async () => t.close());

const get = (u: string, bearer = token) => t.app.server.inject({ url: u, headers: { authorization: `Bearer ${bearer}` } });
const withId = (identifiant: string) => `${ROUTE}&identifiant=${encodeURIComponent(identifiant)}`;

const AVIRON = { code_federation: '31', nom_federation: "Fédération Française d'Aviron", nom_court_federation: 'AVIRON' };
const POLE = { code_etablissement: '3105', nom_etablissement: 'Pôle France Aviron de Lyon (fictif)' };
const ARA = { code_region: '84', nom_region: 'Auvergne-Rhône-Alpes' };
const JULIEN = {
  identite: { nom_naissance: 'MOREL', nom_usage: 'MOREL', prenoms: 'Julien Pierre', date_naissance: '1981-01-30', sexe: 'M' },
  est_sportif_de_haut_niveau: false,
  a_ete_sportif_de_haut_niveau: true,
  informations_statut: {
    periode: { date_debut_statut: '2011-11-01', date_fin_statut: '2012-10-31' },
    federation: AVIRON,
    etablissement: POLE,
    region: ARA,
    categorie: { code_categorie: '3', nom_categorie: 'Senior', valeur: '2' },
    sportif_de_haut_niveau: true,
  },
  informations_statuts_precedents: [
    {
      fiche: 412587,
      periode: { date_debut_statut: '2009-11-01', date_fin_statut: '2011-10-31' },
      federation: AVIRON,
      etablissement: POLE,
      region: ARA,
      categorie: { code_categorie: '3', nom_categorie: 'Senior', valeur: '2' },
      sportif_de_haut_niveau: true,
    },
    {
      fiche: 398104,
      periode: { date_debut_statut: '2005-11-01', date_fin_statut: '2009-10-31' },
      federation: AVIRON,
      etablissement: POLE,
      region: ARA,
      categorie: { code_categorie: '4', nom_categorie: 'Relève', valeur: '5' },
      sportif_de_haut_niveau: true,
    },
  ],
};

describe('SDH statut sportif', () => {
  test('Julien MOREL, former high-level athlete: the full body', async () => {
    const res = await get(withId('julien.morel'));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: JULIEN, links: {}, meta: {} });
  });

  test('Chloé VIDAL is a current high-level athlete', async () => {
    const { data } = (await get(withId('chloe.vidal'))).json();
    assert.equal(data.est_sportif_de_haut_niveau, true);
    assert.equal(data.informations_statut.categorie.nom_categorie, 'Elite');
  });

  test('a missing identifiant → 422 00380 (conformance check 11)', async () => {
    const res = await get(ROUTE);
    assert.equal(res.statusCode, 422);
    assert.deepEqual(
      res.json().errors.map((e: { code: string; title: string; detail: string; source: unknown; meta: unknown }) => [e.code, e.title, e.detail, e.source, e.meta]),
      [['00380', 'Entité non traitable', "L'identifiant est manquant", { parameter: 'identifiant' }, {}]],
    );
  });

  test('an empty identifiant → 422 00380', async () => {
    const res = await get(withId(''));
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().errors[0].code, '00380');
  });

  test('identifiant=54321 → 404 41003 with meta.provider "SDH" (conformance check 11)', async () => {
    const res = await get(withId('54321'));
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().errors[0].code, '41003');
    assert.deepEqual(res.json().errors[0].meta, { provider: 'SDH' });
  });

  test('masking: each sdh_statut_sportif_<key> scope opens data.<key> only', async () => {
    const partial = await t.token({ scopes: ['sdh_statut_sportif_est_sportif_de_haut_niveau', 'sdh_statut_sportif_a_ete_sportif_de_haut_niveau'] });
    const res = await get(withId('julien.morel'), partial);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().data, { est_sportif_de_haut_niveau: false, a_ete_sportif_de_haut_niveau: true });
    const history = await t.token({ scopes: ['sdh_statut_sportif_informations_statuts_precedents'] });
    assert.deepEqual((await get(withId('julien.morel'), history)).json().data, { informations_statuts_precedents: JULIEN.informations_statuts_precedents });
  });

  test('every case is reached by its identifiant, with its exact body', async () => {
    const own = cases.cases.get(statutSportifIdentifiant.operationId) ?? [];
    assert.ok(own.length >= 8);
    for (const c of own) {
      const res = await get(withId(String(c.params.identifiant)));
      assert.equal(res.statusCode, c.status, c.file);
      assert.deepEqual(res.json(), c.body, c.file);
    }
  });

  test('200 bodies match the data schema; errors are declared by the route, worded as officially', () => {
    const check = Compile(statutSportifIdentifiant.data);
    for (const c of cases.cases.get(statutSportifIdentifiant.operationId) ?? []) {
      assert.match(c.description, /^## \S/, c.file);
      const body = c.body as { data?: unknown; errors?: Array<{ code: string }> };
      if (c.status === 200) {
        assert.ok(check.Check(body.data), c.file);
        continue;
      }
      const declared = documentedErrors(statutSportifIdentifiant).find((e) => e.code === body.errors?.[0]?.code);
      assert.ok(declared, c.file);
      assert.equal(c.status, declared.status, c.file);
      assert.deepEqual(body, { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta: declared.code.startsWith('00') ? {} : { provider: 'SDH' } }] }, c.file);
    }
    assert.deepEqual(cases.problems, []);
  });
});
