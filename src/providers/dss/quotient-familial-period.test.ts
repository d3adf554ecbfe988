/**
 * The quotient familial period rules (ADR 0010) on a frozen clock: defaults, the 24-month history,
 * the future, and which param is blamed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { currentPeriod, quotientFamilialPeriodRules, requestedPeriod } from './quotient-familial-period.ts';

const TODAY = new Date('2026-11-23T10:00:00Z');
const rules = (params: Record<string, unknown>) => quotientFamilialPeriodRules(params, TODAY);

describe('requested period: the defaults of the official description', () => {
  test('nothing → the current month', () => {
    assert.deepEqual(requestedPeriod({}, TODAY), { annee: 2026, mois: 11 });
  });
  test('a month alone → that month of the current year', () => {
    assert.deepEqual(requestedPeriod({ mois: 3 }, TODAY), { annee: 2026, mois: 3 });
  });
  test('a year alone → the current month of that year', () => {
    assert.deepEqual(requestedPeriod({ annee: 2025 }, TODAY), { annee: 2025, mois: 11 });
  });
  test('the current month is the French one: 31 December 23:30 UTC is already January in Paris', () => {
    assert.deepEqual(currentPeriod(new Date('2026-12-31T23:30:00Z')), { annee: 2027, mois: 1 });
  });
});

describe('accepted periods', () => {
  for (const params of [{}, { annee: 2026 }, { mois: 11 }, { mois: 1 }, { annee: 2026, mois: 11 }, { annee: 2025, mois: 12 }, { annee: 2024 }, { annee: 2024, mois: 11 }]) {
    test(JSON.stringify(params), () => assert.deepEqual(rules(params), []));
  }
});

describe('refused periods, with the param at fault', () => {
  test('a month later in the current year → mois', () => {
    assert.deepEqual(rules({ mois: 12 }), [
      {
        parameter: 'mois',
        detail: 'La période demandée (décembre 2026) est dans le futur : le quotient familial le plus récent est celui du mois en cours (novembre 2026)',
      },
    ]);
    assert.equal(rules({ annee: 2026, mois: 12 })[0]?.parameter, 'mois');
  });
  test('next year → annee (CONTRACT §9 check 16)', () => {
    assert.equal(rules({ annee: 2027 })[0]?.parameter, 'annee');
    assert.equal(rules({ annee: 2027, mois: 1 })[0]?.parameter, 'annee');
    assert.match(rules({ annee: 2027 })[0]?.detail ?? '', /^La période demandée \(novembre 2027\) est dans le futur/);
  });
  test('more than 24 months back → annee, naming the oldest month available', () => {
    assert.deepEqual(rules({ annee: 2024, mois: 10 }), [
      {
        parameter: 'annee',
        detail: "La période demandée (octobre 2024) est trop ancienne : l'historique du quotient familial remonte au plus à 2 ans (novembre 2024)",
      },
    ]);
    assert.equal(rules({ annee: 2023 })[0]?.parameter, 'annee');
  });
});

describe('properties', () => {
  test('a period is accepted exactly when it lies in the 25 months ending with the current one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2060 }), fc.integer({ min: 1, max: 12 }), (annee, mois) => {
        const monthsBack = (2026 - annee) * 12 + (11 - mois);
        assert.equal(rules({ annee, mois }).length === 0, monthsBack >= 0 && monthsBack <= 24);
      }),
    );
  });
  test('a month alone is never too old, and is refused only when later than the current month', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), (mois) => assert.equal(rules({ mois }).length, mois > 11 ? 1 : 0)));
  });
});
