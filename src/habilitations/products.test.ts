/** Eligibility per API, as each api.gouv.fr page answers it (seeds 000–003 `access_page`). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { providers } from '../providers/index.ts';
import { ORGANISATION_KINDS, eligibility, mayRequest, products, productById } from './products.ts';
import { MINIMISATION_RULE, scopeCatalogue } from './scope-catalogue.ts';

describe('eligibility', () => {
  test('API Particulier is for public actors only; vendors are referenced', () => {
    assert.equal(eligibility('api_particulier', 'particulier')?.verdict, -1);
    assert.equal(eligibility('api_particulier', 'entreprise_association')?.verdict, -1);
    assert.match(eligibility('api_particulier', 'entreprise_association')?.message ?? '', /uniquement réservé aux acteurs publics/);
    assert.equal(eligibility('api_particulier', 'collectivite_administration')?.verdict, 1);
    assert.equal(eligibility('api_particulier', 'editeur_logiciel')?.next, 'vendor_referencing');
  });

  test('the CNAM API: healthcare establishments and complementary health organisations, under a convention', () => {
    for (const kind of ['etablissement_soins', 'organisme_complementaire_sante'] as const) {
      const answer = eligibility('api_droits_cnam', kind);
      assert.equal(answer?.verdict, 0);
      assert.match(answer?.message ?? '', /convention d’usage/);
    }
    assert.equal(eligibility('api_droits_cnam', 'collectivite_administration')?.verdict, -1);
    assert.equal(productById('api_droits_cnam')?.providerReview, true);
  });

  test('the DSS API: also companies that are FranceConnect partners with a legal basis', () => {
    const answer = eligibility('api_prestations_sociales_fc', 'entreprise_association');
    assert.equal(answer?.verdict, 0);
    assert.match(answer?.message ?? '', /partenaire de FranceConnect.*cadre juridique/);
    assert.equal(eligibility('api_prestations_sociales_fc', 'particulier')?.verdict, -1);
  });

  test('unknown product or kind: no answer rather than a guess', () => {
    assert.equal(eligibility('api_inconnue', 'particulier'), undefined);
    assert.equal(eligibility('api_particulier', 'extraterrestre'), undefined);
  });

  test('every product answers every kind, and someone may request each', () => {
    for (const product of products) {
      for (const kind of ORGANISATION_KINDS) assert.match(product.eligibility[kind].message, /\S/, `${product.id}/${kind}`);
      assert.ok(ORGANISATION_KINDS.some((k) => mayRequest(product, k)), product.id);
    }
  });
});

describe('scope catalogue', () => {
  test('derived from the manifests, grouped by provider, every scope labelled and reachable', () => {
    const groups = scopeCatalogue(productById('api_particulier')!, providers);
    assert.ok(groups.some((g) => g.providerId === 'dss' && g.scopes.some((s) => s.scope === 'cnaf_quotient_familial')));
    assert.ok(!groups.some((g) => g.providerId === 'cnam'));
    for (const g of groups) for (const s of g.scopes) assert.match(s.label, /\S/);
    assert.match(MINIMISATION_RULE, /strictement nécessaires/);
  });

  test('the DSS FranceConnect API offers only C2S and RSA, by FranceConnect', () => {
    const [dss, ...others] = scopeCatalogue(productById('api_prestations_sociales_fc')!, providers);
    assert.equal(others.length, 0);
    assert.deepEqual(dss?.scopes.map((s) => s.scope).sort(), ['complementaire_sante_solidaire', 'revenu_solidarite_active', 'revenu_solidarite_active_majoration']);
    for (const s of dss?.scopes ?? []) assert.deepEqual(s.modalities, ['france_connect']);
  });
});
