import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allEndpoints, providers } from '../../providers/index.ts';
import { apiTexts } from './api-texts.ts';
import { apiKeyOf, buildCatalogue } from './catalogue-model.ts';
import { parseCatalogueQuery, searchCatalogue } from './catalogue-search.ts';
import { retired, upcoming } from './roadmap.ts';
import { useCaseTemplates } from './use-case-templates.ts';

const catalogue = buildCatalogue(providers, new Map());
const keys = new Set(allEndpoints().map(({ provider, endpoint }) => apiKeyOf(provider, endpoint)));

test('every API of the registry has its texts, and no text is orphaned', () => {
  assert.deepEqual(new Set(catalogue.map((a) => a.key)), keys);
  assert.deepEqual(new Set(Object.keys(apiTexts)), keys);
});

test('page URLs are unique and do not collide with retired APIs', () => {
  const urls = [...catalogue.map((a) => a.url), ...retired.map((r) => `/catalogue/${r.providerSlug}/${r.apiSlug}`)];
  assert.equal(new Set(urls).size, urls.length);
  for (const url of urls) assert.match(url, /^\/catalogue\/[a-z_]+\/[a-z_]+$/);
});

test('templates and coming-soon items name APIs that exist', () => {
  for (const t of useCaseTemplates) for (const key of t.apis) assert.ok(keys.has(key), `${t.slug}: ${key}`);
  for (const u of upcoming) if (u.extends) assert.ok(keys.has(u.extends), `${u.id}: ${u.extends}`);
});

test('every field a scope unlocks is found in the data schema and described', () => {
  for (const api of catalogue) {
    for (const group of api.scopeGroups) {
      assert.ok(group.fields.length > 0, `${api.key} ${group.key}`);
      for (const f of group.fields) assert.ok(f.title !== '' || f.description !== '', `${api.key}: ${f.path} has no description`);
    }
  }
});

test('an API without texts fails loudly', () => {
  const stray = { ...providers[0]!, id: 'stray' };
  assert.throws(() => buildCatalogue([stray], new Map()), /no texts for API stray\//);
});

test('FranceConnect flag follows the modalities', () => {
  for (const api of catalogue) assert.equal(api.franceConnect, api.endpoints.some((e) => e.modality === 'france_connect'), api.key);
});

test('query parsing keeps only known FranceConnect values and bounds the text', () => {
  assert.deepEqual(parseCatalogueQuery({ q: ['  a ', 'b'], franceconnect: 'peut-être', fournisseur: 'cnam', theme: 'Santé' }), { q: 'a', provider: 'cnam', theme: 'Santé', franceConnect: '' });
  assert.equal(parseCatalogueQuery({ q: 'x'.repeat(1000) }).q.length, 200);
  assert.equal(searchCatalogue(catalogue, parseCatalogueQuery({ q: 'COMPLEMENTAIRE sante' }))[0]?.key, 'dss/complementaire_sante_solidaire');
});
