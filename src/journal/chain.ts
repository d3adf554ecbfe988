/**
 * The journal's hash chain (docs/adr/0090-journal-hash-chain.md): each writer appends to its own
 * segment, and each row's hash is SHA-256(previous hash ‖ canonical row). Changing one field, removing
 * a row or swapping two rows changes a hash that `journal verify` recomputes.
 *
 * The canonical form is FROZEN: rows already written were hashed with it. Changing it means a new
 * version tag and a verifier that knows both.
 */
import { createHash } from 'node:crypto';

/** Version tag hashed into every row, so a future canonical form cannot be mistaken for this one. */
export const CHAIN_VERSION = 'apip-journal-v1';

/** The "previous hash" of a segment's first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a row's hash covers: every column but the database's own `id`. */
export interface ChainedFields {
  segment_id: string;
  seq: number;
  request_id: string;
  at: Date | string;
  token_jti: string | null;
  habilitation_id: string | null;
  recipient: string | null;
  route: string;
  operation_id: string;
  modality: string;
  status: number;
  error_code: string | null;
  latency_ms: number;
  provider_latency_ms: number | null;
  person_pseudonym: string | null;
  fc_sub_pseudonym: string | null;
}

// Latencies are stored as `real` (float4): hashing the float4 value, not the double we were given,
// makes the hash of a row read back from either engine equal to the hash computed before writing.
const real = (value: number | null): number | null => (value === null ? null : Math.fround(value));
const instant = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

/**
 * The row as the exact string that is hashed: a JSON array in a fixed order (unambiguous whatever
 * the field contents). `uuid` columns come back lower-cased from PostgreSQL, so they are hashed so.
 */
export function canonicalRow(row: ChainedFields): string {
  return JSON.stringify([
    CHAIN_VERSION,
    row.segment_id,
    Number(row.seq),
    row.request_id,
    instant(row.at),
    row.token_jti?.toLowerCase() ?? null,
    row.habilitation_id,
    row.recipient,
    row.route,
    row.operation_id,
    row.modality,
    Number(row.status),
    real(row.latency_ms),
    real(row.provider_latency_ms),
    row.error_code,
    row.person_pseudonym,
    row.fc_sub_pseudonym,
  ]);
}

/**
 * @example
 * const hash = chainHash(GENESIS_HASH, { segment_id, seq: 1, ...row });
 */
export function chainHash(previousHash: string, row: ChainedFields): string {
  return createHash('sha256').update(previousHash).update('\n').update(canonicalRow(row)).digest('hex');
}

/** `Date` with millisecond precision, as both engines return `timestamptz`: what is hashed is what is read back. */
export function journalInstant(value: Date | string): Date {
  return new Date(instant(value));
}
