/** The canonical row: the hash of a row read back from the database equals the hash computed before writing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalRow, chainHash, GENESIS_HASH, type ChainedFields } from './chain.ts';

const row: ChainedFields = {
  segment_id: '6f0c1b9e-0000-4000-8000-000000000001',
  seq: 1,
  request_id: 'r1',
  at: new Date('2026-11-23T10:00:00.123Z'),
  token_jti: 'A3C1B9E0-0000-4000-8000-00000000000A',
  habilitation_id: null,
  recipient: '13002526500013',
  route: '/v3/x',
  operation_id: 'op',
  modality: 'identite',
  status: 200,
  error_code: null,
  latency_ms: 12.345678901,
  provider_latency_ms: null,
  person_pseudonym: 'p',
  fc_sub_pseudonym: null,
};

test('a row as read back (float4 latency, lower-case uuid, string rank and instant) hashes the same', () => {
  const readBack = { ...row, seq: '1' as unknown as number, at: '2026-11-23T10:00:00.123Z', token_jti: row.token_jti?.toLowerCase() ?? null, latency_ms: 12.345679 };
  assert.equal(canonicalRow(readBack), canonicalRow(row));
  assert.equal(chainHash(GENESIS_HASH, readBack), chainHash(GENESIS_HASH, row));
});

test('every field, the rank and the previous hash change the hash', () => {
  const base = chainHash(GENESIS_HASH, row);
  assert.notEqual(chainHash('1'.repeat(64), row), base);
  for (const [key, value] of Object.entries({ seq: 2, request_id: 'r2', status: 404, recipient: null, latency_ms: 12.4, fc_sub_pseudonym: 'x', habilitation_id: 'h' })) {
    assert.notEqual(chainHash(GENESIS_HASH, { ...row, [key]: value }), base, key);
  }
});
