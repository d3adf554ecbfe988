/**
 * The daily statistics rollup (issue 6 §2, docs/adr/0093-statistics-rollups.md): one `stats_daily`
 * row per (day, token, route, status) with the call count, latency sum and maximum, and a latency
 * histogram. Days are French calendar days (Europe/Paris). Each run recomputes the recent days from
 * the journal in one transaction (delete then insert): running it twice, or on two instances at
 * once, gives the same table.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';
import { LATENCY_BUCKET_BOUNDS_MS } from './latency-buckets.ts';

/** Calendar of the statistics: the service's users count days in France. */
export const STATS_TIME_ZONE = 'Europe/Paris';

/** Serialises rollups across instances ("apip-sta"). */
const ROLLUP_LOCK_KEY = String(0x6170_6970_2d73_7461n);

export interface RollupReport {
  /** First day recomputed (YYYY-MM-DD), or null when the journal is empty. */
  fromDay: string | null;
  rows: number;
}

const bucketColumns = sql.join(
  [...LATENCY_BUCKET_BOUNDS_MS.map((bound) => sql`count(*) filter (where latency_ms < ${bound})`), sql`count(*)`],
  sql`, `,
);

/**
 * Recomputes from `recomputeDays` days before the last rolled-up day (the whole journal the first
 * time) up to now.
 *
 * @example
 * await rollupStats(db, { now: new Date() });
 */
export async function rollupStats(db: Kysely<Schema>, options: { now: Date; recomputeDays?: number }): Promise<RollupReport> {
  const back = options.recomputeDays ?? 2;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${ROLLUP_LOCK_KEY}::bigint)`.execute(trx);
    const { rows: start } = await sql<{ from_day: string | null }>`
      select to_char(coalesce(
        (select max(day) from stats_daily) - ${back}::int,
        (select min((at at time zone ${STATS_TIME_ZONE})::date) from access_journal)
      ), 'YYYY-MM-DD') as from_day`.execute(trx);
    const fromDay = start[0]?.from_day ?? null;
    if (fromDay === null) return { fromDay, rows: 0 };
    await sql`delete from stats_daily where day >= ${fromDay}::date`.execute(trx);
    const inserted = await sql`
      insert into stats_daily (day, token_jti, operation_id, route, status, calls, latency_sum_ms, latency_max_ms, latency_buckets)
      select (at at time zone ${STATS_TIME_ZONE})::date, token_jti, operation_id, route, status,
             count(*)::int, sum(latency_ms)::float8, max(latency_ms),
             array[${bucketColumns}]::int[]
      from access_journal
      where at >= (${fromDay}::date::timestamp at time zone ${STATS_TIME_ZONE})
        and at < ${options.now.toISOString()}::timestamptz
      group by 1, 2, 3, 4, 5`.execute(trx);
    return { fromDay, rows: Number(inserted.numAffectedRows ?? 0) };
  });
}
