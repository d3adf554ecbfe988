/**
 * Portal sessions in the database (`portal_sessions`, migration 0003): the browser holds only a
 * signed, random id; what the session knows stays server-side and ends when its row is deleted
 * (sign-out) or expires. A session is created only when someone starts signing in, so anonymous
 * visits to public pages cost no write. docs/adr/0102-portal-sessions-and-csrf.md.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PortalTables } from '../portal-tables.ts';
import { userOfRow, type PortalUser } from '../users/portal-users.ts';

/** What a session carries besides its user. */
export interface SessionData {
  /** The sign-in in progress: OIDC state, nonce, PKCE verifier and where to go back. */
  oidc?: { state: string; nonce: string; verifier: string; returnTo: string };
  /** Kept for the identity provider's end-session call (`id_token_hint`). */
  idToken?: string;
}


export interface LoadedSession {
  id: string;
  data: SessionData;
  user: PortalUser | undefined;
}


function parseData(raw: unknown): SessionData {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return value !== null && typeof value === 'object' ? (value as SessionData) : {};
}

export class SessionStore {
  readonly #db: Kysely<PortalTables>;
  readonly #now: () => Date;
  readonly #ttlMs: number;

  constructor(options: { db: Kysely<PortalTables>; now: () => Date; ttlHours: number }) {
    this.#db = options.db;
    this.#now = options.now;
    this.#ttlMs = options.ttlHours * 3_600_000;
  }

  /** Stores a new session and returns its id (256 random bits). Expired sessions are purged on the way. */
  async create(data: SessionData, userSub: string | null = null): Promise<string> {
    const at = this.#now();
    const id = randomBytes(32).toString('base64url');
    await this.#db.deleteFrom('portal_sessions').where('expires_at', '<', at).execute();
    await this.#db
      .insertInto('portal_sessions')
      .values({ id, user_sub: userSub, data: JSON.stringify(data), created_at: at, expires_at: new Date(at.getTime() + this.#ttlMs) })
      .execute();
    return id;
  }

  /** The live session with this id and its user, or `undefined` (unknown or expired). */
  async load(id: string): Promise<LoadedSession | undefined> {
    const row = await this.#db
      .selectFrom('portal_sessions as s')
      .leftJoin('portal_users as u', 'u.sub', 's.user_sub')
      .select(['s.id', 's.data', 'u.sub', 'u.email', 'u.given_name', 'u.usual_name', 'u.siret', 'u.idp_id', 'u.roles'])
      .where('s.id', '=', id)
      .where('s.expires_at', '>', this.#now())
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const user =
      row.sub === null || row.email === null
        ? undefined
        : userOfRow({ sub: row.sub, email: row.email, given_name: row.given_name ?? '', usual_name: row.usual_name ?? '', siret: row.siret, idp_id: row.idp_id, roles: row.roles ?? [] });
    return { id: row.id, data: parseData(row.data), user };
  }

  async destroy(id: string): Promise<void> {
    await this.#db.deleteFrom('portal_sessions').where('id', '=', id).execute();
  }
}
