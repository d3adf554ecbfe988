/**
 * The secure transfer inbox (issue 7 item 4): messages are sealed with AES-256-GCM before they reach
 * the database, opened only for operators, and deleted by {@link purgeSecureTransfers} once their
 * retention is over. Nothing but dates, a reference and the ciphertext is stored in clear.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../infra/db/open-database.ts';
import type { FormsTables } from './forms-tables.ts';
import { open, seal } from './sealed-box.ts';

/** What a sender writes. */
export interface SecureMessage {
  name: string;
  email: string;
  organisation: string;
  subject: string;
  message: string;
}

export interface InboxEntry {
  id: string;
  reference: string;
  createdAt: Date;
  purgeAt: Date;
  readAt: Date | null;
  message: SecureMessage;
}

const DAY_MS = 86_400_000;

export class SecureTransfers {
  readonly #db: Kysely<FormsTables>;
  readonly #key: Buffer;
  readonly #retentionDays: number;
  readonly #now: () => Date;

  constructor(db: Kysely<FormsTables>, options: { key: Buffer; retentionDays: number; now: () => Date }) {
    this.#db = db;
    this.#key = options.key;
    this.#retentionDays = options.retentionDays;
    this.#now = options.now;
  }

  get retentionDays(): number {
    return this.#retentionDays;
  }

  /** Seals and stores a message; returns the reference given to the sender. */
  async submit(message: SecureMessage): Promise<string> {
    const id = randomUUID();
    // 10 characters of an unambiguous alphabet: enough to quote on the phone, not a sequence.
    const reference = `TS-${[...randomBytes(8)].map((b) => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[b % 31]).join('')}`;
    const now = this.#now();
    await this.#db
      .insertInto('secure_transfers')
      .values({ id, reference, sealed: seal(this.#key, JSON.stringify(message), id), created_at: now, purge_at: new Date(now.getTime() + this.#retentionDays * DAY_MS), read_at: null, read_by: null })
      .execute();
    return reference;
  }

  /** Every message not yet purged, newest first, opened. */
  async list(): Promise<InboxEntry[]> {
    const rows = await this.#db.selectFrom('secure_transfers').selectAll().where('purge_at', '>', this.#now()).orderBy('created_at', 'desc').limit(500).execute();
    return rows.map((r) => this.#entry(r));
  }

  /** One message, opened, and its first reading recorded (who and when). */
  async read(id: string, operatorSub: string): Promise<InboxEntry | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const row = await this.#db.selectFrom('secure_transfers').selectAll().where('id', '=', id).where('purge_at', '>', this.#now()).executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.read_at === null) {
      const at = this.#now();
      await this.#db.updateTable('secure_transfers').set({ read_at: at, read_by: operatorSub }).where('id', '=', id).where('read_at', 'is', null).execute();
      row.read_at = at;
    }
    return this.#entry(row);
  }

  async delete(id: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return false;
    const result = await this.#db.deleteFrom('secure_transfers').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  #entry(row: { id: string; reference: string; sealed: string; created_at: Date | string; purge_at: Date | string; read_at: Date | string | null }): InboxEntry {
    return {
      id: row.id,
      reference: row.reference,
      createdAt: new Date(row.created_at),
      purgeAt: new Date(row.purge_at),
      readAt: row.read_at === null ? null : new Date(row.read_at),
      message: JSON.parse(open(this.#key, row.sealed, row.id)) as SecureMessage,
    };
  }
}

/**
 * The purge job: deletes every message whose retention is over. A plain function for the scheduler
 * (src/jobs/): `{ name: 'secure-transfer-purge', everyMs: 3_600_000, run: (now) => purgeSecureTransfers(db, { now }) }`.
 */
export async function purgeSecureTransfers(db: Kysely<FormsTables>, options: { now: Date }): Promise<{ purged: number }> {
  const result = await db.deleteFrom('secure_transfers').where('purge_at', '<=', options.now).executeTakeFirst();
  return { purged: Number(result.numDeletedRows) };
}

/** The purge as a scheduler job (src/jobs/scheduler.ts), hourly, on the leader instance only. */
export function secureTransferPurgeJob(database: Database): { name: string; everyMs: number; run: (now: Date) => Promise<{ purged: number }> } {
  // The forms' tables are declared in forms-tables.ts, not in the shared schema.
  const db = database.db as unknown as Kysely<FormsTables>;
  return { name: 'secure-transfer-purge', everyMs: 3_600_000, run: (now) => purgeSecureTransfers(db, { now }) };
}
