/**
 * Kysely shapes of the portal's tables (the SQL lives in migrations/0003-portal-sessions.ts). Kept
 * here rather than in the shared schema so the portal owns them; the portal's store classes take a
 * `Kysely<PortalTables>` view of the shared database.
 */

export interface PortalUsersTable {
  sub: string;
  email: string;
  given_name: string;
  usual_name: string;
  siret: string | null;
  idp_id: string | null;
  roles: string[];
  created_at: Date;
  last_sign_in_at: Date;
}

export interface PortalSessionsTable {
  id: string;
  user_sub: string | null;
  /** JSON of `SessionData` (session-store.ts). */
  data: unknown;
  created_at: Date;
  expires_at: Date;
}

export interface PortalTables {
  portal_users: PortalUsersTable;
  portal_sessions: PortalSessionsTable;
}
