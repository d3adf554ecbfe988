/**
 * The service's scheduled jobs and their scheduler, built from the config (docs/adr/0094-scheduled-jobs-and-leader.md):
 * journal retention, the statistics rollup and the purge of expired sandbox explorer tokens
 * (docs/adr/0163-explorer-token-purge.md), run by the leader only.
 */
import type { Config } from '../config/config.ts';
import type { Database } from '../infra/db/open-database.ts';
import { enforceRetention } from '../journal/retention.ts';
import { rollupStats } from '../stats/rollup.ts';
import { explorerTokenPurgeJob } from '../tokens/purge-explorer-tokens.ts';
import { AdvisoryLockLeadership, soleLeader } from './leadership.ts';
import { Scheduler, type Job, type SchedulerOptions } from './scheduler.ts';

const MINUTE_MS = 60_000;

/** The jobs every deployment runs. */
export function serviceJobs(database: Database, config: Pick<Config, 'journal' | 'jobs'>): Job[] {
  return [
    {
      name: 'journal-retention',
      everyMs: config.jobs.retentionIntervalMinutes * MINUTE_MS,
      run: (now) => enforceRetention(database.db, { retentionDays: config.journal.retentionDays, now }),
    },
    {
      name: 'stats-rollup',
      everyMs: config.jobs.statsRollupIntervalMinutes * MINUTE_MS,
      run: (now) => rollupStats(database.db, { now }),
    },
    // In every mode: a database that ran in sandbox mode may later serve in live mode.
    explorerTokenPurgeJob(database.db),
  ];
}

/**
 * @example
 * const scheduler = createServiceScheduler(database, config, { now, onRun: (e) => log.info(e) });
 * if (config.jobs.enabled) scheduler.start();
 */
export function createServiceScheduler(
  database: Database,
  config: Pick<Config, 'journal' | 'jobs'>,
  options: { now: () => Date; onRun?: SchedulerOptions['onRun']; extraJobs?: readonly Job[] },
): Scheduler {
  return new Scheduler({
    jobs: [...serviceJobs(database, config), ...(options.extraJobs ?? [])],
    // PGlite is opened by one process only (its directory lock): that process leads.
    leadership: database.engine === 'postgres' ? new AdvisoryLockLeadership(database.db) : soleLeader,
    now: options.now,
    tickMs: config.jobs.tickSeconds * 1000,
    onRun: options.onRun,
  });
}

/** One log line per job run: its name, duration and report (counts and dates, never a journal row). */
export function logJobRun(log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }, event: Parameters<NonNullable<SchedulerOptions['onRun']>>[0]): void {
  if (event.ok) log.info({ job: event.job, ms: Math.round(event.ms), result: event.result }, 'scheduled job done');
  else log.error({ job: event.job, ms: Math.round(event.ms), err: event.error }, 'scheduled job failed');
}
