/** Token rows in SQL; identical on PGlite and PostgreSQL (tested on both). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Schema, TokensTable } from '../infra/db/schema.ts';
import type { Modality } from '../core/endpoint.ts';
import type { TokenRecord } from './token-record.ts';

/** The habilitation a token belongs to (migration 0004's link table), read with the token. */
const habilitationOf = sql<string | null>`(select ht.habilitation_id::text from habilitation_tokens ht where ht.jti = tokens.jti)`.as('habilitation_id');

function toRecord(row: Selectable<TokensTable> & { habilitation_id?: string | null }): TokenRecord {
  return {
    jti: row.jti,
    uid: row.uid,
    name: row.name,
    owner: row.owner,
    scopes: row.scopes,
    modalities: row.modalities as Modality[],
    fcClientIds: row.fc_client_ids,
    kid: row.kid,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rateLimitPerSecond: row.rate_limit_per_second,
    habilitationId: row.habilitation_id ?? null,
  };
}

/**
 * What a token is for: `api` for the tokens integrators and operators hold, `explorer` for the sandbox
 * explorer's short-lived ones, which `purgeExplorerTokens` deletes a day after they expire
 * (docs/adr/0163-explorer-token-purge.md). Only the code that issues a token sets it, never a caller's input.
 */
export type TokenPurpose = 'api' | 'explorer';

export class TokenRepository {
  readonly #db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async insert(record: TokenRecord, purpose: TokenPurpose = 'api'): Promise<void> {
    await this.#db
      .insertInto('tokens')
      .values({
        jti: record.jti,
        uid: record.uid,
        name: record.name,
        owner: record.owner,
        scopes: record.scopes,
        modalities: record.modalities,
        fc_client_ids: record.fcClientIds,
        kid: record.kid,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
        revoked_at: record.revokedAt,
        rate_limit_per_second: record.rateLimitPerSecond,
        purpose,
      })
      .execute();
  }

  async findByJti(jti: string): Promise<TokenRecord | undefined> {
    if (!isUuid(jti)) return undefined; // a malformed id is simply unknown, never a SQL error
    const row = await this.#db.selectFrom('tokens').selectAll().select(habilitationOf).where('jti', '=', jti).executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }

  /** `findByJti` for several ids in one query: the records by the ids as given; unknown and malformed ids are absent. */
  async findByJtis(jtis: readonly string[]): Promise<Map<string, TokenRecord>> {
    const valid = jtis.filter(isUuid);
    const found = new Map<string, TokenRecord>();
    if (valid.length === 0) return found;
    const rows = await this.#db.selectFrom('tokens').selectAll().select(habilitationOf).where('jti', 'in', valid).execute();
    // A uuid matches whatever the case of its hex digits, as in findByJti; the column gives it lower-case.
    const byId = new Map(rows.map((row) => [row.jti.toLowerCase(), row]));
    for (const jti of valid) {
      const row = byId.get(jti.toLowerCase());
      if (row !== undefined) found.set(jti, toRecord(row));
    }
    return found;
  }

  /** Active records that registered this FranceConnect client id (CONTRACT §5, DESIGN §2.7). */
  async findByFranceConnectClientId(clientId: string, now: Date): Promise<TokenRecord[]> {
    const rows = await this.#db
      .selectFrom('tokens')
      .selectAll()
      .select(habilitationOf)
      .where((eb) => eb(eb.val(clientId), '=', eb.fn.any('fc_client_ids')))
      .where('expires_at', '>', now)
      .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  async list(): Promise<TokenRecord[]> {
    const rows = await this.#db.selectFrom('tokens').selectAll().select(habilitationOf).orderBy('created_at', 'asc').orderBy('jti').execute();
    return rows.map(toRecord);
  }

  /** Sets the revocation instant; keeps an earlier one. Returns the record, or undefined when unknown. */
  async revoke(jti: string, at: Date): Promise<TokenRecord | undefined> {
    if (!isUuid(jti)) return undefined;
    const row = await this.#db
      .updateTable('tokens')
      // LEAST ignores NULL: a first revocation sets the date, a later one never postpones it.
      .set({ revoked_at: sql<Date>`least(revoked_at, ${at})` })
      .where('jti', '=', jti)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
