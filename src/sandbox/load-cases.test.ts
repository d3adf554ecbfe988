import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCaseDirectories } from './load-cases.ts';
import { matchCase } from './match-case.ts';

const OP = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility';
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Writes a root: `{ 'folder/file.yaml': text }`. */
function root(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'apip-load-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function caseText(params: Record<string, unknown>, status = 200, body: unknown = { data: {}, links: {}, meta: {} }): string {
  return `description: "## cas"\nparams: ${JSON.stringify(params)}\nstatus: ${status}\npayload: ${JSON.stringify(JSON.stringify(body))}\n`;
}

function fcText(token: string, familyName: string, active = true): string {
  const payload = {
    aud: 'test-dp',
    iat: 1,
    iss: 'https://franceconnect.test.invalid',
    token_introspection: {
      active,
      aud: 'test-client',
      sub: 'sub',
      iat: 1,
      exp: 2,
      acr: 'eidas1',
      jti: 'jti',
      scope: 'openid identite_pivot complementaire_sante_solidaire',
      gender: 'male',
      family_name: familyName,
      given_name: 'Paul',
      given_name_array: ['Paul'],
      birthdate: '1980-01-02',
      birthplace: '01053',
      birthcountry: '99100',
    },
  };
  return `params:\n  token: ${token}\nstatus: 200\npayload: ${JSON.stringify(JSON.stringify(payload))}\n`;
}

describe('loadCaseDirectories', () => {
  test('loads the official layout: operationId folders, france_connect tokens; ignores README, CSV and stray files', async () => {
    const dir = root({
      'README.md': '# racine',
      'LICENSE': 'MIT',
      [`${OP}/b.yaml`]: caseText({ nomNaissance: 'BRUN' }),
      [`${OP}/a.yml`]: caseText({ nomNaissance: 'ALBA' }),
      [`${OP}/README.md`]: '# généré',
      [`${OP}/summary.csv`]: 'Titre,Description',
      [`${OP}/nested/deep.yaml`]: caseText({ nomNaissance: 'DEEP' }),
      'france_connect/paul.yaml': fcText('paul', 'PAUL'),
      'france_connect/extra_description.md': 'texte',
    });
    const report = await loadCaseDirectories([dir]);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(
      report.cases.get(OP)?.map((c) => path.basename(c.file)),
      ['a.yml', 'b.yaml'],
      'sorted by path, nested folders ignored',
    );
    assert.equal(report.franceConnectTokens.get('paul')?.introspection.token_introspection.family_name, 'PAUL');
    assert.ok(!report.cases.has('france_connect'));
  });

  test('bad files become problems and the rest still loads', async () => {
    const dir = root({
      [`${OP}/good.yaml`]: caseText({ nomNaissance: 'BRUN' }),
      [`${OP}/bad-yaml.yaml`]: 'params: [\n',
      [`${OP}/bad-json.yaml`]: 'status: 200\npayload: "{ not json"\n',
      [`${OP}/bad-status.yaml`]: caseText({}, 418),
      'france_connect/no-token.yaml': 'params: {}\nstatus: 200\npayload: "{}"\n',
      'france_connect/bad-introspection.yaml': 'params: { token: broken }\nstatus: 200\npayload: \'{"aud":"x"}\'\n',
    });
    const report = await loadCaseDirectories([dir]);
    assert.equal(report.cases.get(OP)?.length, 1);
    assert.equal(report.franceConnectTokens.size, 0);
    const byFile = Object.fromEntries(report.problems.map((p) => [path.basename(p.file), p.message]));
    assert.deepEqual(Object.keys(byFile).sort(), ['bad-introspection.yaml', 'bad-json.yaml', 'bad-status.yaml', 'bad-yaml.yaml', 'no-token.yaml']);
    assert.match(byFile['bad-json.yaml'] ?? '', /JSON/);
    assert.match(byFile['bad-introspection.yaml'] ?? '', /introspection FranceConnect invalide/);
  });

  test('a missing root, or a file given as root, is one problem; the other roots still load', async () => {
    const good = root({ [`${OP}/a.yaml`]: caseText({ nomNaissance: 'ALBA' }) });
    const missing = path.join(good, 'nope');
    const report = await loadCaseDirectories([missing, good, path.join(good, OP, 'a.yaml')]);
    assert.equal(report.cases.get(OP)?.length, 1);
    assert.equal(report.problems.length, 2);
    assert.equal(report.problems[0]?.file, missing);
    assert.match(report.problems[0]?.message ?? '', /introuvable/);
  });

  test('an operationId folder given as a root is refused with a hint', async () => {
    const dir = root({ [`${OP}/a.yaml`]: caseText({ nomNaissance: 'ALBA' }) });
    const report = await loadCaseDirectories([path.join(dir, OP)]);
    assert.equal(report.cases.size, 0);
    assert.match(report.problems[0]?.message ?? '', /indiquez son parent/);
  });

  test('later roots add cases; identical params: the later root wins; tokens: the later root wins', async () => {
    const shipped = root({
      [`${OP}/alba.yaml`]: caseText({ nomNaissance: 'ALBA', anneeDateNaissance: 1980 }),
      [`${OP}/brun.yaml`]: caseText({ nomNaissance: 'BRUN' }),
      'france_connect/paul.yaml': fcText('paul', 'SHIPPED'),
    });
    const overlay = root({
      [`${OP}/alba-404.yaml`]: caseText({ anneeDateNaissance: '1980', nomNaissance: 'ALBA' }, 404, { errors: [] }),
      [`${OP}/cyan.yaml`]: caseText({ nomNaissance: 'CYAN' }),
      'france_connect/paul.yaml': fcText('paul', 'OVERLAY'),
    });
    const report = await loadCaseDirectories([shipped, overlay]);
    assert.deepEqual(report.problems, []);
    const cases = report.cases.get(OP) ?? [];
    assert.equal(cases.length, 4, 'both roots are kept in the report');
    assert.equal(matchCase(cases, { nomNaissance: 'ALBA', anneeDateNaissance: 1980 })?.status, 404);
    assert.equal(matchCase(cases, { nomNaissance: 'BRUN' })?.status, 200);
    assert.equal(matchCase(cases, { nomNaissance: 'CYAN' })?.status, 200);
    assert.equal(report.franceConnectTokens.get('paul')?.introspection.token_introspection.family_name, 'OVERLAY');
  });

  test('within one folder, identical params or a repeated token are reported; the first file is kept', async () => {
    const dir = root({
      [`${OP}/1.yaml`]: caseText({ nomNaissance: 'ALBA', prenoms: ['A'] }),
      [`${OP}/2.yaml`]: caseText({ 'prenoms[]': 'A', nomNaissance: 'ALBA' }, 404),
      'france_connect/1.yaml': fcText('paul', 'FIRST'),
      'france_connect/2.yaml': fcText('paul', 'SECOND'),
    });
    const report = await loadCaseDirectories([dir]);
    assert.equal(report.cases.get(OP)?.length, 1);
    assert.equal(report.cases.get(OP)?.[0]?.status, 200);
    assert.equal(report.franceConnectTokens.get('paul')?.introspection.token_introspection.family_name, 'FIRST');
    assert.deepEqual(report.problems.map((p) => path.basename(p.file)).sort(), ['2.yaml', '2.yaml']);
  });

  test('the order is deterministic whatever the file system returns', async () => {
    const files: Record<string, string> = {};
    for (let i = 30; i > 0; i -= 1) files[`${OP}/${String(i).padStart(2, '0')}.yaml`] = caseText({ nomNaissance: `N${i}` });
    const dir = root(files);
    const first = (await loadCaseDirectories([dir])).cases.get(OP)?.map((c) => c.file);
    const second = (await loadCaseDirectories([dir])).cases.get(OP)?.map((c) => c.file);
    assert.deepEqual(first, second);
    assert.deepEqual(first, [...(first ?? [])].sort());
  });
});
