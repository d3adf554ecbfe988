/**
 * Kysely types of the habilitation tables (SQL in `migrations/0004-habilitations.ts`, 0008). Kept here
 * rather than in `infra/db/schema.ts`: the feature owns its tables; `withHabilitationTables` widens a
 * database handle to see them.
 */
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';
import type { MailTables } from '../mail/outbox-table.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as a JSON string, read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface HabilitationsTable {
  id: string;
  product: string;
  organisation_kind: string;
  siret: string | null;
  status: string;
  provider_approved: ColumnType<boolean, boolean | undefined, boolean>;
  form: Json<Record<string, unknown>>;
  snapshot: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  vendor_template_id: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Calls per second of its tokens; null: the service default (migration 0008, ADR 0117). */
  rate_limit_per_second: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface HabilitationEventsTable {
  id: Generated<string>;
  habilitation_id: string;
  at: Timestamp;
  event: string;
  actor_role: string;
  actor: string;
  from_status: string;
  to_status: string;
  message: string | null;
  data: ColumnType<Record<string, unknown> | null, string | null, never>;
}

export interface HabilitationTokensTable {
  jti: string;
  habilitation_id: string;
  /** Issue order: tokens issued in the same second still list newest first. */
  seq: Generated<string>;
  /** approval, prolongation, rotation. */
  reason: string;
  /** The token that took over (prolongation or rotation): no expiry notice for this one. */
  replaced_by: string | null;
  /** When the applicant was shown the JWT (once; ADR 0113). */
  revealed_at: NullableTimestamp;
  notices_opt_out_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface ProlongationsTable {
  id: string;
  habilitation_id: string;
  token_jti: string;
  status: string;
  contacts: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  requested_by: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  new_token_jti: string | null;
}

export interface MagicLinksTable {
  hash: string;
  jti: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface ExpiryNoticesTable {
  jti: string;
  days_before: number;
  sent_at: Timestamp;
  recipients: string[];
}

export interface VendorTemplatesTable {
  id: string;
  status: string;
  product: string;
  vendor_siret: string;
  vendor_name: string;
  software_name: string;
  contact_email: string;
  prefill: Json<Record<string, unknown>>;
  share_slug: string | null;
  created_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export type HabilitationTables = MailTables & {
  habilitations: HabilitationsTable;
  habilitation_events: HabilitationEventsTable;
  habilitation_tokens: HabilitationTokensTable;
  prolongations: ProlongationsTable;
  magic_links: MagicLinksTable;
  expiry_notices: ExpiryNoticesTable;
  vendor_templates: VendorTemplatesTable;
};

export type HabilitationDb = Kysely<Schema & HabilitationTables>;

/** The same handle, typed to see the habilitation tables too. */
export function withHabilitationTables(db: Kysely<Schema>): HabilitationDb {
  return db.withTables<HabilitationTables>();
}
