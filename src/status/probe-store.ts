/** Probe results in SQL (migration 0006): one row per probe, 90 days of history. Same SQL on PGlite and PostgreSQL. */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';

export const PROBE_HISTORY_DAYS = 90;

export interface ProbeResult {
  provider: string;
  at: Date;
  ok: boolean;
  latencyMs: number;
  errorCode: string | null;
}

export interface DailyUptime {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  probes: number;
  /** Share of successful probes that day, 0–1. */
  uptime: number;
}

export class ProbeStore {
  readonly #db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async record(results: readonly ProbeResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.#db
      .insertInto('status_probes')
      .values(results.map((r) => ({ provider: r.provider, at: r.at, ok: r.ok, latency_ms: r.latencyMs, error_code: r.errorCode })))
      .execute();
  }

  /** The latest probe of every provider. */
  async latest(): Promise<Map<string, ProbeResult>> {
    const rows = await this.#db
      .selectFrom('status_probes')
      .distinctOn('provider')
      .select(['provider', 'at', 'ok', 'latency_ms', 'error_code'])
      .orderBy('provider')
      .orderBy('at', 'desc')
      .execute();
    return new Map(rows.map((r) => [r.provider, { provider: r.provider, at: r.at, ok: r.ok, latencyMs: r.latency_ms, errorCode: r.error_code }]));
  }

  /** Per provider, the share of successful probes over the last 90 days, and per day. */
  async uptime(now: Date): Promise<Map<string, { overall: number | null; days: DailyUptime[] }>> {
    const since = new Date(now.getTime() - PROBE_HISTORY_DAYS * 86_400_000);
    const rows = await sql<{ provider: string; day: string; probes: string; ok: string }>`
      select provider, to_char(at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as probes, count(*) filter (where ok) as ok
      from status_probes where at > ${since}
      group by provider, day order by provider, day`.execute(this.#db);
    const out = new Map<string, { overall: number | null; days: DailyUptime[]; probes: number; ok: number }>();
    for (const row of rows.rows) {
      const entry = out.get(row.provider) ?? { overall: null, days: [], probes: 0, ok: 0 };
      const probes = Number(row.probes);
      const ok = Number(row.ok);
      entry.days.push({ day: row.day, probes, uptime: ok / probes });
      entry.probes += probes;
      entry.ok += ok;
      entry.overall = entry.ok / entry.probes;
      out.set(row.provider, entry);
    }
    return new Map([...out].map(([provider, e]) => [provider, { overall: e.overall, days: e.days }]));
  }

  /** Drops probes older than the history; returns how many. */
  async purge(now: Date): Promise<number> {
    const result = await this.#db
      .deleteFrom('status_probes')
      .where('at', '<=', new Date(now.getTime() - PROBE_HISTORY_DAYS * 86_400_000))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
