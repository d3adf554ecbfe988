/** The rate limit field of the instruction forms (ADR 0117): one rule with the configuration and the CLI. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../config/config.ts';
import { TOKEN_RATE_LIMIT_BOUNDS } from '../tokens/token-record.ts';
import { normaliseCreateInput, TokenInputError } from '../tokens/token-admin.ts';
import { RATE_LIMIT_MESSAGE, isRateLimitSetting, parseRateLimitField, rateLimitHint, rateLimitLabel } from './rate-limit-field.ts';

describe('parseRateLimitField', () => {
  test('empty or absent is the service default; a whole number within the bounds is kept', () => {
    for (const raw of [undefined, null, '', '   ']) assert.deepEqual(parseRateLimitField(raw), { ok: true, value: null }, String(raw));
    for (const [raw, value] of [['1', 1], [' 50 ', 50], ['007', 7], ['10000', 10_000]] as const) assert.deepEqual(parseRateLimitField(raw), { ok: true, value });
  });

  test('anything else is refused with the same French message', () => {
    for (const raw of ['0', '-1', '10001', 'abc', '2.5', '1e3', '0x10', '+5', '5 000', '9999999999', ['5', '6'], 5]) {
      assert.deepEqual(parseRateLimitField(raw), { ok: false, message: RATE_LIMIT_MESSAGE }, JSON.stringify(raw));
    }
    assert.equal(RATE_LIMIT_MESSAGE, 'Indiquez un nombre entier d’appels par seconde entre 1 et 10\u202f000, ou laissez le champ vide pour le débit par défaut.');
  });

  test('the bounds are the ones RATE_LIMIT_PER_SECOND and tokens create --rate-limit enforce', () => {
    const { min, max } = TOKEN_RATE_LIMIT_BOUNDS;
    for (const value of [min, max]) {
      assert.equal(isRateLimitSetting(value), true);
      assert.equal(loadConfig({ RATE_LIMIT_PER_SECOND: String(value) }).rateLimits.token.perSecond, value);
      assert.equal(normaliseCreateInput({ scopes: ['s'], rateLimitPerSecond: value }, ['s']).rateLimitPerSecond, value);
    }
    for (const value of [min - 1, max + 1]) {
      assert.equal(isRateLimitSetting(value), false);
      assert.throws(() => loadConfig({ RATE_LIMIT_PER_SECOND: String(value) }), /RATE_LIMIT_PER_SECOND/);
      assert.throws(() => normaliseCreateInput({ scopes: ['s'], rateLimitPerSecond: value }, ['s']), TokenInputError);
    }
  });
});

test('labels and hint', () => {
  assert.equal(rateLimitLabel(null, 20), '20 appels/s (débit par défaut)');
  assert.equal(rateLimitLabel(1500, 20), '1\u202f500 appels/s');
  assert.equal(rateLimitHint(20), 'Laisser vide pour le débit par défaut de 20 appels/s. Nombre entier, de 1 à 10\u202f000.');
});
