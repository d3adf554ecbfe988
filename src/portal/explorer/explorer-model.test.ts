import assert from 'node:assert/strict';
import { test } from 'node:test';
import { providers } from '../../providers/index.ts';
import type { LoadReport } from '../../sandbox/load-cases.ts';
import { explorerForm, explorerRoutes, queryOfForm, removedFields } from './explorer-model.ts';

const routes = explorerRoutes(providers);
const rsa = routes.find((r) => r.endpoint.path === '/v3/dss/revenu_solidarite_active/identite')!;
const empty: LoadReport = { cases: new Map(), franceConnectTokens: new Map(), problems: [] };

test('every endpoint of the registry is a route of the explorer', () => {
  assert.equal(routes.length, providers.flatMap((p) => p.endpoints).length);
});

test('removed fields are those of the masking keys the held scopes do not cover', () => {
  assert.deepEqual(removedFields(rsa.endpoint, ['revenu_solidarite_active', 'revenu_solidarite_active_majoration']), []);
  assert.deepEqual(removedFields(rsa.endpoint, ['revenu_solidarite_active']), ['avec_majoration']);
  assert.ok(removedFields(rsa.endpoint, ['revenu_solidarite_active_majoration']).includes('est_beneficiaire'));
});

test('a submitted form becomes the query; list params split on commas; all scopes ticked by default', () => {
  const fresh = explorerForm(rsa, empty, undefined, undefined);
  assert.ok(fresh.scopes.every((s) => s.checked));
  assert.equal(fresh.fields[0]?.value, '13002526500013');
  const form = explorerForm(rsa, empty, { 'p:recipient': '13002526500013', 'p:prenoms[]': 'ANNE, MARIE ,', 'p:nomNaissance': ' LEROY ', scopes: 'revenu_solidarite_active' }, undefined);
  assert.deepEqual(form.scopes.filter((s) => s.checked).map((s) => s.name), ['revenu_solidarite_active']);
  const result = queryOfForm(form);
  assert.ok('query' in result);
  assert.deepEqual(result.query.filter(([k]) => k !== 'recipient'), [['nomNaissance', 'LEROY'], ['prenoms[]', 'ANNE'], ['prenoms[]', 'MARIE']]);
});

test('no scope or an over-long value: problems by field, no query', () => {
  const form = explorerForm(rsa, empty, { 'p:recipient': 'x'.repeat(201) }, undefined);
  const result = queryOfForm(form);
  assert.ok('problems' in result);
  assert.deepEqual(Object.keys(result.problems).sort(), ['recipient', 'scopes']);
});
