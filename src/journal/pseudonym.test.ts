import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPseudonymiser } from './pseudonym.ts';

const key = 'k'.repeat(32);
const lea = { nomNaissance: 'Rochefort', 'prenoms[]': ['Léa', 'Marie'], anneeDateNaissance: 1991, recipient: '13002526500013' };

test('the same person gives the same pseudonym whatever the spelling, order, recipient or modality', () => {
  const p = createPseudonymiser(key);
  const viaFranceConnect = { prenoms: ['LEA', 'MARIE'], anneeDateNaissance: '1991', nomNaissance: 'ROCHEFORT' };
  assert.equal(p(lea), p(viaFranceConnect));
  assert.equal(p(lea), p({ ...lea, recipient: '21750001600019' }));
});

test('another person, or another key, gives another pseudonym; the identity is not readable in it', () => {
  const p = createPseudonymiser(key);
  assert.notEqual(p(lea), p({ ...lea, anneeDateNaissance: 1992 }));
  assert.notEqual(p(lea), createPseudonymiser('z'.repeat(32))(lea));
  assert.match(p(lea), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!p(lea).toUpperCase().includes('ROCHEFORT'));
});
