import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidSiret } from './siret.ts';

test('accepts real SIRETs of public bodies', () => {
  for (const siret of ['13002526500013', '21750001600019', '11000201100044']) {
    assert.equal(isValidSiret(siret), true, siret);
  }
});

test('rejects a wrong key, wrong lengths, non-digits and spaces', () => {
  for (const siret of ['13002526500014', '1300252650001', '130025265000130', '1300252650001A', '130 025 265 00013', '']) {
    assert.equal(isValidSiret(siret), false, siret);
  }
});

test('La Poste establishments follow the digit-sum rule even when Luhn fails', () => {
  // 35600000000010: Luhn fails, digit sum 3+5+6+1 = 15 → a multiple of 5 → valid under La Poste's rule
  assert.equal(isValidSiret('35600000000010'), true);
  // 35600000049837: Luhn fails, digit sum 45 → valid
  assert.equal(isValidSiret('35600000049837'), true);
  // 35600000000011: Luhn fails, digit sum 16 → invalid
  assert.equal(isValidSiret('35600000000011'), false);
  // the same number outside La Poste's SIREN follows Luhn alone
  assert.equal(isValidSiret('35700000000010'), false);
});

test('changing any single digit of a valid SIRET (outside La Poste) invalidates it', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
      const base = '13002526500013';
      const digit = (Number(base[position]) + delta) % 10;
      const mutated = base.slice(0, position) + String(digit) + base.slice(position + 1);
      return isValidSiret(mutated) === false;
    }),
  );
});
