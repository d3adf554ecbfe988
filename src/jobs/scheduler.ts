/**
 * The in-process scheduler (DESIGN §5, docs/adr/0094-scheduled-jobs-and-leader.md). Every instance
 * ticks; at each tick it asks the leadership whether it is the leader, and only the leader runs the
 * jobs that are due by the injected clock. Jobs must be idempotent: after a failover the new leader
 * runs each job at once, whatever the old leader did just before dying.
 */
import type { Leadership } from './leadership.ts';

export interface Job {
  /** Short name for logs. */
  name: string;
  /** Run when at least this long has passed (by the scheduler's clock) since the last run started. */
  everyMs: number;
  run(now: Date): Promise<unknown>;
}

export interface SchedulerOptions {
  jobs: readonly Job[];
  leadership: Leadership;
  now: () => Date;
  /** How often the scheduler wakes up (default 30 s). */
  tickMs?: number;
  /** After each job: its result, or the error it threw. Jobs never stop the scheduler. */
  onRun?: (event: { job: string; ok: true; result: unknown; ms: number } | { job: string; ok: false; error: unknown; ms: number }) => void;
}

/**
 * @example
 * const scheduler = new Scheduler({ jobs: [retentionJob], leadership, now: () => new Date() });
 * scheduler.start();
 * // …
 * await scheduler.stop();
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #lastRun = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /**
   * Ticks every `tickMs` (the first time `tickMs` after start: a booting instance serves first),
   * until `stop()`. The timer does not keep the process alive.
   */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    const tickMs = this.#options.tickMs ?? 30_000;
    const loop = (): void => {
      void this.tick().finally(() => {
        if (this.#stopped) return;
        this.#timer = setTimeout(loop, tickMs);
        this.#timer.unref();
      });
    };
    this.#timer = setTimeout(loop, tickMs);
    this.#timer.unref();
  }

  /** One round: if leader, runs every due job in turn. Resolves when they are done; never rejects. */
  tick(): Promise<void> {
    this.#ticking ??= this.#round().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  /** Stops ticking, waits for the running round, and gives the leadership up. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    await this.#options.leadership.release();
  }

  async #round(): Promise<void> {
    if (this.#stopped || !(await this.#options.leadership.check())) return;
    for (const job of this.#options.jobs) {
      if (this.#stopped) return;
      const now = this.#options.now();
      const last = this.#lastRun.get(job.name);
      if (last !== undefined && now.getTime() - last < job.everyMs) continue;
      this.#lastRun.set(job.name, now.getTime());
      const started = performance.now();
      try {
        const result = await job.run(now);
        this.#options.onRun?.({ job: job.name, ok: true, result, ms: performance.now() - started });
      } catch (error) {
        this.#options.onRun?.({ job: job.name, ok: false, error, ms: performance.now() - started });
      }
    }
  }
}
