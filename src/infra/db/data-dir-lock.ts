/**
 * A pid lock file for the embedded database directory.
 *
 * PGlite does not lock its data directory: two processes that open it both succeed and the
 * directory ends corrupted (electric-sql/pglite#1106). The first process writes its pid to
 * `<dataDir>/pglite.lock`, created exclusively; the others see a live pid and stop. A lock left by a dead
 * process (crash, kill -9) is taken over.
 *
 * Limit: liveness is judged by pid alone. After a reboot or a container restart an unrelated
 * process may reuse the old pid, and the lock then looks held: delete the file by hand.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'pglite.lock';

/** Thrown when another live process holds the data directory. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  readonly pid: number;
  readonly lockFile: string;

  constructor(pid: number, lockFile: string) {
    super(
      `the database directory is in use by process ${pid} (lock file ${lockFile}); ` +
        'stop that process, or go through the running service',
    );
    this.name = 'DataDirLockedError';
    this.pid = pid;
    this.lockFile = lockFile;
  }
}

export interface DataDirLock {
  readonly lockFile: string;
  readonly pid: number;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

// Lock files held by this process. A lock file with our own pid that is not in this set was left
// by an earlier process that had the same pid (pid 1 in a restarted container): it is stale.
const heldHere = new Set<string>();

function readPid(lockFile: string): number | undefined {
  let content: string;
  try {
    content = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number.parseInt(content.trim(), 10);
  // An empty or garbled file (written by hand, disk full) counts as a dead holder: pid 0.
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

function isAlive(pid: number, lockFile: string): boolean {
  if (pid <= 0) return false;
  if (pid === process.pid) return heldHere.has(lockFile);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// The pid is written to a private file first, then linked into place: link(2) fails with EEXIST
// like O_EXCL, and the lock file is never seen empty or half written.
function tryCreate(lockFile: string): boolean {
  const draft = `${lockFile}.${process.pid}.new`;
  writeFileSync(draft, `${process.pid}\n`, { mode: 0o644 });
  try {
    linkSync(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

// Two processes may find the same stale lock at once. Unlinking it blindly could delete the lock
// the other one has just created, so the stale file is first renamed aside (atomic: only one
// rename wins) and checked: if what we moved is not the stale pid we read, it is a fresh lock and
// goes back where it was.
function removeStale(lockFile: string, stalePid: number): void {
  const aside = `${lockFile}.${process.pid}.stale`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readPid(aside) !== stalePid) {
    try {
      linkSync(aside, lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  unlinkSync(aside);
}

/**
 * Takes the lock on `dataDir` (created if missing) for this process.
 *
 * @throws {DataDirLockedError} when a live process holds it.
 * @example
 * const lock = acquireDataDirLock('./data');
 * try { ... } finally { lock.release(); }
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockFile)) {
      heldHere.add(lockFile);
      return {
        lockFile,
        pid: process.pid,
        release() {
          if (!heldHere.delete(lockFile)) return;
          if (readPid(lockFile) === process.pid) unlinkSync(lockFile);
        },
      };
    }
    const holder = readPid(lockFile);
    if (holder === undefined) continue; // released between our two calls
    if (isAlive(holder, lockFile)) throw new DataDirLockedError(holder, lockFile);
    removeStale(lockFile, holder);
  }
  throw new Error(`could not take the lock ${lockFile}: it keeps changing hands`);
}

/**
 * The pid of the live process holding `dataDir`, or undefined if none does. Lets the CLI decide
 * between opening the database itself and going through the running service.
 */
export function readLockHolder(dataDir: string): number | undefined {
  const lockFile = join(dataDir, LOCK_FILE_NAME);
  const pid = readPid(lockFile);
  return pid !== undefined && isAlive(pid, lockFile) ? pid : undefined;
}
