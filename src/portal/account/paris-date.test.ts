import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parisDay, parisMidnight } from './paris-date.ts';

test('a typed day is 0 h in Paris, summer and winter', () => {
  assert.equal(parisMidnight('2026-07-14')?.toISOString(), '2026-07-13T22:00:00.000Z');
  assert.equal(parisMidnight('2026-01-15')?.toISOString(), '2026-01-14T23:00:00.000Z');
});

test('anything but a real AAAA-MM-JJ day is refused as data', () => {
  for (const bad of ['', '2026-02-30', '14/07/2026', '2026-13-01', '2026-7-14', 'x']) assert.equal(parisMidnight(bad), undefined, bad);
});

test('the Paris day of an instant', () => {
  assert.equal(parisDay(new Date('2026-07-13T22:30:00Z')), '2026-07-14');
});
