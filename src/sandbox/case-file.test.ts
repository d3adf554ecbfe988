import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaseFile, type SandboxCase } from './case-file.ts';

const OP = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility';

function parsed(text: string, file = 'cases/x/case.yaml'): SandboxCase {
  const result = parseCaseFile(file, text, OP);
  if ('message' in result) assert.fail(`unexpected problem: ${result.message}`);
  return result;
}

function problem(text: string): string {
  const result = parseCaseFile('cases/x/bad.yaml', text, OP);
  assert.ok('message' in result, 'expected a problem');
  assert.equal(result.file, 'cases/x/bad.yaml');
  return result.message;
}

const GOOD = `---
description: |-
  ## Bénéficiaire – Rose VIDAL

  Texte libre.
params:
  nomNaissance: 'VIDAL'
  prenoms:
    - 'ROSE'
    - 'ALICE'
  anneeDateNaissance: 1987
  moisDateNaissance: 04
  codeCogInseeCommuneNaissance: '01053'
status: 200
payload: |-
  { "data": { "est_beneficiaire": true }, "links": {}, "meta": {} }
`;

describe('parseCaseFile', () => {
  test('a good file: params as written (lists stay arrays), payload parsed, title from the heading', () => {
    const c = parsed(GOOD);
    assert.equal(c.operationId, OP);
    assert.equal(c.status, 200);
    assert.equal(c.title, 'Bénéficiaire – Rose VIDAL');
    assert.match(c.description, /Texte libre/);
    assert.deepEqual(c.params, {
      nomNaissance: 'VIDAL',
      prenoms: ['ROSE', 'ALICE'],
      anneeDateNaissance: 1987,
      moisDateNaissance: 4,
      codeCogInseeCommuneNaissance: '01053',
    });
    assert.deepEqual(c.body, { data: { est_beneficiaire: true }, links: {}, meta: {} });
  });

  test('title: the `title` field first, else the first heading, else the file name', () => {
    assert.equal(parsed(`title: 'Titre explicite'\n${GOOD.replace('---\n', '')}`).title, 'Titre explicite');
    const plain = 'description: "Pas de titre"\nstatus: 404\npayload: "{}"\n';
    assert.equal(parsed(plain, 'cases/x/404-inconnu.yaml').title, '404-inconnu.yaml');
    assert.equal(parsed('description: "intro\\n### Sous-titre ###\\n"\nstatus: 404\npayload: "{}"\n').title, 'Sous-titre');
  });

  test('missing params → {}; missing description → empty text', () => {
    const c = parsed('status: 503\npayload: \'{"errors":[]}\'\n');
    assert.deepEqual(c.params, {});
    assert.equal(c.description, '');
  });

  test('invalid YAML is a problem, not an exception', () => {
    assert.match(problem('params: [unclosed\nstatus: 200\n'), /YAML invalide/);
    assert.match(problem('status: 200\nstatus: 404\npayload: "{}"\n'), /YAML invalide/);
  });

  test('the document must be a mapping', () => {
    for (const text of ['', '- a\n- b\n', '"just text"\n']) assert.match(problem(text), /objet YAML/);
  });

  test('status must be one the format allows', () => {
    for (const status of ['201', '401', '"200"', 'null']) {
      assert.match(problem(`status: ${status}\npayload: "{}"\n`), /status .* invalide/, status);
    }
    for (const status of [200, 400, 403, 404, 409, 422, 429, 500, 502, 503, 504, 509]) parsed(`status: ${status}\npayload: "{}"\n`);
  });

  test('payload must be a string of valid JSON', () => {
    assert.match(problem('status: 200\npayload: |-\n  { "data": { , }\n'), /payload n’est pas du JSON valide/);
    assert.match(problem('status: 200\npayload:\n  data: {}\n'), /payload doit être une chaîne/);
    assert.match(problem('status: 200\n'), /payload doit être une chaîne/);
  });

  test('params must be a mapping', () => {
    assert.match(problem('params: [a, b]\nstatus: 200\npayload: "{}"\n'), /params doit être un objet/);
  });
});
