/** Kysely type of `mail_outbox` (SQL in `migrations/0004-habilitations.ts`): every mail sent, for the portal. */
import type { ColumnType, Generated, Kysely } from 'kysely';

export interface MailOutboxTable {
  id: Generated<string>;
  at: ColumnType<Date, Date | string, Date | string>;
  /** `outbox` (embedded: kept here only) or `smtp` (also delivered). */
  transport: string;
  sender: string;
  recipients: string[];
  subject: string;
  body: string;
  message_id: string | null;
}

// A type alias, not an interface: Kysely's `withTables` needs an index-compatible record.
export type MailTables = {
  mail_outbox: MailOutboxTable;
};

/** A handle that sees only the outbox: the mailer never touches another table. */
export function outboxDb<DB extends MailTables>(db: Kysely<DB>): Kysely<MailTables> {
  // Kysely is invariant in its schema type; the outbox table is the same in both views.
  return db as unknown as Kysely<MailTables>;
}
