/**
 * Calls per month for the statistics pages (issue 6 §2, "appels par mois"), read from the daily
 * rollup (`stats_daily`, src/stats/rollup.ts) like every other figure of the pages: the journal is
 * never read by a page. French calendar months, as the rollup's days.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../infra/db/schema.ts';
import { STATS_TIME_ZONE } from '../../stats/rollup.ts';

export interface MonthCalls {
  /** `YYYY-MM`. */
  month: string;
  calls: number;
  successful: number;
  clientErrors: number;
  serverErrors: number;
}

/**
 * The last `months` months, this one included; only months that saw calls. `tokenJtis` narrows to
 * some tokens (an account page); without it, every call (the public page).
 *
 * @example
 * const rows = await monthlyCalls(db, { now: new Date(), months: 12 });
 */
export async function monthlyCalls(db: Kysely<Schema>, options: { now: Date; months?: number; tokenJtis?: readonly string[] }): Promise<MonthCalls[]> {
  const months = options.months ?? 12;
  if (options.tokenJtis !== undefined && options.tokenJtis.length === 0) return [];
  const tokens = options.tokenJtis === undefined ? sql`true` : sql`token_jti = any(${[...options.tokenJtis]}::uuid[])`;
  const { rows } = await sql<{ month: string; calls: string; ok: string; client: string; server: string }>`
    select to_char(date_trunc('month', day), 'YYYY-MM') as month, sum(calls) as calls,
           coalesce(sum(calls) filter (where status between 200 and 299), 0) as ok,
           coalesce(sum(calls) filter (where status between 400 and 499), 0) as client,
           coalesce(sum(calls) filter (where status >= 500), 0) as server
    from stats_daily
    where day >= (date_trunc('month', ${options.now.toISOString()}::timestamptz at time zone ${STATS_TIME_ZONE}) - ${`${months - 1} months`}::interval)::date
      and ${tokens}
    group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ month: r.month, calls: Number(r.calls), successful: Number(r.ok), clientErrors: Number(r.client), serverErrors: Number(r.server) }));
}
