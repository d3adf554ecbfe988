/**
 * Software vendors (issue 5 §5): "Demander à être référencé", an instructor publishes the vendor
 * template, the shared link opens a draft pre-filled for the vendor's client, who applies itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Habilitations } from '../src/habilitations/habilitations.ts';
import { applicant, instructor, stepInputs } from './helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let h: Habilitations;
before(async () => {
  t = await testApp();
  h = t.app.services.habilitations;
});
after(async () => t.close());

const referencing = {
  product: 'api_particulier',
  vendorSiret: '13002526500013',
  vendorName: 'Logiciels Municipaux SA',
  softwareName: 'CantineFacile',
  contactEmail: 'Partenariats@logiciels-municipaux.fr',
  title: 'Tarification de la cantine avec CantineFacile',
  purpose: 'restauration_scolaire',
  description: 'CantineFacile calcule le tarif de la cantine à partir du quotient familial.',
  scopes: ['cnaf_quotient_familial'],
  legalText: 'Délibération tarifaire de la collectivité cliente',
  legalReference: 'CRPA art. L114-8',
};

describe('vendor templates', () => {
  test('bad input: a message per field, nothing saved', async () => {
    const r = await h.vendors.requestReferencing({ ...referencing, vendorSiret: '123', contactEmail: 'x', scopes: ['inconnu'], description: '' });
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors ?? {}).sort(), ['contactEmail', 'description', 'scopes', 'vendorSiret']);
    assert.deepEqual(await h.vendors.list(), []);
    const noProduct = await h.vendors.requestReferencing({});
    assert.ok(!noProduct.ok && noProduct.errors?.product);
  });

  test('referenced, published, shared: the client’s draft is pre-filled and the client applies itself', async () => {
    const asked = await h.vendors.requestReferencing(referencing);
    assert.ok(asked.ok);
    const byApplicant = await h.vendors.decide(asked.id, applicant, 'publish');
    assert.deepEqual(byApplicant.ok ? 'ok' : byApplicant.code, 'wrong_role');
    const published = await h.vendors.decide(asked.id, instructor, 'publish');
    assert.ok(published.ok && published.shareSlug !== undefined);
    const twice = await h.vendors.decide(asked.id, instructor, 'refuse');
    assert.deepEqual(twice.ok ? 'ok' : twice.code, 'wrong_status');
    const [listed] = await h.vendors.list('published');
    assert.equal(listed?.contactEmail, 'partenariats@logiciels-municipaux.fr');

    const wrongKind = await h.vendors.startFromShareLink(published.shareSlug, { kind: 'particulier', actor: applicant });
    assert.deepEqual(wrongKind.ok ? 'ok' : wrongKind.code, 'not_eligible');
    const draft = await h.vendors.startFromShareLink(published.shareSlug, { kind: 'collectivite_administration', actor: applicant });
    assert.ok(draft.ok);
    const saved = await h.service.get(draft.id);
    assert.equal(saved?.vendorTemplateId, asked.id);
    assert.equal(saved?.form.use_case?.title, referencing.title);
    assert.deepEqual(saved?.form.scopes?.scopes, ['cnaf_quotient_familial']);
    assert.equal(saved?.form.legal?.text, referencing.legalText);
    assert.equal(saved?.createdBy, applicant.id, 'the client is the applicant, never the vendor');
    // The client completes the missing steps and submits.
    const inputs = stepInputs({ scopes: ['cnaf_quotient_familial'] });
    for (const step of ['organisation', 'identification', 'contacts', 'legal'] as const) assert.ok((await h.service.saveStep(draft.id, step, inputs[step], applicant)).ok);
    assert.ok((await h.service.act(draft.id, 'submit', applicant)).ok);
  });

  test('unknown or unpublished links open nothing', async () => {
    const asked = await h.vendors.requestReferencing(referencing);
    assert.ok(asked.ok);
    assert.ok((await h.vendors.decide(asked.id, instructor, 'refuse')).ok);
    for (const slug of ['', 'abc', 'A'.repeat(16), '<script>']) {
      const r = await h.vendors.startFromShareLink(slug, { kind: 'collectivite_administration', actor: applicant });
      assert.deepEqual(r.ok ? 'ok' : r.code, 'not_found', slug);
    }
  });
});
