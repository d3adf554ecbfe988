/**
 * Which tokens' statistics a signed-in agent sees on `/compte/statistiques`
 * (docs/adr/0151-account-statistics-ownership.md): the tokens of every habilitation the agent may see
 * — the same rule as the habilitation pages (`HabilitationService.listFor`: created by them, or of
 * their organisation's SIRET) — plus tokens made by hand (CLI, no habilitation) whose `owner` is
 * exactly their organisation's SIRET. Never a token value: ids, names and 8-character prefixes only.
 */
import { sql } from 'kysely';
import type { Habilitations } from '../../habilitations/habilitations.ts';
import { tokenState, type TokenRecord, type TokenState } from '../../tokens/token-record.ts';
import { applicantOf } from '../habilitations/portal-actors.ts';
import type { PortalUser } from '../users/portal-users.ts';

export interface AccountToken {
  jti: string;
  /** First 8 characters of the id, as the habilitation pages show it. */
  prefix: string;
  name: string;
  habilitationId: string | null;
  state: TokenState;
}

const SIRET = /^\d{14}$/;

/**
 * The agent's tokens, newest first.
 *
 * @example
 * const tokens = await accountTokens(habilitations, request.portalSession.user, new Date());
 */
export async function accountTokens(habilitations: Habilitations, user: PortalUser, now: Date): Promise<AccountToken[]> {
  const visible = await habilitations.service.listFor(applicantOf(user));
  const ids = visible.map((h) => h.id);
  const siret = user.siret !== undefined && SIRET.test(user.siret) ? user.siret : undefined;
  if (ids.length === 0 && siret === undefined) return [];
  const db = habilitations.db;
  const linked = ids.length === 0 ? sql<boolean>`false` : sql<boolean>`ht.habilitation_id = any(${ids}::uuid[])`;
  const handMade = siret === undefined ? sql<boolean>`false` : sql<boolean>`(ht.jti is null and t.owner = ${siret})`;
  const rows = await db
    .selectFrom('tokens as t')
    .leftJoin('habilitation_tokens as ht', 'ht.jti', 't.jti')
    .select(['t.jti', 't.name', 't.expires_at', 't.revoked_at', 't.created_at', 'ht.habilitation_id'])
    .where(sql<boolean>`(${linked} or ${handMade})`)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.jti')
    .execute();
  return rows.map((r) => ({
    jti: r.jti,
    prefix: r.jti.slice(0, 8),
    name: r.name,
    habilitationId: r.habilitation_id ?? null,
    state: tokenState({ revokedAt: r.revoked_at, expiresAt: r.expires_at } as TokenRecord, now),
  }));
}
