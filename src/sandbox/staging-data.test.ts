/**
 * The public staging cases (`etalab/siade_staging_data`, a subset in `../shared/staging-data` beside
 * the repository) load as they are (CONTRACT §6). They are outside data: read here, never copied.
 * Without that folder (e.g. a clone on its own) the test says so and skips.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { civilityParamsFromIdentity, identityFromIntrospection } from '../franceconnect/identity.ts';
import { loadCaseDirectories, type LoadReport } from './load-cases.ts';
import { matchCase } from './match-case.ts';

const REPO_ROOT = new URL('../../', import.meta.url);
const STAGING = fileURLToPath(new URL('../shared/staging-data/', REPO_ROOT));
const present = existsSync(STAGING);
const SKIP = `${STAGING} is absent: place the shared/ folder beside the repository to run this test`;

const C2S_IDENTITE = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility';
const C2S_FC = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_france_connect';

let report: LoadReport;
before(async () => {
  if (present) report = await loadCaseDirectories([STAGING]);
});

describe('official staging data', () => {
  test('every v3 C2S identite case file loads or is a reported problem (no crash)', (t) => {
    if (!present) return t.skip(SKIP);
    const files = readdirSync(path.join(STAGING, C2S_IDENTITE)).filter((f) => /\.ya?ml$/.test(f));
    const loaded = new Set((report.cases.get(C2S_IDENTITE) ?? []).map((c) => path.basename(c.file)));
    const reported = new Set(report.problems.map((p) => path.basename(p.file)));
    assert.ok(files.length > 0);
    for (const file of files) assert.ok(loaded.has(file) || reported.has(file), file);
    // At the pinned commit they all load: a problem here means the parser got stricter than the format.
    assert.deepEqual(report.problems, []);
  });

  test('the france_connect folder yields the fake tokens, cnaf_css and all_fc among them', (t) => {
    if (!present) return t.skip(SKIP);
    for (const token of ['cnaf_css', 'all_fc']) assert.ok(report.franceConnectTokens.has(token), token);
    assert.equal(report.franceConnectTokens.get('cnaf_css')?.introspection.token_introspection.family_name, 'CNAF');
  });

  test('cnaf_css through civilityParamsFromIdentity: the C2S FranceConnect case needs a nomUsage the token lacks', (t) => {
    if (!present) return t.skip(SKIP);
    const entry = report.franceConnectTokens.get('cnaf_css');
    assert.ok(entry);
    const params = civilityParamsFromIdentity(identityFromIntrospection(entry.introspection));
    assert.deepEqual(params, {
      nomNaissance: 'CNAF',
      prenoms: ['Georges'],
      anneeDateNaissance: 2002,
      moisDateNaissance: 1,
      jourDateNaissance: 1,
      sexeEtatCivil: 'M',
      codeCogInseePaysNaissance: '99100',
      codeCogInseeCommuneNaissance: '75002',
    });
    const cases = report.cases.get(C2S_FC) ?? [];
    // `fake_france_connect_cnaf.yml` is keyed on these params *plus* `nomUsage: MARTIN`, and the
    // cnaf_css token has no `preferred_username`: CONTRACT §6 lists it among the known cases that
    // never match. So what really happens is no match: the route answers its generic example.
    assert.equal(matchCase(cases, { recipient: '13002526500013', ...params }), undefined);
    // With the usage name the case expects, it is the 200 beneficiary case: the rest of the mapping
    // (names, date parts as numbers, sex, COG codes) agrees with the official case file.
    const found = matchCase(cases, { recipient: '13002526500013', ...params, nomUsage: 'MARTIN' });
    assert.equal(found?.status, 200);
    assert.equal(path.basename(found?.file ?? ''), 'fake_france_connect_cnaf.yml');
    assert.deepEqual(found?.body, { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2021-05-05' }, links: {}, meta: {} });
  });

  test('an official identite case is reached by its own params sent as a query', (t) => {
    if (!present) return t.skip(SKIP);
    const cases = report.cases.get(C2S_IDENTITE) ?? [];
    const c404 = cases.find((c) => path.basename(c.file) === '404.yaml');
    assert.ok(c404);
    const query: Record<string, unknown> = { recipient: '13002526500013' };
    for (const [key, value] of Object.entries(c404.params)) query[Array.isArray(value) ? `${key}[]` : key] = Array.isArray(value) ? value.map(String) : String(value);
    assert.equal(matchCase(cases, query), c404);
  });
});
