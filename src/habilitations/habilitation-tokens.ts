/**
 * Tokens issued for a habilitation (issue 5 §6–7, U20, U36): each is a real API token whose scopes,
 * modalities and FranceConnect client ids are exactly the snapshot's, linked to the habilitation in
 * `habilitation_tokens`, so ownership follows the habilitation and never a person.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, issueToken } from '../tokens/issue-token.ts';
import type { Keyring } from '../tokens/keyring.ts';
import { tokenState, type TokenRecord } from '../tokens/token-record.ts';
import { TokenRepository, isUuid } from '../tokens/token-repository.ts';
import type { Snapshot } from './snapshot.ts';
import type { HabilitationDb } from './tables.ts';

export type IssueReason = 'approval' | 'prolongation' | 'rotation';

/** Tokens whose expiry is this close get a "à renouveler" badge (the first notice's distance). */
export const RENEWAL_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

export interface HabilitationTokenView {
  jti: string;
  /** First 8 characters of the id: enough to recognise a token, never the secret. */
  prefix: string;
  habilitationId: string;
  name: string;
  scopes: string[];
  modalities: string[];
  fcClientIds: string[];
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  state: 'active' | 'expired' | 'revoked';
  reason: string;
  replacedBy: string | null;
  toRenew: boolean;
  noticesOptedOut: boolean;
  lastUsedAt: Date | null;
  /** The token's own limit in calls per second; null: the service default. */
  rateLimitPerSecond: number | null;
}

export function tokenRepositoryOf(db: HabilitationDb): TokenRepository {
  // TokenRepository only sees the `tokens` table, which this handle has too.
  return new TokenRepository(db as unknown as ConstructorParameters<typeof TokenRepository>[0]);
}

/** What a habilitation hands down to its tokens: the frozen grants and its current rate limit. */
export interface IssuingHabilitation {
  id: string;
  snapshot: Snapshot;
  /** Null: the service default (ADR 0117). */
  rateLimitPerSecond: number | null;
}

/** Issues the snapshot's token and links it; call inside the habilitation's transaction. */
export async function issueForHabilitation(
  db: HabilitationDb,
  habilitation: IssuingHabilitation,
  reason: IssueReason,
  deps: { keyring: Keyring; now: () => Date; expiresAt?: Date },
): Promise<{ token: string; record: TokenRecord }> {
  const { snapshot } = habilitation;
  const lifetime =
    deps.expiresAt === undefined ? DEFAULT_TOKEN_LIFETIME_SECONDS : Math.floor((deps.expiresAt.getTime() - deps.now().getTime()) / 1000);
  const issued = await issueToken(
    {
      name: `${snapshot.organisationName} – ${snapshot.title}`,
      owner: snapshot.siret,
      scopes: snapshot.scopes,
      modalities: snapshot.modalities,
      fcClientIds: snapshot.fcClientIds,
      expiresInSeconds: lifetime,
      ...(habilitation.rateLimitPerSecond === null ? {} : { rateLimitPerSecond: habilitation.rateLimitPerSecond }),
    },
    { repository: tokenRepositoryOf(db), keyring: deps.keyring, now: deps.now },
  );
  await db.insertInto('habilitation_tokens').values({ jti: issued.record.jti, habilitation_id: habilitation.id, reason, replaced_by: null }).execute();
  return issued;
}

/**
 * Gives the habilitation's new rate limit to its live tokens (not expired, not yet revoked — a
 * token in its rotation overlap included); call inside the habilitation's transaction. Returns
 * their ids. The gateway's cached verifications must then be dropped (ADR 0117).
 */
export async function setLiveTokensRateLimit(db: HabilitationDb, habilitationId: string, rateLimitPerSecond: number | null, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('tokens')
    .set({ rate_limit_per_second: rateLimitPerSecond })
    .where('jti', 'in', (eb) => eb.selectFrom('habilitation_tokens').select('jti').where('habilitation_id', '=', habilitationId))
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', now)]))
    .returning('jti')
    .execute();
  return rows.map((r) => r.jti).sort();
}

/** The tokens of a habilitation, newest first, with what the account page shows. */
export async function tokensOfHabilitation(db: HabilitationDb, habilitationId: string, now: Date): Promise<HabilitationTokenView[]> {
  if (!isUuid(habilitationId)) return [];
  const rows = await db
    .selectFrom('habilitation_tokens as h')
    .innerJoin('tokens as t', 't.jti', 'h.jti')
    .select(['t.jti', 't.name', 't.scopes', 't.modalities', 't.fc_client_ids', 't.created_at', 't.expires_at', 't.revoked_at', 't.kid', 't.uid', 't.owner', 't.rate_limit_per_second'])
    .select(['h.habilitation_id', 'h.reason', 'h.replaced_by', 'h.notices_opt_out_at'])
    .select((eb) =>
      eb.selectFrom('access_journal as j').whereRef('j.token_jti', '=', 't.jti').select(sql<Date | null>`max(j.at)`.as('m')).as('last_used_at'),
    )
    .where('h.habilitation_id', '=', habilitationId)
    .orderBy('h.seq', 'desc')
    .execute();
  return rows.map((row) => {
    const record = { revokedAt: row.revoked_at, expiresAt: row.expires_at } as TokenRecord;
    const state = tokenState(record, now);
    return {
      jti: row.jti,
      prefix: row.jti.slice(0, 8),
      habilitationId: row.habilitation_id,
      name: row.name,
      scopes: row.scopes,
      modalities: row.modalities,
      fcClientIds: row.fc_client_ids,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      state,
      reason: row.reason,
      replacedBy: row.replaced_by,
      toRenew: state === 'active' && row.replaced_by === null && row.expires_at.getTime() - now.getTime() <= RENEWAL_WINDOW_DAYS * DAY_MS,
      noticesOptedOut: row.notices_opt_out_at !== null,
      lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
      rateLimitPerSecond: row.rate_limit_per_second,
    };
  });
}

/** The habilitation a token belongs to, or undefined for a token issued outside habilitations. */
export async function habilitationOfToken(db: HabilitationDb, jti: string): Promise<string | undefined> {
  if (!isUuid(jti)) return undefined;
  return (await db.selectFrom('habilitation_tokens').select('habilitation_id').where('jti', '=', jti).executeTakeFirst())?.habilitation_id;
}

/**
 * The key of a token's "stop these reminders" link: an HMAC of its id under its own signing key,
 * so the link needs no stored secret and cannot be forged for another token (U14, ADR 0114).
 */
export function optOutKey(jti: string, kid: string, keyring: Keyring): string | undefined {
  const key = keyring.find(kid);
  if (key === undefined) return undefined;
  return createHmac('sha256', key).update(`expiry-notices-opt-out:${jti}`).digest('base64url');
}

export function optOutKeyMatches(given: string, expected: string | undefined): boolean {
  if (expected === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
