import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileMask, MaskCache, type MaskingTable } from './mask.ts';

const RSA: MaskingTable = {
  revenu_solidarite_active: ['est_beneficiaire', 'date_debut_droit'],
  revenu_solidarite_active_majoration: ['avec_majoration'],
};
const CNOUS: MaskingTable = {
  cnous_statut_boursier: ['est_boursier'],
  cnous_echelon_bourse: ['echelon_bourse.echelon'],
  cnous_statut_bourse: ['echelon_bourse.echelon_bourse_regionale_provisoire'],
  cnous_identite: ['identite'],
  cnous_admissions: ['admissions.date_debut'],
};
const cnousData = {
  est_boursier: true,
  echelon_bourse: { echelon: '3', echelon_bourse_regionale_provisoire: false },
  identite: { nom: 'X', prenoms: ['A', 'B'] },
  admissions: [
    { date_debut: '2025-09-01', secret: 1 },
    { date_debut: '2024-09-01', secret: 2 },
  ],
  unlisted: 'never returned',
};

test('keeps exactly what the held scopes unlock; masked keys are removed, not nulled (conformance check 6)', () => {
  const mask = compileMask(RSA, ['revenu_solidarite_active']);
  assert.deepEqual(mask({ est_beneficiaire: true, avec_majoration: false, date_debut_droit: null }), {
    est_beneficiaire: true,
    date_debut_droit: null,
  });
});

test('nested paths and arrays', () => {
  assert.deepEqual(compileMask(CNOUS, ['cnous_echelon_bourse', 'cnous_admissions'])(cnousData), {
    echelon_bourse: { echelon: '3' },
    admissions: [{ date_debut: '2025-09-01' }, { date_debut: '2024-09-01' }],
  });
  assert.deepEqual(compileMask(CNOUS, ['cnous_identite', 'cnous_echelon_bourse', 'cnous_statut_bourse'])(cnousData), {
    echelon_bourse: { echelon: '3', echelon_bourse_regionale_provisoire: false },
    identite: { nom: 'X', prenoms: ['A', 'B'] },
  });
});

test('no scope → empty object; unknown scopes unlock nothing; fields no scope lists never leave', () => {
  assert.deepEqual(compileMask(CNOUS, [])(cnousData), {});
  assert.deepEqual(compileMask(CNOUS, ['cnaf_adresse'])(cnousData), {});
  assert.ok(!('unlisted' in (compileMask(CNOUS, Object.keys(CNOUS))(cnousData) as object)));
});

test('property: a masked answer never carries a path outside the held scopes’ paths', () => {
  const allowedPaths = (scopes: string[]): string[] => scopes.flatMap((s) => CNOUS[s] ?? []);
  const leafPaths = (value: unknown, prefix = ''): string[] => {
    if (Array.isArray(value)) return value.flatMap((v) => leafPaths(v, prefix));
    if (value !== null && typeof value === 'object') {
      return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
    }
    return [prefix];
  };
  fc.assert(
    fc.property(fc.subarray(Object.keys(CNOUS)), fc.jsonValue(), (scopes, noise) => {
      const data = { ...cnousData, noise };
      const masked = new MaskCache().get(CNOUS, new Set(scopes))(data);
      const allowed = allowedPaths(scopes);
      for (const path of leafPaths(masked)) {
        assert.ok(
          allowed.some((a) => path === a || path.startsWith(`${a}.`)),
          `${path} leaked with scopes ${scopes.join(',')}`,
        );
      }
    }),
  );
});

test('property: masking is monotonic — more scopes never hide a field fewer scopes showed', () => {
  fc.assert(
    fc.property(fc.subarray(Object.keys(CNOUS)), fc.subarray(Object.keys(CNOUS)), (a, b) => {
      const small = JSON.stringify(compileMask(CNOUS, a)(cnousData));
      const big = compileMask(CNOUS, [...a, ...b])(cnousData) as Record<string, unknown>;
      for (const key of Object.keys(JSON.parse(small) as object)) assert.ok(key in big);
    }),
  );
});

test('the cache returns the same masker for the same relevant scopes', () => {
  const cache = new MaskCache();
  assert.equal(cache.get(RSA, new Set(['revenu_solidarite_active', 'other'])), cache.get(RSA, new Set(['revenu_solidarite_active'])));
});

test('a conjunctive key (a+b) unlocks its paths only when every scope is held', () => {
  const table: MaskingTable = { period: ['block.found'], 'period+dates': ['block.start'] };
  const data = { block: { found: true, start: '2025-01-01' } };
  assert.deepEqual(compileMask(table, ['period'])(data), { block: { found: true } });
  assert.deepEqual(compileMask(table, ['dates'])(data), {});
  assert.deepEqual(compileMask(table, ['period', 'dates'])(data), data);
  const cache = new MaskCache();
  assert.deepEqual(cache.get(table, new Set(['dates']))(data), {});
  assert.deepEqual(cache.get(table, new Set(['dates', 'period']))(data), data);
});

test('MaskCache: the same scope set object, or another with the same relevant scopes, gets the same masker; other scopes another', () => {
  const table: MaskingTable = { a: ['x'], b: ['y'] };
  const cache = new MaskCache();
  const held = new Set(['a', 'unrelated']);
  const first = cache.get(table, held);
  assert.equal(cache.get(table, held), first, 'found by identity');
  assert.equal(cache.get(table, new Set(['a'])), first, 'found by the relevant scopes');
  assert.notEqual(cache.get(table, new Set(['a', 'b'])), first);
  assert.deepEqual(first({ x: 1, y: 2 }), { x: 1 });
});
