/**
 * GIP-MDS service civique through the real app (CONTRACT §1.3 routes 27–28): names and birth date
 * only, the 00391 "several people" answer, FranceConnect keeping names and birth date, and the
 * masking table of docs/adr/0031-gip-mds-service-civique.md, behaviour pinned scope set by scope set.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Compile } from 'typebox/compile';
import { testApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { loadCaseDirectories, type LoadReport } from '../../sandbox/load-cases.ts';
import { gipMdsErrors } from './errors.ts';
import { gipMds } from './manifest.ts';
import { serviceCiviqueFranceConnect, serviceCiviqueIdentite } from './service-civique.ts';
import { documentedErrors } from '../../core/endpoint.ts';

const IDENTITE = '/v3/gip_mds/service_civique/identite';
const FC = '/v3/gip_mds/service_civique/france_connect?recipient=13002526500013';
const TOM = { nomNaissance: 'GIRAUD', 'prenoms[]': ['TOM'], anneeDateNaissance: '2003', moisDateNaissance: '11', jourDateNaissance: '19' };
const SCOPE = {
  actuel: 'gip_mds_service_civique_statut_actuel',
  passe: 'gip_mds_service_civique_statut_passe',
  organisme: 'gip_mds_service_civique_organisme_accueil',
  dates: 'gip_mds_service_civique_dates',
} as const;

function url(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams({ recipient: '13002526500013' });
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  return `${IDENTITE}?${search.toString()}`;
}

function queryOf(params: Record<string, unknown>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => (Array.isArray(v) ? [`${k}[]`, v.map(String)] : [k, String(v)])));
}

let t: TestApp;
let token: string;
let cases: LoadReport;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
  token = await t.token();
  cases = await loadCaseDirectories([gipMds.sandboxCasesDir as string]);
});
after(async () => t.close());

const get = (u: string, bearer = token) => t.app.server.inject({ url: u, headers: { authorization: `Bearer ${bearer}` } });

const TOM_DATA = {
  statut_actuel: {
    contrat_trouve: true,
    organisme_accueil: { siret: '90247163800012', raison_sociale: 'ASSOCIATION ECO-GESTES DES ALPES' },
    date_debut_contrat: '2025-09-15',
    date_fin_contrat: null,
  },
  statut_passe: {
    contrat_trouve: true,
    organisme_accueil: { siret: '79384201500018', raison_sociale: 'UNION SPORTIVE DU VERCORS' },
    date_debut_contrat: '2022-01-10',
    date_fin_contrat: '2022-08-31',
  },
};

describe('GIP-MDS /identite', () => {
  test('Tom GIRAUD: a current contract without end date and a past one, the full body', async () => {
    const res = await get(url(TOM));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { data: TOM_DATA, links: {}, meta: {} });
  });

  test('sex and birth place are not GIP-MDS params: they are ignored', async () => {
    const res = await get(url({ ...TOM, sexeEtatCivil: 'X', codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '38185' }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().data, TOM_DATA);
  });

  for (const param of ['nomNaissance', 'prenoms[]', 'anneeDateNaissance', 'moisDateNaissance', 'jourDateNaissance']) {
    test(`${param} is required (00366)`, async () => {
      const { [param as keyof typeof TOM]: _, ...rest } = TOM;
      const res = await get(url(rest));
      assert.equal(res.statusCode, 422);
      assert.deepEqual(
        res.json().errors.map((e: { code: string; source: unknown }) => [e.code, e.source]),
        [['00366', { parameter: param }]],
      );
    });
  }

  test('four first names, a month 13 and a date in the future are refused (00366)', async () => {
    const res = await get(url({ ...TOM, 'prenoms[]': ['A', 'B', 'C', 'D'], moisDateNaissance: '13' }));
    assert.deepEqual(
      res.json().errors.map((e: { code: string; source: { parameter: string } }) => [e.code, e.source.parameter]),
      [
        ['00366', 'prenoms[]'],
        ['00366', 'moisDateNaissance'],
      ],
    );
    const future = await get(url({ ...TOM, anneeDateNaissance: '2099' }));
    assert.equal(future.statusCode, 422);
    assert.deepEqual(future.json().errors[0].source, { parameter: 'anneeDateNaissance' });
  });

  test('an identity shared by several people → 422 00391 from GIP-MDS, meta {}', async () => {
    const res = await get(url({ nomNaissance: 'MARTIN', 'prenoms[]': ['LUCAS'], anneeDateNaissance: '2004', moisDateNaissance: '4', jourDateNaissance: '15' }));
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), {
      errors: [{ code: '00391', title: gipMdsErrors.severalMatches.title, detail: gipMdsErrors.severalMatches.detail, source: null, meta: {} }],
    });
  });

  test('every identite case is reached by the request its params describe, with its exact body', async () => {
    const own = cases.cases.get(serviceCiviqueIdentite.operationId) ?? [];
    assert.ok(own.length >= 9);
    for (const c of own) {
      const res = await get(url(queryOf(c.params)));
      assert.equal(res.statusCode, c.status, c.file);
      assert.deepEqual(res.json(), c.body, c.file);
    }
  });
});

describe('GIP-MDS masking (ADR 0031): conjunctive like production, scope set by scope set', () => {
  const masked = async (scopes: string[]) => {
    const res = await get(url(TOM), await t.token({ scopes }));
    assert.equal(res.statusCode, 200);
    return res.json().data;
  };
  const { statut_actuel: actuel, statut_passe: passe } = TOM_DATA;

  test('the four scopes: everything', async () => {
    assert.deepEqual(await masked(Object.values(SCOPE)), TOM_DATA);
  });

  test('a period scope alone: that period’s contrat_trouve only (as production)', async () => {
    assert.deepEqual(await masked([SCOPE.actuel]), { statut_actuel: { contrat_trouve: true } });
    assert.deepEqual(await masked([SCOPE.passe]), { statut_passe: { contrat_trouve: true } });
    assert.deepEqual(await masked([SCOPE.actuel, SCOPE.passe]), { statut_actuel: { contrat_trouve: true }, statut_passe: { contrat_trouve: true } });
  });

  test('both periods + a detail scope: that detail in both periods (as production)', async () => {
    assert.deepEqual(await masked([SCOPE.actuel, SCOPE.passe, SCOPE.organisme]), {
      statut_actuel: { contrat_trouve: true, organisme_accueil: actuel.organisme_accueil },
      statut_passe: { contrat_trouve: true, organisme_accueil: passe.organisme_accueil },
    });
  });

  test('a detail scope opens that detail only in the periods whose scope is held (no over-disclosure)', async () => {
    assert.deepEqual(await masked([SCOPE.actuel, SCOPE.dates]), {
      statut_actuel: { contrat_trouve: true, date_debut_contrat: actuel.date_debut_contrat, date_fin_contrat: null },
    });
    assert.deepEqual(await masked([SCOPE.passe, SCOPE.organisme]), {
      statut_passe: { contrat_trouve: true, organisme_accueil: passe.organisme_accueil },
    });
    // a detail scope without any period scope opens the route but unlocks nothing
    assert.deepEqual(await masked([SCOPE.organisme]), {});
  });
});

describe('GIP-MDS /france_connect', () => {
  const expected: Record<string, [number, boolean | string, boolean | undefined]> = {
    emma_etudiante: [200, false, true],
    camille_c2s: [200, false, true],
    marc_non_beneficiaire: [200, false, false],
    thierry_inconnu: [404, '31003', undefined],
    julie_trop_de_requetes: [429, '00429', undefined],
    nathalie_erreur_fournisseur: [502, '31999', undefined],
    pascal_hors_delai: [504, '31002', undefined],
    sylvie_indisponible: [504, '31001', undefined],
  };
  for (const [bearer, [status, actuel, passe]] of Object.entries(expected)) {
    test(`Bearer ${bearer} → ${status}`, async () => {
      const res = await get(FC, bearer);
      assert.equal(res.statusCode, status);
      const body = res.json();
      if (status === 200) {
        assert.equal(body.data.statut_actuel.contrat_trouve, actuel);
        assert.equal(body.data.statut_passe.contrat_trouve, passe);
      } else {
        assert.deepEqual(body.errors[0].code, actuel);
        assert.deepEqual(body.errors[0].meta, status === 429 ? {} : { provider: 'GIP-MDS' });
      }
    });
  }

  test('Emma PERRIN’s past service civique, the full body', async () => {
    const res = await get(FC, 'emma_etudiante');
    assert.deepEqual(res.json(), {
      data: {
        statut_actuel: { contrat_trouve: false, organisme_accueil: { siret: null, raison_sociale: null }, date_debut_contrat: null, date_fin_contrat: null },
        statut_passe: {
          contrat_trouve: true,
          organisme_accueil: { siret: '84123759100018', raison_sociale: 'ASSOCIATION SPORT ET QUARTIERS LILLE SUD' },
          date_debut_contrat: '2023-09-04',
          date_fin_contrat: '2024-04-30',
        },
      },
      links: {},
      meta: {},
    });
  });

  test('only names and birth date are kept from the FranceConnect identity', () => {
    const params = serviceCiviqueFranceConnect.franceConnectParams?.({
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
    assert.deepEqual(params, { nomNaissance: 'DUVAL', prenoms: ['Sophie'], anneeDateNaissance: 1979, moisDateNaissance: 9, jourDateNaissance: 3 });
  });

  test('every FranceConnect case belongs to a cast token', () => {
    assert.equal((cases.cases.get(serviceCiviqueFranceConnect.operationId) ?? []).length, Object.keys(expected).length);
  });
});

describe('GIP-MDS cases', () => {
  test('200 bodies match the data schema; errors are declared (00391 aside), worded as officially', () => {
    for (const endpoint of [serviceCiviqueIdentite, serviceCiviqueFranceConnect]) {
      const check = Compile(endpoint.data);
      for (const c of cases.cases.get(endpoint.operationId) ?? []) {
        assert.match(c.description, /^## \S/, c.file);
        const body = c.body as { data?: unknown; errors?: Array<{ code: string }> };
        if (c.status === 200) {
          assert.ok(check.Check(body.data), c.file);
          continue;
        }
        const code = body.errors?.[0]?.code;
        const declared = code === '00391' ? gipMdsErrors.severalMatches : documentedErrors(endpoint).find((e) => e.code === code);
        assert.ok(declared, c.file);
        assert.equal(c.status, declared.status, c.file);
        const meta = declared.code.startsWith('00') ? {} : { provider: 'GIP-MDS' };
        assert.deepEqual(body, { errors: [{ code: declared.code, title: declared.title, detail: declared.detail, source: null, meta }] }, c.file);
      }
    }
    assert.deepEqual(cases.problems, []);
  });
});
