/**
 * `sandbox check` rules (CONTRACT §6 and the gateway's routes): each kind of mistake a contributor
 * makes is reported on its file, and the project's own cases have none.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { caseRoots } from '../cli/sandbox-commands.ts';
import { allEndpoints } from '../providers/index.ts';
import { c2sFranceConnect, c2sIdentite } from '../providers/dss/complementaire-sante-solidaire.ts';
import { checkCaseRoot } from './check-cases.ts';

const endpoints = allEndpoints().map((e) => e.endpoint);
const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function root(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'apip-check-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-01-01' }, links: {}, meta: {} };
const ERROR_BODY = { errors: [{ code: '40003', title: 'Dossier absent', detail: 'absent', source: null, meta: { provider: 'RNCPS' } }] };
const LEA = { nomNaissance: 'ROCHEFORT', prenoms: ['LEA'], anneeDateNaissance: 1991, sexeEtatCivil: 'F', codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '35238' };

function caseText(params: Record<string, unknown>, status = 200, body: unknown = OK_BODY, description = '## cas'): string {
  return `description: ${JSON.stringify(description)}\nparams: ${JSON.stringify(params)}\nstatus: ${status}\npayload: ${JSON.stringify(JSON.stringify(body))}\n`;
}

const messagesOf = (problems: Array<{ file: string; message: string }>, file: string): string[] =>
  problems.filter((p) => path.basename(p.file) === file).map((p) => p.message);

describe('checkCaseRoot', () => {
  test('a clean root has no problem; progress is reported per file', async () => {
    const dir = root({
      [`${c2sIdentite.operationId}/200.yaml`]: caseText(LEA),
      [`${c2sIdentite.operationId}/404.yaml`]: caseText({ ...LEA, nomNaissance: 'ABSENT' }, 404, ERROR_BODY),
      [`${c2sIdentite.operationId}/README.md`]: '# ignoré',
    });
    const progress: number[] = [];
    const report = await checkCaseRoot(dir, endpoints, { onProgress: (done) => progress.push(done) });
    assert.deepEqual(report, { files: 2, problems: [] });
    assert.deepEqual(progress, [1, 2]);
  });

  test('each mistake is reported on its file', async () => {
    const op = c2sIdentite.operationId;
    const dir = root({
      'api_particulier_v9_inconnue/a.yaml': caseText({}),
      [`${op}/bad-yaml.yaml`]: 'params: [\n',
      [`${op}/no-description.yaml`]: caseText({ ...LEA, nomNaissance: 'SANS' }, 200, OK_BODY, ''),
      [`${op}/bad-status.yaml`]: caseText(LEA, 201),
      [`${op}/misspelt.yaml`]: caseText({ ...LEA, nomNaissange: 'X' }),
      [`${op}/bad-value.yaml`]: caseText({ ...LEA, nomNaissance: 'VALEUR', sexeEtatCivil: 'X' }),
      [`${op}/abroad-with-commune.yaml`]: caseText({ ...LEA, nomNaissance: 'ETRANGER', codeCogInseePaysNaissance: '99134' }),
      [`${op}/bad-data.yaml`]: caseText({ ...LEA, nomNaissance: 'DONNEES' }, 200, { data: { est_beneficiaire: 'oui' }, links: {}, meta: {} }),
      [`${op}/bad-error.yaml`]: caseText({ ...LEA, nomNaissance: 'ERREUR' }, 404, { errors: [{ code: '404' }] }),
      [`${op}/dup-a.yaml`]: caseText({ ...LEA, nomNaissance: 'DOUBLE' }),
      [`${op}/dup-b.yaml`]: caseText({ ...LEA, nomNaissance: 'DOUBLE', anneeDateNaissance: '1991' }),
      'france_connect/bad-token.yaml': caseText({ token: 'x' }, 200, { aud: 'a' }),
    });
    const { problems } = await checkCaseRoot(dir, endpoints);
    const of = (file: string): string => messagesOf(problems, file).join(' | ');
    assert.match(messagesOf(problems, 'api_particulier_v9_inconnue').join(), /aucune route ne porte cet operationId ; ses 1 cas/);
    assert.match(of('bad-yaml.yaml'), /YAML invalide/);
    assert.match(of('no-description.yaml'), /description vide/);
    assert.match(of('bad-status.yaml'), /status 201 invalide/);
    assert.match(of('misspelt.yaml'), /params\.nomNaissange : la route ne déclare pas ce paramètre/);
    assert.match(of('bad-value.yaml'), /params\.sexeEtatCivil : Le paramètre sexeEtatCivil doit valoir/);
    assert.match(of('abroad-with-commune.yaml'), /params\.codeCogInseeCommuneNaissance : .*née à l'étranger/);
    assert.match(of('bad-data.yaml'), /payload \(réponse 200 de la route\)\/data\/est_beneficiaire : must be boolean/);
    assert.match(of('bad-data.yaml'), /must have required property 'avec_participation'/);
    assert.match(of('bad-error.yaml'), /payload \(enveloppe d’erreur, status 404\)\/errors\/0/);
    assert.equal(of('dup-a.yaml'), '');
    assert.match(of('dup-b.yaml'), /params identiques à ceux de dup-a\.yaml/);
    assert.match(of('bad-token.yaml'), /introspection FranceConnect invalide/);
    assert.ok(!JSON.stringify(problems).includes('VALEUR'), 'values are never echoed');
  });

  test('FranceConnect routes: derived identity params are checked against the identity shape', async () => {
    const op = c2sFranceConnect.operationId;
    const dir = root({
      [`${op}/ok.yaml`]: caseText({ nomNaissance: 'LEROY', nomUsage: 'X', prenoms: ['Camille'], anneeDateNaissance: 1988, moisDateNaissance: 3, sexeEtatCivil: 'F' }),
      [`${op}/bad.yaml`]: caseText({ nomNaissance: 'LEROY', prenoms: ['Camille'], moisDateNaissance: 13, sexe: 'F' }),
    });
    const { problems } = await checkCaseRoot(dir, endpoints);
    assert.deepEqual(messagesOf(problems, 'ok.yaml'), []);
    const bad = messagesOf(problems, 'bad.yaml').join(' | ');
    assert.match(bad, /params\.sexe : ni un paramètre d’identité FranceConnect ni un paramètre de la route/);
    assert.match(bad, /identité FranceConnect\)\/moisDateNaissance : must be <= 12/);
  });

  test('a folder of cases given instead of its parent is one clear problem', async () => {
    const dir = root({ 'a.yaml': caseText({}) });
    const { problems } = await checkCaseRoot(dir, endpoints);
    assert.match(problems[0]?.message ?? '', /indiquez son parent/);
  });

  test('the project’s own case roots have no problem', async () => {
    for (const dir of caseRoots([])) {
      const { problems } = await checkCaseRoot(dir, endpoints);
      assert.deepEqual(problems, [], dir);
    }
  });
});
