/**
 * Reads of the statistics rollup (issue 6 §2). Data only: the portal renders them (the account page
 * calls `tokenUsage` and `paperProofsAvoided` with the tokens of the signed-in account; the public
 * page calls `publicStats`, which names no token and no recipient). Figures lag the journal by at
 * most the rollup interval (`STATS_ROLLUP_INTERVAL_MINUTES`).
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';
import { addBuckets, LATENCY_BUCKET_BOUNDS_MS, percentileBound } from './latency-buckets.ts';
import { STATS_TIME_ZONE } from './rollup.ts';

/** "Two months of detail": the per-day series cover this many days, today included. */
export const DETAIL_DAYS = 61;
/** "Justificatifs papier évités" count the successful calls of this many days, today included. */
export const PAPER_PROOF_DAYS = 30;

export interface TokenDayUsage {
  /** YYYY-MM-DD, French calendar. */
  day: string;
  tokenJti: string;
  operationId: string;
  status: number;
  calls: number;
  latencyAvgMs: number;
}

/** First day (YYYY-MM-DD) of a window of `days` days ending today (French calendar). */
const windowStart = (now: Date, days: number) =>
  sql`((${now.toISOString()}::timestamptz at time zone ${STATS_TIME_ZONE})::date - ${days - 1}::int)`;

/**
 * Per token, per day, per route and status, over the last two months: what an account page shows.
 *
 * @example
 * const rows = await tokenUsage(db, { tokenJtis: account.tokens.map((t) => t.jti), now: new Date() });
 */
export async function tokenUsage(db: Kysely<Schema>, options: { tokenJtis: readonly string[]; now: Date; days?: number }): Promise<TokenDayUsage[]> {
  if (options.tokenJtis.length === 0) return [];
  const { rows } = await sql<{ day: string; token_jti: string; operation_id: string; status: number; calls: string; latency_sum_ms: number }>`
    select to_char(day, 'YYYY-MM-DD') as day, token_jti, operation_id, status, sum(calls) as calls, sum(latency_sum_ms) as latency_sum_ms
    from stats_daily
    where token_jti = any(${[...options.tokenJtis]}::uuid[]) and day >= ${windowStart(options.now, options.days ?? DETAIL_DAYS)}
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4`.execute(db);
  return rows.map((r) => ({
    day: r.day,
    tokenJti: r.token_jti,
    operationId: r.operation_id,
    status: Number(r.status),
    calls: Number(r.calls),
    latencyAvgMs: Number(r.latency_sum_ms) / Number(r.calls),
  }));
}

/**
 * "Justificatifs papier évités": successful (2xx) calls over the last 30 days, of some tokens or of all.
 *
 * @example
 * const avoided = await paperProofsAvoided(db, { now: new Date() });
 */
export async function paperProofsAvoided(db: Kysely<Schema>, options: { now: Date; tokenJtis?: readonly string[] }): Promise<number> {
  const tokens = options.tokenJtis === undefined ? sql`true` : sql`token_jti = any(${[...options.tokenJtis]}::uuid[])`;
  const { rows } = await sql<{ calls: string | null }>`
    select sum(calls) as calls from stats_daily
    where status between 200 and 299 and day >= ${windowStart(options.now, PAPER_PROOF_DAYS)} and ${tokens}`.execute(db);
  return Number(rows[0]?.calls ?? 0);
}

export interface PublicStats {
  generatedAt: string;
  paperProofsAvoided: { days: number; calls: number };
  /** One entry per day of the last two months that saw calls. */
  daily: Array<{ day: string; calls: number; successful: number; clientErrors: number; serverErrors: number }>;
  /** Per route over the last 30 days. */
  operations: Array<{ operationId: string; route: string; calls: number; successful: number; latencyAvgMs: number; latencyP95BoundMs: number | null }>;
  latencyBucketBoundsMs: readonly number[];
}

/**
 * The public figures of `/stats`: aggregates only, never a token id or a recipient.
 *
 * @example
 * const figures = await publicStats(db, new Date());
 */
export async function publicStats(db: Kysely<Schema>, now: Date): Promise<PublicStats> {
  const { rows: daily } = await sql<{ day: string; calls: string; ok: string; client: string; server: string }>`
    select to_char(day, 'YYYY-MM-DD') as day, sum(calls) as calls,
           coalesce(sum(calls) filter (where status between 200 and 299), 0) as ok,
           coalesce(sum(calls) filter (where status between 400 and 499), 0) as client,
           coalesce(sum(calls) filter (where status >= 500), 0) as server
    from stats_daily where day >= ${windowStart(now, DETAIL_DAYS)}
    group by 1 order by 1`.execute(db);
  const { rows: perOperation } = await sql<{ operation_id: string; route: string; status: number; calls: number; latency_sum_ms: number; latency_buckets: number[] }>`
    select operation_id, route, status, calls, latency_sum_ms, latency_buckets
    from stats_daily where day >= ${windowStart(now, PAPER_PROOF_DAYS)}`.execute(db);

  const operations = new Map<string, { route: string; calls: number; successful: number; latencySum: number; buckets: number[] }>();
  for (const row of perOperation) {
    const entry = operations.get(row.operation_id) ?? { route: row.route, calls: 0, successful: 0, latencySum: 0, buckets: [] };
    entry.calls += Number(row.calls);
    if (row.status >= 200 && row.status < 300) entry.successful += Number(row.calls);
    entry.latencySum += Number(row.latency_sum_ms);
    addBuckets(entry.buckets, row.latency_buckets.map(Number));
    operations.set(row.operation_id, entry);
  }
  return {
    generatedAt: now.toISOString(),
    paperProofsAvoided: { days: PAPER_PROOF_DAYS, calls: await paperProofsAvoided(db, { now }) },
    daily: daily.map((d) => ({ day: d.day, calls: Number(d.calls), successful: Number(d.ok), clientErrors: Number(d.client), serverErrors: Number(d.server) })),
    operations: [...operations]
      .map(([operationId, e]) => ({
        operationId,
        route: e.route,
        calls: e.calls,
        successful: e.successful,
        latencyAvgMs: Math.round((e.latencySum / e.calls) * 10) / 10,
        latencyP95BoundMs: percentileBound(e.buckets, 0.95),
      }))
      .sort((a, b) => b.calls - a.calls || a.operationId.localeCompare(b.operationId)),
    latencyBucketBoundsMs: LATENCY_BUCKET_BOUNDS_MS,
  };
}
