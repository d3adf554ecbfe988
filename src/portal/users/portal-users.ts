/**
 * `portal_users`: one row per agent who signed in, keyed by the OIDC `sub` (migration 0003). The
 * claims are refreshed at each sign-in; roles granted by configuration are added, never removed
 * here (a role granted by another means, e.g. an administrator, survives a sign-in).
 */
import type { Kysely } from 'kysely';
import type { PortalTables, PortalUsersTable } from '../portal-tables.ts';
import { isRole, type Role } from './roles.ts';


/** A signed-in agent as the portal sees them. */
export interface PortalUser {
  sub: string;
  email: string;
  givenName: string;
  usualName: string;
  siret: string | undefined;
  idpId: string | undefined;
  roles: Role[];
}

/** ProConnect-shaped claims, already checked to be strings. */
export interface AgentClaims {
  sub: string;
  email: string;
  given_name: string;
  usual_name: string;
  siret: string | undefined;
  idp_id: string | undefined;
}

export function userOfRow(row: Pick<PortalUsersTable, 'sub' | 'email' | 'given_name' | 'usual_name' | 'siret' | 'idp_id' | 'roles'>): PortalUser {
  return {
    sub: row.sub,
    email: row.email,
    givenName: row.given_name,
    usualName: row.usual_name,
    siret: row.siret ?? undefined,
    idpId: row.idp_id ?? undefined,
    roles: row.roles.filter(isRole),
  };
}

export class PortalUsers {
  readonly #db: Kysely<PortalTables>;
  readonly #now: () => Date;

  constructor(db: Kysely<PortalTables>, now: () => Date) {
    this.#db = db;
    this.#now = now;
  }

  /** Creates or refreshes the agent from their claims and adds `grantedRoles`; returns the stored user. */
  async signedIn(claims: AgentClaims, grantedRoles: readonly Role[]): Promise<PortalUser> {
    const at = this.#now();
    return this.#db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('portal_users').select('roles').where('sub', '=', claims.sub).forUpdate().executeTakeFirst();
      const roles = [...new Set([...(existing?.roles ?? []), ...grantedRoles])];
      const values = { email: claims.email, given_name: claims.given_name, usual_name: claims.usual_name, siret: claims.siret ?? null, idp_id: claims.idp_id ?? null, roles, last_sign_in_at: at };
      const row = await trx
        .insertInto('portal_users')
        .values({ sub: claims.sub, created_at: at, ...values })
        .onConflict((oc) => oc.column('sub').doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      return userOfRow(row);
    });
  }

  async find(sub: string): Promise<PortalUser | undefined> {
    const row = await this.#db.selectFrom('portal_users').selectAll().where('sub', '=', sub).executeTakeFirst();
    return row === undefined ? undefined : userOfRow(row);
  }
}
