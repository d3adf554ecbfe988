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
  /** Calls per second for this token; null: the gateway's default (migration 0005). */
  rate_limit_per_second: ColumnType<number | null, number | null | undefined, number | null>;
  /** `explorer`: a sandbox explorer token, purged a day after it expires (migration 0009); else `api`. */
  purpose: ColumnType<'api' | 'explorer', 'api' | 'explorer' | undefined, 'api' | 'explorer'>;
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
  /** The habilitation the call was made under (migration 0002; filled once habilitations exist). */
  habilitation_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** HMAC of the FranceConnect `sub`, FranceConnect calls only. */
  fc_sub_pseudonym: ColumnType<string | null, string | null | undefined, string | null>;
  /** Hash chain (docs/adr/0090-journal-hash-chain.md): the writer's segment, the row's rank in it, its hash. */
  segment_id: ColumnType<string | null, string | null | undefined, string | null>;
  seq: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Head and retention anchor of one journal writer's hash-chain segment. */
export interface JournalSegmentsTable {
  segment_id: string;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_seq: ColumnType<string, number | string, number | string>;
  last_hash: string;
  /** Rows up to this rank were deleted by retention; `anchor_hash` is the hash of that last deleted row. */
  anchor_seq: ColumnType<string, number | string | undefined, number | string>;
  anchor_hash: ColumnType<string, string | undefined, string>;
}

/** Daily rollup of the journal per token, route and status (src/stats/). */
export interface StatsDailyTable {
  day: ColumnType<Date, Date | string, Date | string>;
  token_jti: string | null;
  operation_id: string;
  route: string;
  status: number;
  calls: number;
  latency_sum_ms: number;
  latency_max_ms: number;
  latency_buckets: number[];
}

export interface Schema {
  tokens: TokensTable;
  access_journal: AccessJournalTable;
  journal_segments: JournalSegmentsTable;
  stats_daily: StatsDailyTable;
  status_probes: StatusProbesTable;
}

/** Active probes of the status page (migration 0006). */
export interface StatusProbesTable {
  id: Generated<string>;
  provider: string;
  at: Timestamp;
  ok: boolean;
  latency_ms: number;
  error_code: string | null;
}
