/**
 * The CNAM "droits à l'Assurance Maladie" route (src/providers/cnam/CONTRACT.md) through the real app:
 * FranceConnect only, the shipped cases of the cast, masking by the five cnam_* scopes, the two 404
 * variants and the provider errors, and the generated OpenAPI document.
 *
 * The cast's FranceConnect tokens carry every cnam_* scope; to test masking, this file adds a few
 * variants of Camille's token with fewer scopes in a throw-away sandbox root.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Compile } from 'typebox/compile';
import { parse, stringify } from 'yaml';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { droitsAssuranceMaladieFranceConnect as endpoint } from './droits-assurance-maladie.ts';
import { CNAM_PROVIDER, cnamErrors } from './errors.ts';
import { cnam } from './manifest.ts';
import { documentedErrors } from '../../core/endpoint.ts';

const ROUTE = '/v3/cnam/droits_assurance_maladie/france_connect?recipient=13002526500013';
const HERE = import.meta.dirname;
const CASES = path.join(HERE, 'cases', endpoint.operationId);
const CAST_TOKENS = path.resolve(HERE, '../../sandbox/cases/france_connect');

const ALL_CNAM = Object.keys(cnam.scopes);
const COMMON = ['cnam_beneficiaires', 'cnam_caisse_gestionnaire', 'cnam_droits'];

interface TokenFile {
  description?: string;
  params: { token: string };
  status: number;
  payload: string;
}

function readYaml<T>(file: string): T {
  return parse(readFileSync(file, 'utf8')) as T;
}

/** A cast token file with its FranceConnect `scope` replaced by `openid identite_pivot <scopes>`. */
function withScopes(file: TokenFile, token: string, scopes: string[]): TokenFile {
  const payload = JSON.parse(file.payload) as { token_introspection: { scope: string } };
  payload.token_introspection.scope = ['openid', 'identite_pivot', ...scopes].join(' ');
  return { params: { token }, status: 200, payload: JSON.stringify(payload) };
}

function caseBody(name: string): unknown {
  return JSON.parse(readYaml<{ payload: string }>(path.join(CASES, name)).payload);
}

let t: TestApp;
let root: string;

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'apip-cnam-'));
  const fc = path.join(root, 'france_connect');
  mkdirSync(fc);
  const write = (token: TokenFile): void => writeFileSync(path.join(fc, `${token.params.token}.yaml`), stringify(token));
  const camille = readYaml<TokenFile>(path.join(CAST_TOKENS, 'camille_c2s.yaml'));
  write(withScopes(camille, 'camille_organisme_complementaire', COMMON));
  write(withScopes(camille, 'camille_droits_seuls', ['cnam_droits']));
  write(withScopes(camille, 'camille_medecin_seul', ['cnam_medecin_traitant']));
  write(withScopes(camille, 'camille_sans_cnam', ['complementaire_sante_solidaire']));
  t = await testApp({ env: { SANDBOX_DATA_DIRS: root, DEMO_TOKEN: 'true' } });
});

after(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

async function get(bearer: string, query = ''): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await t.app.server.inject({ url: ROUTE + query, headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.statusCode, body: res.json() };
}

const RHONE = {
  regime: { code: '01', libelle: 'Régime général' },
  caisse: { code: '691', libelle: 'CPAM du Rhône' },
  centre_gestion: { code: '0701', libelle: 'Centre de gestion de Lyon Gerland' },
  adresse: {
    destinataire: 'CPAM DU RHONE',
    complement_information: 'SERVICE RELATIONS ASSURES',
    complement_information_geographique: null,
    numero_libelle_voie: '12 RUE DES CANUTS',
    lieu_dit: null,
    code_postal_ville: '69007 LYON',
    pays: 'FRANCE',
  },
};
const C2S_FOYER = { est_beneficiaire: true, avec_participation: false, date_debut: '2025-11-01', date_fin: '2026-10-31' };

describe('GET /v3/cnam/droits_assurance_maladie/france_connect', () => {
  test('Camille LEROY: the connected person first, then Léo and Inès, with every block (full body)', async () => {
    const res = await get('camille_c2s');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      data: {
        beneficiaires: [
          {
            est_personne_connectee: true,
            qualite: 'assure',
            nom_naissance: 'LEROY',
            nom_usage: null,
            prenoms: ['CAMILLE', 'ANNE'],
            date_naissance: '1988-03-14',
            sexe: 'F',
            caisse_gestionnaire: RHONE,
            droits: {
              droits_de_base: { ouverts: true, date_debut: '2016-01-01', date_fin: null },
              complementaire_sante_solidaire: C2S_FOYER,
              medecin_traitant_declare: true,
            },
            exonerations_ticket_moderateur: [],
            medecin_traitant: { nom: 'BONNET', prenom: 'CLAIRE', identifiant_rpps: '10000001234', date_declaration: '2019-02-11' },
          },
          {
            est_personne_connectee: false,
            qualite: 'ayant_droit',
            nom_naissance: 'PERRIN',
            nom_usage: null,
            prenoms: ['LEO'],
            date_naissance: '2012-09-05',
            sexe: 'M',
            caisse_gestionnaire: RHONE,
            droits: {
              droits_de_base: { ouverts: true, date_debut: '2012-09-05', date_fin: null },
              complementaire_sante_solidaire: C2S_FOYER,
              medecin_traitant_declare: true,
            },
            exonerations_ticket_moderateur: [],
            medecin_traitant: { nom: 'BONNET', prenom: 'CLAIRE', identifiant_rpps: '10000001234', date_declaration: '2017-03-20' },
          },
          {
            est_personne_connectee: false,
            qualite: 'ayant_droit',
            nom_naissance: 'PERRIN',
            nom_usage: null,
            prenoms: ['INES'],
            date_naissance: '2023-01-18',
            sexe: 'F',
            caisse_gestionnaire: RHONE,
            droits: {
              droits_de_base: { ouverts: true, date_debut: '2023-01-18', date_fin: null },
              complementaire_sante_solidaire: C2S_FOYER,
              medecin_traitant_declare: false,
            },
            exonerations_ticket_moderateur: [],
            medecin_traitant: null,
          },
        ],
      },
      links: {},
      meta: {},
    });
  });

  test('Hugo PERRIN: exonération du ticket modérateur for an ALD, the motive only', async () => {
    const res = await get('hugo_perrin');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, caseBody('200-exoneration-ald-hugo-perrin.yaml'));
    const [hugo] = (res.body.data as { beneficiaires: Array<Record<string, unknown>> }).beneficiaires;
    assert.deepEqual(hugo?.exonerations_ticket_moderateur, [
      { motif: { code: 'ALD', libelle: 'Affection de longue durée exonérante' }, date_debut: '2021-06-01', date_fin: '2026-05-31' },
    ]);
  });

  test('Marc FONTAINE: no médecin traitant and no C2S are explicit false/null, never absent', async () => {
    const res = await get('marc_non_beneficiaire');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, caseBody('200-sans-medecin-traitant-marc-fontaine.yaml'));
    const [marc] = (res.body.data as { beneficiaires: Array<Record<string, unknown>> }).beneficiaires;
    assert.equal(marc?.medecin_traitant, null);
    assert.deepEqual(marc?.droits, {
      droits_de_base: { ouverts: true, date_debut: '2016-01-01', date_fin: null },
      complementaire_sante_solidaire: { est_beneficiaire: false, avec_participation: null, date_debut: null, date_fin: null },
      medecin_traitant_declare: false,
    });
  });

  test('Elena MORENO (born abroad) and Sophie DUVAL (usage name, not sent to the CNAM) reach their cases', async () => {
    assert.deepEqual((await get('elena_nee_a_l_etranger')).body, caseBody('200-droits-temporaires-elena-moreno.yaml'));
    assert.deepEqual((await get('sophie_nom_usage')).body, caseBody('200-nom-d-usage-et-enfant-en-ald-sophie-duval.yaml'));
  });

  test('an identity with no case (Emma PERRIN) gets the generic example, valid against the data schema', async () => {
    const res = await get('emma_etudiante');
    assert.equal(res.status, 200);
    assert.ok(Compile(endpoint.data).Check(res.body.data));
  });

  test('the identity comes from the FranceConnect token only: civil-status query params are ignored', async () => {
    const res = await get('camille_c2s', '&nomNaissance=VIDAL&prenoms[]=BERNARD');
    assert.equal(res.status, 200);
    const first = (res.body.data as { beneficiaires: Array<Record<string, unknown>> }).beneficiaires[0];
    assert.equal(first?.nom_naissance, 'LEROY');
  });

  describe('404 43003, two documented variants', () => {
    const notFound = { code: '43003', title: 'Assuré non trouvé', detail: cnamErrors.notFound.detail, source: null, meta: { provider: 'CNAM' } };
    const otherRegime = {
      code: '43003',
      title: 'Assuré hors régime général',
      detail: cnamErrors.otherRegime.detail,
      source: null,
      meta: { provider: 'CNAM' },
    };

    test('Thierry LAMBERT is unknown', async () => {
      assert.deepEqual(await get('thierry_inconnu'), { status: 404, body: { errors: [notFound] } });
    });

    test('Bernard VIDAL (MSA) and Julien MOREL (MGEN) are outside the régime général', async () => {
      assert.deepEqual(await get('bernard_msa'), { status: 404, body: { errors: [otherRegime] } });
      assert.deepEqual(await get('julien_morel'), { status: 404, body: { errors: [otherRegime] } });
    });
  });

  test('provider errors: 502 43999, 504 43002, 43001, 43008 with meta.provider CNAM', async () => {
    for (const [token, error] of [
      ['nathalie_erreur_fournisseur', cnamErrors.unknown],
      ['pascal_hors_delai', cnamErrors.timeout],
      ['sylvie_indisponible', cnamErrors.unavailable],
      ['antoine_trop_de_requetes', cnamErrors.throttled],
    ] as const) {
      const res = await get(token);
      assert.equal(res.status, error.status, token);
      assert.deepEqual(res.body, { errors: [{ code: error.code, title: error.title, detail: error.detail, source: null, meta: { provider: CNAM_PROVIDER } }] });
    }
  });

  describe('masking (CONTRACT.md §4)', () => {
    const keysOf = (body: Record<string, unknown>): string[][] =>
      (body.data as { beneficiaires: Array<Record<string, unknown>> }).beneficiaires.map((b) => Object.keys(b).sort());

    test('an organisme complémentaire (3 common scopes) gets neither exonérations nor médecin traitant', async () => {
      const res = await get('camille_organisme_complementaire');
      assert.equal(res.status, 200);
      const expected = ['caisse_gestionnaire', 'date_naissance', 'droits', 'est_personne_connectee', 'nom_naissance', 'nom_usage', 'prenoms', 'qualite', 'sexe'];
      assert.deepEqual(keysOf(res.body), [expected, expected, expected]);
    });

    test('cnam_droits alone: each element keeps only its marker and its droits', async () => {
      const res = await get('camille_droits_seuls');
      assert.equal(res.status, 200);
      const droits = (debut: string, medecin: boolean) => ({
        droits_de_base: { ouverts: true, date_debut: debut, date_fin: null },
        complementaire_sante_solidaire: C2S_FOYER,
        medecin_traitant_declare: medecin,
      });
      assert.deepEqual(res.body.data, {
        beneficiaires: [
          { est_personne_connectee: true, droits: droits('2016-01-01', true) },
          { est_personne_connectee: false, droits: droits('2012-09-05', true) },
          { est_personne_connectee: false, droits: droits('2023-01-18', false) },
        ],
      });
    });

    test('cnam_medecin_traitant alone opens the route and gives medecin_traitant, null included', async () => {
      const res = await get('camille_medecin_seul');
      assert.equal(res.status, 200);
      const beneficiaires = (res.body.data as { beneficiaires: Array<Record<string, unknown>> }).beneficiaires;
      assert.deepEqual(keysOf(res.body), [['est_personne_connectee', 'medecin_traitant'], ['est_personne_connectee', 'medecin_traitant'], ['est_personne_connectee', 'medecin_traitant']]);
      assert.equal(beneficiaires[2]?.medecin_traitant, null);
    });

    test('a FranceConnect token with no cnam_* scope is refused with 401 00101', async () => {
      const res = await get('camille_sans_cnam');
      assert.equal(res.status, 401);
      assert.equal((res.body.errors as Array<{ code: string }>)[0]?.code, '00101');
    });
  });

  describe('gateway errors', () => {
    test('recipient missing → 422 00203; not a SIRET → 422 00210', async () => {
      const missing = await t.app.server.inject({ url: '/v3/cnam/droits_assurance_maladie/france_connect', headers: { authorization: 'Bearer camille_c2s' } });
      assert.equal(missing.statusCode, 422);
      assert.deepEqual(missing.json().errors.map((e: { code: string; source: unknown }) => [e.code, e.source]), [['00203', { parameter: 'recipient' }]]);
      const bad = await t.app.server.inject({ url: '/v3/cnam/droits_assurance_maladie/france_connect?recipient=123', headers: { authorization: 'Bearer camille_c2s' } });
      assert.equal(bad.statusCode, 422);
      assert.equal(bad.json().errors[0].code, '00210');
    });

    test('an API Particulier token is not a FranceConnect token → 401; no token → 401 00101', async () => {
      const apiToken = await t.token();
      assert.equal((await get(apiToken)).status, 401);
      const none = await t.app.server.inject({ url: ROUTE });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().errors[0].code, '00101');
    });
  });
});

describe('the shipped cases', () => {
  const files = readdirSync(CASES).filter((f) => f.endsWith('.yaml'));
  const check = Compile(endpoint.data);

  test('each 200 validates against the data schema and each error is a declared CNAM error, worded exactly', () => {
    assert.ok(files.length >= 12);
    for (const file of files) {
      const c = readYaml<{ description: string; status: number; payload: string }>(path.join(CASES, file));
      assert.match(c.description, /^## \S/, file);
      const body = JSON.parse(c.payload) as { data?: unknown; errors?: Array<{ code: string; title: string }> };
      if (c.status === 200) {
        assert.ok(check.Check(body.data), `${file}: ${JSON.stringify([...check.Errors(body.data)].slice(0, 3))}`);
        const beneficiaires = (body.data as { beneficiaires: Array<{ est_personne_connectee: boolean; medecin_traitant: unknown; droits: { medecin_traitant_declare: boolean } }> }).beneficiaires;
        assert.deepEqual(beneficiaires.map((b) => b.est_personne_connectee), beneficiaires.map((_, i) => i === 0), `${file}: the connected person comes first, once`);
        for (const b of beneficiaires) assert.equal(b.medecin_traitant !== null, b.droits.medecin_traitant_declare, `${file}: medecin_traitant matches medecin_traitant_declare`);
        continue;
      }
      const item = body.errors?.[0];
      const declared = documentedErrors(endpoint).find((e) => e.code === item?.code && e.title === item.title);
      assert.ok(declared, `${file}: undeclared error`);
      assert.equal(c.status, declared.status, file);
      assert.deepEqual(body, { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta: declared.code.startsWith('00') ? {} : { provider: 'CNAM' } }] }, file);
    }
  });

  test('the FranceConnect params drop the usage name and keep the identity pivot', () => {
    const params = endpoint.franceConnectParams?.({
      nomNaissance: 'DUVAL',
      nomUsage: 'BERTIN',
      prenoms: ['Sophie'],
      anneeDateNaissance: 1979,
      moisDateNaissance: 9,
      jourDateNaissance: 3,
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      codeCogInseeCommuneNaissance: '31555',
    });
    assert.deepEqual(params, {
      nomNaissance: 'DUVAL',
      prenoms: ['Sophie'],
      anneeDateNaissance: 1979,
      moisDateNaissance: 9,
      jourDateNaissance: 3,
      sexeEtatCivil: 'F',
      codeCogInseePaysNaissance: '99100',
      codeCogInseeCommuneNaissance: '31555',
    });
  });
});

describe('the generated OpenAPI document', () => {
  test('carries the route, its scopes, both 404 variants and the documented data schema', async () => {
    const doc = (await t.app.server.inject({ url: '/v3/openapi.json' })).json();
    const op = doc.paths['/v3/cnam/droits_assurance_maladie/france_connect'].get;
    assert.equal(op.operationId, endpoint.operationId);
    for (const scope of ALL_CNAM) assert.ok(op.description.includes(scope), scope);
    assert.match(op.description, /Assuré hors régime général/);
    const examples = Object.values(op.responses['404'].content['application/json'].examples as Record<string, { value: { errors: Array<{ code: string; title: string }> } }>).map(
      (e) => `${e.value.errors[0]?.code} ${e.value.errors[0]?.title}`,
    );
    assert.deepEqual(examples.sort(), ['43003 Assuré hors régime général', '43003 Assuré non trouvé']);
    for (const status of ['502', '504']) assert.ok(op.responses[status], status);
    const item = op.responses['200'].content['application/json'].schema.properties.data.properties.beneficiaires.items;
    assert.equal(item.properties.caisse_gestionnaire.title, 'Caisse gestionnaire');
    assert.match(item.properties.exonerations_ticket_moderateur.description, /réservé aux établissements de soins/);
    assert.deepEqual(op.parameters.map((p: { name: string }) => p.name), ['recipient']);
  });
});
