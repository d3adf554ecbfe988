/**
 * Table types for Kysely. One interface per table; the SQL lives in `migrations/`.
 * Keep both in step: a migration test compares them on PGlite and PostgreSQL.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** An issued API token. The JWT itself is never stored: only its claims. */
export interface TokensTable {
  jti: string;
  uid: string;
  name: string;
  owner: string;
  scopes: string[];
  /** Call modalities the token may use: identite, france_connect, ine, identifiant. */
  modalities: string[];
  /** FranceConnect client ids (`aud`) whose citizen tokens are honoured under this record. */
  fc_client_ids: Generated<string[]>;
  kid: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  /** Revocation takes effect at this instant; may be in the future (scheduled revocation). */
  revoked_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** One row per data call, written before the answer leaves (DESIGN §2.3). */
export interface AccessJournalTable {
  id: Generated<string>;
  request_id: string;
  at: Timestamp;
  token_jti: string | null;
  recipient: string | null;
  route: string;
  operation_id: string;
  modality: string;
  status: number;
  error_code: string | null;
  latency_ms: number;
  provider_latency_ms: number | null;
  /** HMAC of the normalised identity with a secret key: never the identity itself. */
  person_pseudonym: string | null;
}

export interface Schema {
  tokens: TokensTable;
  access_journal: AccessJournalTable;
}
