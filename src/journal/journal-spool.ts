/**
 * The embedded journal's spool (docs/adr/0171-embedded-journal-spool.md): append-only files of
 * chained journal rows, one JSON object per line, in `<dataDir>/journal-spool/`. A row is in the
 * spool before its call's answer leaves; the writer then moves rows into `access_journal` in large
 * batches, and at start-up whatever a stopped or killed process left here is replayed into the table.
 */
import { closeSync, fdatasyncSync, lstatSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../infra/db/open-database.ts';
import type { Schema } from '../infra/db/schema.ts';
import { insertChained, type ChainedRow } from './journal-writer.ts';

/** `<dataDir>/journal-spool`: beside `<dataDir>/pg`, the database whose journal it feeds. */
export const spoolDirOf = (dataDir: string): string => join(dataDir, 'journal-spool');

const FILE = /^spool-(\d{12})\.ndjson$/;
export const spoolFileName = (generation: number): string => `spool-${String(generation).padStart(12, '0')}.ndjson`;

/** The spool files present, oldest first. */
export function spoolGenerations(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((name) => FILE.exec(name)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** One spool file open for appending. */
export class SpoolFile {
  readonly generation: number;
  readonly path: string;
  #fd: number | undefined;
  bytes = 0;
  /** Rows written here and not yet in the table. */
  unmoved = 0;

  constructor(path: string, generation: number) {
    this.path = path;
    this.generation = generation;
    this.#fd = openSync(path, 'a', 0o600);
  }

  get open(): boolean {
    return this.#fd !== undefined;
  }

  get fd(): number | undefined {
    return this.#fd;
  }

  /** Writes the whole line (looping over short writes). Throws as the system does (ENOSPC, EIO…). */
  write(line: string): void {
    if (this.#fd === undefined) throw new Error(`spool file ${this.path} is closed`);
    // One write(2) of the string in the common case; a short write (rare: full disk, signal) goes on from a buffer.
    let written = writeSync(this.#fd, line);
    const length = Buffer.byteLength(line);
    if (written < length) {
      const data = Buffer.from(line);
      while (written < length) written += writeSync(this.#fd, data, written);
    }
    this.bytes += length;
  }

  /** Flushes to the device when asked, then closes; safe to call twice. */
  close(options: { sync: boolean }): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      if (options.sync) fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Deletes the file — a regular file or a link only: never a device or anything else named by mistake. */
  remove(): void {
    this.close({ sync: false });
    try {
      const kind = lstatSync(this.path);
      if (kind.isFile() || kind.isSymbolicLink()) unlinkSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function ensureSpoolDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

export interface SpoolRecovery {
  files: number;
  /** Rows found in the spool that were not in the table yet, now inserted. */
  replayed: number;
  /** Rows found that the table already held (moved before the stop). */
  alreadyMoved: number;
  /** Lines that could not be read: a line cut by a crash in the middle of a write (its call got no answer). */
  unreadable: number;
}

/**
 * Replays every spool file into `access_journal`, then deletes the files. Rows keep their segment,
 * rank and hash; a segment's rows already in the table (its recorded head) are skipped, so replaying
 * twice inserts nothing twice. Throws when the database refuses: the files are then left in place.
 */
export async function recoverJournalSpool(db: Kysely<Schema>, dir: string): Promise<SpoolRecovery> {
  const generations = spoolGenerations(dir);
  const report: SpoolRecovery = { files: generations.length, replayed: 0, alreadyMoved: 0, unreadable: 0 };
  if (generations.length === 0) return report;
  const bySegment = new Map<string, ChainedRow[]>();
  for (const generation of generations) {
    const lines = readFileSync(join(dir, spoolFileName(generation)), 'utf8').split('\n');
    // The text after the last line break is a write cut short (or nothing).
    if (lines.pop() !== '') report.unreadable += 1;
    for (const line of lines) {
      const row = parseLine(line);
      if (row === undefined) {
        report.unreadable += 1;
        continue;
      }
      const rows = bySegment.get(row.segment_id) ?? [];
      rows.push(row);
      bySegment.set(row.segment_id, rows);
    }
  }
  for (const [segment, rows] of bySegment) {
    const head = await db.selectFrom('journal_segments').select('last_seq').where('segment_id', '=', segment).executeTakeFirst();
    let moved = Number(head?.last_seq ?? 0);
    const missing = rows.filter((r) => r.seq > moved).sort((a, b) => a.seq - b.seq);
    report.alreadyMoved += rows.length - missing.length;
    for (let i = 0; i < missing.length; i += 1000) {
      const batch = missing.slice(i, i + 1000);
      // A gap (rows lost before the spool) is inserted as it is: `journal verify` then reports it.
      const inserted = await insertChained(db, segment, moved, batch);
      if (inserted !== batch.length) throw new Error(`journal spool: segment ${segment} moved during recovery`);
      moved = (batch[batch.length - 1] as ChainedRow).seq;
      report.replayed += batch.length;
    }
  }
  for (const generation of generations) unlinkSync(join(dir, spoolFileName(generation)));
  return report;
}

function parseLine(line: string): ChainedRow | undefined {
  try {
    const row = JSON.parse(line) as ChainedRow;
    if (typeof row !== 'object' || row === null || typeof row.segment_id !== 'string' || typeof row.seq !== 'number' || typeof row.hash !== 'string') return undefined;
    return row;
  } catch {
    return undefined;
  }
}

/**
 * What a stopped or killed service left in `<dataDir>`'s spool, moved into the embedded database's
 * table: every reader of the whole journal (the service at start, the CLI with the service stopped)
 * calls it first. PostgreSQL has no spool: undefined.
 */
export async function replayEmbeddedJournal(database: Database, dataDir: string): Promise<SpoolRecovery | undefined> {
  return database.engine === 'pglite' ? recoverJournalSpool(database.db, spoolDirOf(dataDir)) : undefined;
}
