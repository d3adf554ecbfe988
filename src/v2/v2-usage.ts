/**
 * Who still calls v2 (issue 8 §3): per token, the number of v2 calls and the last one over a period,
 * read from the access journal — every v2 call is journaled with its v2 path in `route` — so
 * operators know whom to help migrate. Uses only the journal's original columns (migration 0001).
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';

/** The path prefix of every v2 data route. */
export const V2_ROUTE_PREFIX = '/api/v2/';

export interface V2UsageRow {
  /** The token (`jti`); null for calls no token could be attributed to (401). */
  tokenJti: string | null;
  /** The token's name when it is known. */
  tokenName: string | null;
  calls: number;
  lastCallAt: Date;
  /** The v2 paths called, sorted. */
  routes: string[];
}

export interface V2UsagePeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * v2 use per token over `[from, to)`, most calls first.
 * @example
 * const rows = await v2Usage(db, { from: new Date('2026-11-01'), to: new Date('2026-12-01') });
 * // [{ tokenJti: '8d1f…', tokenName: 'Mairie de Lyon', calls: 412, lastCallAt: 2026-11-23T…, routes: ['/api/v2/complementaire-sante-solidaire'] }]
 */
export async function v2Usage(db: Kysely<Schema>, period: V2UsagePeriod): Promise<V2UsageRow[]> {
  const rows = await db
    .selectFrom('access_journal as j')
    .leftJoin('tokens as t', 't.jti', 'j.token_jti')
    .select([
      'j.token_jti',
      sql<string | null>`max(t.name)`.as('token_name'),
      sql<string>`count(*)`.as('calls'),
      sql<Date | string>`max(j.at)`.as('last_call_at'),
      sql<string[]>`array_agg(distinct j.route order by j.route)`.as('routes'),
    ])
    .where('j.route', 'like', `${V2_ROUTE_PREFIX}%`)
    .where('j.at', '>=', period.from)
    .where('j.at', '<', period.to)
    .groupBy('j.token_jti')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('j.token_jti')
    .execute();
  return rows.map((r) => ({
    tokenJti: r.token_jti,
    tokenName: r.token_name,
    calls: Number(r.calls),
    lastCallAt: new Date(r.last_call_at),
    routes: r.routes,
  }));
}
