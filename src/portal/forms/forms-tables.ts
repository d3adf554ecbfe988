/**
 * Kysely shapes of the forms' tables (SQL in migrations/0007-portal-forms.ts), owned by the portal
 * like portal-tables.ts. A type alias, so `Kysely<FormsTables>` accepts these records.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface NewsletterSubscriptionsTable {
  id: Generated<string>;
  /** Lower-cased. */
  email: string;
  /** `pending` until the link of the confirmation mail is followed, then `confirmed`. */
  status: string;
  /** SHA-256 of the single-use confirmation token; null once used. */
  confirm_token_hash: string | null;
  confirm_expires_at: Timestamp | null;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
}

export interface SecureTransfersTable {
  /** Random UUID, also the AES-GCM additional data. */
  id: string;
  /** Short reference given to the sender (no personal data). */
  reference: string;
  /** `v1.<nonce>.<tag>.<ciphertext>` of the JSON message (sealed-box.ts). */
  sealed: string;
  created_at: Timestamp;
  /** Deleted by the purge job from this instant. */
  purge_at: Timestamp;
  /** First reading by an operator (who: their portal `sub`). */
  read_at: Timestamp | null;
  read_by: string | null;
}

export type FormsTables = {
  newsletter_subscriptions: NewsletterSubscriptionsTable;
  secure_transfers: SecureTransfersTable;
};
