/** An issued token as the gateway knows it. The JWT carries the same claims; the row is the authority. */
import type { Modality } from '../core/endpoint.ts';

export interface TokenRecord {
  jti: string;
  uid: string;
  name: string;
  owner: string;
  scopes: string[];
  modalities: Modality[];
  fcClientIds: string[];
  kid: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Calls per second this token may make; null: the gateway's default (docs/adr/0008-rate-limits.md). */
  rateLimitPerSecond: number | null;
  /** The habilitation that issued it (docs/adr/0110…), null for tokens made by hand; recorded in the journal. */
  habilitationId: string | null;
}

/**
 * The one rule for a per-token limit, in calls per second: `RATE_LIMIT_PER_SECOND`,
 * `tokens create --rate-limit`, a habilitation's limit (docs/adr/0117-habilitation-rate-limit.md)
 * and the CHECKs of `tokens` and `habilitations` (migrations 0005 and 0008) all use these bounds.
 */
export const TOKEN_RATE_LIMIT_BOUNDS = { min: 1, max: 10_000 } as const;

/** A whole number of calls per second within {@link TOKEN_RATE_LIMIT_BOUNDS}. */
export function isTokenRateLimit(value: number): boolean {
  return Number.isInteger(value) && value >= TOKEN_RATE_LIMIT_BOUNDS.min && value <= TOKEN_RATE_LIMIT_BOUNDS.max;
}

export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(record: TokenRecord, now: Date): TokenState {
  if (record.revokedAt !== null && record.revokedAt.getTime() <= now.getTime()) return 'revoked';
  if (record.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
