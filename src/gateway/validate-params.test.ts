/** The params validator is compiled once per endpoint and clock, whoever asks for it (data route, status probes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { providers } from '../providers/index.ts';
import { compileParamsValidator } from './validate-params.ts';

const endpoints = providers.flatMap((provider) => provider.endpoints);

test('asking again for an endpoint validator with the same clock gives the one compiled before', () => {
  const now = (): Date => new Date('2026-11-24T00:00:00Z');
  for (const endpoint of endpoints) assert.equal(compileParamsValidator(endpoint, now), compileParamsValidator(endpoint, now), endpoint.operationId);
  assert.equal(compileParamsValidator(endpoints[0]!), compileParamsValidator(endpoints[0]!), 'the default clock too');
});

test('another clock or another endpoint gets its own validator', () => {
  const [first, second] = endpoints;
  const a = (): Date => new Date('2026-01-01T00:00:00Z');
  const b = (): Date => new Date('2026-01-01T00:00:00Z');
  assert.notEqual(compileParamsValidator(first!, a), compileParamsValidator(first!, b));
  assert.notEqual(compileParamsValidator(first!, a), compileParamsValidator(second!, a));
});
