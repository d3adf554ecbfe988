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

export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(record: TokenRecord, now: Date): TokenState {
  if (record.revokedAt !== null && record.revokedAt.getTime() <= now.getTime()) return 'revoked';
  if (record.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
