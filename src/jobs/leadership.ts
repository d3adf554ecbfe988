/**
 * Who runs the scheduled jobs (DESIGN §5, docs/adr/0094-scheduled-jobs-and-leader.md). On
 * PostgreSQL, several instances share the database and only one must run them: the leader is the
 * instance holding a session-level `pg_try_advisory_lock` on a connection it keeps for that purpose.
 * If the leader dies (even `kill -9`), PostgreSQL closes its session, releases the lock, and another
 * instance takes it at its next tick. The embedded PGlite has one process (its directory lock): that
 * process is always the leader.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';

/** Advisory lock key of the jobs leader ("apip-job" in ASCII): any bigint, fixed for every instance. */
export const LEADER_LOCK_KEY = 0x6170_6970_2d6a_6f62n;

export interface Leadership {
  /** Whether this instance is the leader now; tries to become it when it is not. Never throws. */
  check(): Promise<boolean>;
  /** Gives the leadership up (releases the lock and its connection). */
  release(): Promise<void>;
}

/** The single embedded process is always the leader. */
export const soleLeader: Leadership = {
  check: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};

interface HeldConnection {
  db: Kysely<Schema>;
  /** Ends the callback that holds the pooled connection. */
  letGo: () => void;
  /** Settles once the connection is back in the pool. */
  done: Promise<void>;
}

/**
 * A leadership over PostgreSQL: one pooled connection is kept aside, on which the session lock is
 * tried at each check while not leader, and probed while leader (a lost connection means a lost lock).
 *
 * @example
 * const leadership = new AdvisoryLockLeadership(database.db);
 * if (await leadership.check()) await runJobs();
 */
export class AdvisoryLockLeadership implements Leadership {
  readonly #db: Kysely<Schema>;
  readonly #key: bigint;
  #held: HeldConnection | undefined;
  #leader = false;

  constructor(db: Kysely<Schema>, key: bigint = LEADER_LOCK_KEY) {
    this.#db = db;
    this.#key = key;
  }

  async check(): Promise<boolean> {
    try {
      const held = await this.#connection();
      if (this.#leader) {
        await sql`select 1`.execute(held.db);
        return true;
      }
      const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${String(this.#key)}::bigint) as ok`.execute(held.db);
      this.#leader = rows[0]?.ok === true;
      return this.#leader;
    } catch {
      // The kept connection failed: with it went the lock, if we had it. Start afresh next time.
      await this.#drop();
      return false;
    }
  }

  async release(): Promise<void> {
    const held = this.#held;
    if (held === undefined) return;
    if (this.#leader) await sql`select pg_advisory_unlock(${String(this.#key)}::bigint)`.execute(held.db).catch(() => undefined);
    await this.#drop();
  }

  async #drop(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    this.#leader = false;
    if (held === undefined) return;
    held.letGo();
    await held.done.catch(() => undefined);
  }

  /** Borrows one pool connection until `#drop()`: `connection().execute()` keeps it while its callback runs. */
  async #connection(): Promise<HeldConnection> {
    if (this.#held !== undefined) return this.#held;
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    let borrowed!: (db: Kysely<Schema>) => void;
    const gotConnection = new Promise<Kysely<Schema>>((resolve) => (borrowed = resolve));
    const done = this.#db.connection().execute(async (connection) => {
      borrowed(connection);
      await released;
    });
    const db = await Promise.race([
      gotConnection,
      done.then(() => Promise.reject(new Error('the leadership connection ended before use'))),
    ]);
    this.#held = { db, letGo, done };
    return this.#held;
  }
}
