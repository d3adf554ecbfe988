/** The shipped use-case templates load, match the registry, and pre-fill a valid request. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { providers } from '../providers/index.ts';
import { productById } from './products.ts';
import { validateStep } from './request-form.ts';
import { loadTemplates, prefillFrom } from './use-case-templates.ts';

describe('use-case templates', () => {
  const templates = loadTemplates(providers);

  test('the issue’s five use cases ship', () => {
    assert.deepEqual(templates.map((t) => t.id).sort(), [
      'accueil-jeune-enfant',
      'aides-sociales-ccas',
      'bourses-inscriptions-etudiantes',
      'restauration-scolaire',
      'tarification-sociale-transports',
    ]);
  });

  test('each pre-fills a use case, scopes and legal text that pass their steps', () => {
    for (const template of templates) {
      const context = { product: productById(template.product)!, kind: 'collectivite_administration' as const, registry: providers };
      const form = prefillFrom(template);
      assert.ok(validateStep('use_case', { ...form.use_case, templateId: template.id }, context).ok, template.id);
      assert.ok(validateStep('scopes', { scopes: form.scopes?.scopes }, context).ok, template.id);
      assert.ok(validateStep('legal', { ...form.legal, expectedVolume: '1000' }, context).ok, template.id);
      assert.equal(form.use_case?.templateId, template.id);
    }
  });

  test('a template naming an unknown scope or product is refused at load, with every problem listed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apip-templates-'));
    writeFileSync(
      path.join(dir, 'mauvais.yaml'),
      'id: mauvais\nproduct: api_particulier\ntitle: T\npurpose: transport\ndescription: D\nscopes: [pas_un_scope]\nlegal: {text: L}\nmodalities: [telepathie]\n',
    );
    writeFileSync(path.join(dir, 'autre.yaml'), 'id: pas-le-nom\nproduct: api_inconnue\n');
    assert.throws(() => loadTemplates(providers, dir), (error: Error) => {
      assert.match(error.message, /pas_un_scope/);
      assert.match(error.message, /telepathie/);
      assert.match(error.message, /api_inconnue/);
      assert.match(error.message, /id must be the file name/);
      return true;
    });
  });
});
