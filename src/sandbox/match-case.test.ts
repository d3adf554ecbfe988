import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SandboxCase } from './case-file.ts';
import { compileCases, matchCase, paramsKey } from './match-case.ts';

let counter = 0;
function aCase(params: Record<string, unknown>, file = `case-${(counter += 1)}.yaml`, status = 200): SandboxCase {
  return { file, operationId: 'op', title: file, description: '', params, status, body: { file } };
}

/** What a coerced v3 query looks like once validated (CONTRACT §1.1: `prenoms[]`, numbers). */
const ROSE = {
  recipient: '13002526500013',
  nomNaissance: 'VIDAL',
  'prenoms[]': ['ROSE', 'ALICE'],
  anneeDateNaissance: 1987,
  moisDateNaissance: 4,
  jourDateNaissance: 12,
  sexeEtatCivil: 'F',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '01053',
};

describe('matchCase (CONTRACT §6)', () => {
  test('a case matches when its params are a subset of the request', () => {
    const rose = aCase({ nomNaissance: 'VIDAL', prenoms: ['ROSE', 'ALICE'] });
    assert.equal(matchCase([rose], ROSE), rose);
    assert.equal(matchCase([rose], { ...ROSE, nomNaissance: 'VIDALE' }), undefined);
    assert.equal(matchCase([aCase({ nomNaissance: 'VIDAL', nomUsage: 'BRUN' })], ROSE), undefined, 'a case key absent from the request');
  });

  test('recipient is never a match key', () => {
    const withRecipient = aCase({ nomNaissance: 'VIDAL', recipient: '11111111111111' });
    assert.equal(matchCase([withRecipient], ROSE), withRecipient);
    const onlyRecipient = aCase({ recipient: '11111111111111' });
    assert.equal(matchCase([onlyRecipient], { nomNaissance: 'BRUN' }), onlyRecipient, 'a recipient-only case is an empty-params case');
  });

  test('values compare type-insensitively: YAML ints, query strings, booleans', () => {
    const c = aCase({ anneeDateNaissance: 1987, moisDateNaissance: '4', actif: true, code: '01053' });
    assert.equal(matchCase([c], { anneeDateNaissance: '1987', moisDateNaissance: 4, actif: 'true', code: '01053' }), c);
    assert.equal(matchCase([c], { anneeDateNaissance: '1987', moisDateNaissance: '04', actif: true, code: 1053 }), c, 'numeric text compares as a number');
    assert.equal(matchCase([c], { anneeDateNaissance: 1987, moisDateNaissance: 4, actif: false, code: '01053' }), undefined);
    assert.equal(matchCase([aCase({ nom: 'Vidal' })], { nom: 'VIDAL' }), undefined, 'letter case counts');
  });

  test('arrays: element-wise, in order, same length; a scalar equals a one-element array', () => {
    const two = aCase({ prenoms: ['ROSE', 'ALICE'] });
    assert.equal(matchCase([two], { prenoms: ['ROSE', 'ALICE'] }), two);
    assert.equal(matchCase([two], { prenoms: ['ALICE', 'ROSE'] }), undefined, 'order matters');
    assert.equal(matchCase([two], { prenoms: ['ROSE'] }), undefined, 'length matters');
    assert.equal(matchCase([two], { prenoms: ['ROSE', 'ALICE', 'MARIE'] }), undefined);
    const one = aCase({ prenoms: ['ROSE'] });
    assert.equal(matchCase([one], { prenoms: 'ROSE' }), one);
    const scalar = aCase({ prenoms: 'ROSE' });
    assert.equal(matchCase([scalar], { 'prenoms[]': ['ROSE'] }), scalar);
    const years = aCase({ annees: [2001, 2002] });
    assert.equal(matchCase([years], { 'annees[]': ['2001', '2002'] }), years);
  });

  test('`prenoms[]` in the request and `prenoms` in the case (and the reverse) are one param', () => {
    const bare = aCase({ prenoms: ['ROSE', 'ALICE'] });
    assert.equal(matchCase([bare], { 'prenoms[]': ['ROSE', 'ALICE'] }), bare);
    const bracketed = aCase({ 'prenoms[]': ['ROSE', 'ALICE'] });
    assert.equal(matchCase([bracketed], { prenoms: ['ROSE', 'ALICE'] }), bracketed);
    assert.equal(matchCase([bare], { prenoms: ['X'], 'prenoms[]': ['ROSE', 'ALICE'] }), bare, 'the bracketed request key wins a clash');
  });

  test('the most specific case wins, whatever the load order', () => {
    const loose = aCase({ nomNaissance: 'VIDAL' });
    const precise = aCase({ nomNaissance: 'VIDAL', prenoms: ['ROSE', 'ALICE'], anneeDateNaissance: 1987 });
    const mid = aCase({ nomNaissance: 'VIDAL', sexeEtatCivil: 'F' });
    assert.equal(matchCase([loose, mid, precise], ROSE), precise);
    assert.equal(matchCase([precise, mid, loose], ROSE), precise);
    assert.equal(matchCase([loose, mid], ROSE), mid);
  });

  test('ties go to the first in load order', () => {
    const a = aCase({ nomNaissance: 'VIDAL' });
    const b = aCase({ sexeEtatCivil: 'F' });
    assert.equal(matchCase([a, b], ROSE), a);
    assert.equal(matchCase([b, a], ROSE), b);
  });

  test('identical params: the later case replaces the earlier one, in its place (a later directory overrides)', () => {
    const shipped = aCase({ nomNaissance: 'VIDAL', anneeDateNaissance: 1987 }, 'shipped.yaml');
    const other = aCase({ nomNaissance: 'VIDAL', sexeEtatCivil: 'F' }, 'other.yaml');
    const override = aCase({ anneeDateNaissance: '1987', 'nomNaissance': 'VIDAL' }, 'override.yaml', 404);
    assert.equal(matchCase([shipped, other, override], ROSE), override);
    const matcher = compileCases([shipped, other, override]);
    assert.equal(matcher.match({ nomNaissance: 'VIDAL', sexeEtatCivil: 'F' }), other);
  });

  test('an empty-params case matches anything, with the lowest priority', () => {
    const fallback = aCase({});
    const rose = aCase({ nomNaissance: 'VIDAL' });
    assert.equal(matchCase([fallback, rose], ROSE), rose);
    assert.equal(matchCase([fallback, rose], { nomNaissance: 'BRUN' }), fallback);
    assert.equal(matchCase([fallback], {}), fallback);
    assert.equal(matchCase([], ROSE), undefined);
  });

  test('a null case value matches an absent or empty request param', () => {
    const noUsage = aCase({ nomNaissance: 'VIDAL', nomUsage: null });
    assert.equal(matchCase([noUsage], ROSE), noUsage);
    assert.equal(matchCase([noUsage], { ...ROSE, nomUsage: '' }), noUsage);
    assert.equal(matchCase([noUsage], { ...ROSE, nomUsage: 'BRUN' }), undefined);
  });

  test('the compiled form is reused for the same array and rebuilt when it grows', () => {
    const cases = [aCase({ nomNaissance: 'VIDAL' })];
    assert.equal(matchCase(cases, { nomNaissance: 'BRUN' }), undefined);
    const brun = aCase({ nomNaissance: 'BRUN' });
    cases.push(brun);
    assert.equal(matchCase(cases, { nomNaissance: 'BRUN' }), brun);
  });

  test('property: a case always matches a request made of its own params plus extras, in any spelling', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 3000 }), fc.boolean());
    const value = fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 3 }));
    const spelled = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : Array.isArray(v) ? v.map(spelled) : v);
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), value, { maxKeys: 6 }), fc.dictionary(fc.stringMatching(/^[A-Z]{1,8}$/), scalar), (params, extras) => {
        const c = aCase(params);
        const request: Record<string, unknown> = { ...extras };
        for (const [k, v] of Object.entries(params)) request[Array.isArray(v) ? `${k}[]` : k] = spelled(v);
        assert.equal(matchCase([c], request), c);
        assert.equal(paramsKey(params), paramsKey(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, spelled(v)]))));
      }),
    );
  });

  test('paramsKey: same key exactly when two cases match the same requests', () => {
    assert.equal(paramsKey({ 'prenoms[]': ['A'], annee: 2002, recipient: 'x' }), paramsKey({ annee: '2002', prenoms: ['A'] }));
    assert.notEqual(paramsKey({ prenoms: ['A', 'B'] }), paramsKey({ prenoms: ['B', 'A'] }));
    assert.notEqual(paramsKey({ annee: 2002 }), paramsKey({ annee: 2003 }));
  });
});
