/**
 * The sandbox's current cases, reloadable without a restart (docs/adr/0060-sandbox-reload.md).
 * The driver and the FranceConnect checker read {@link SandboxStore.current} at call time, so a
 * reload — on a file change or on `api-particulier sandbox reload` — takes effect on the next call.
 *
 * A reload never throws and never empties the sandbox by accident: it swaps in whatever loaded
 * (valid cases are served, bad files are reported by path and message, never by content), and if the
 * loader itself fails the previous cases stay.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FranceConnectIntrospection } from '../franceconnect/introspection.ts';
import type { CaseProblem } from './case-file.ts';
import { loadCaseDirectories, type LoadReport } from './load-cases.ts';

/** What a reload found, for logs and the admin API (no payload content). */
export interface ReloadSummary {
  cases: number;
  franceConnectTokens: number;
  problems: CaseProblem[];
  /** Set when the loader failed: the previous cases are still served. */
  error?: string;
}

export interface SandboxStoreOptions {
  /**
   * Called after each reload (watch or command), with its problems or its error. Not called for the
   * first load: its problems are in `current().problems`.
   */
  onReload?: (summary: ReloadSummary) => void;
}

type TokenEntry = { file: string; introspection: FranceConnectIntrospection };

function summaryOf(report: LoadReport): ReloadSummary {
  let cases = 0;
  for (const list of report.cases.values()) cases += list.length;
  return { cases, franceConnectTokens: report.franceConnectTokens.size, problems: report.problems };
}

export class SandboxStore {
  readonly dirs: readonly string[];
  private report: LoadReport;
  private readonly options: SandboxStoreOptions;
  private running: Promise<ReloadSummary> | undefined;
  private again = false;
  private watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private debounceMs = 300;

  private constructor(dirs: readonly string[], report: LoadReport, options: SandboxStoreOptions) {
    this.dirs = dirs;
    this.report = report;
    this.options = options;
  }

  /**
   * Loads the roots once and returns the store.
   * @example
   * const store = await SandboxStore.open([...providerCaseDirs, OWN_CASES_DIR, ...config.sandboxDataDirs], { onReload: log });
   * createSandboxDriver(store);
   */
  static async open(dirs: readonly string[], options: SandboxStoreOptions = {}): Promise<SandboxStore> {
    const report = await loadCaseDirectories(dirs);
    return new SandboxStore(dirs, report, options);
  }

  /** The cases in force now. */
  current(): LoadReport {
    return this.report;
  }

  /** A live read-only view of the fake FranceConnect tokens, for the sandbox checker. */
  franceConnectTokens(): ReadonlyMap<string, TokenEntry> {
    const view = (): ReadonlyMap<string, TokenEntry> => this.report.franceConnectTokens;
    return {
      get: (key) => view().get(key),
      has: (key) => view().has(key),
      get size() {
        return view().size;
      },
      forEach: (fn, thisArg?: unknown) => view().forEach(fn, thisArg),
      entries: () => view().entries(),
      keys: () => view().keys(),
      values: () => view().values(),
      [Symbol.iterator]: () => view()[Symbol.iterator](),
    };
  }

  /**
   * Reads every root again and swaps the result in. Concurrent calls share one load; a call made
   * while a load runs triggers one more load after it (the files may have changed meanwhile).
   */
  reload(): Promise<ReloadSummary> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.load().finally(() => {
      this.running = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  private async load(): Promise<ReloadSummary> {
    let summary: ReloadSummary;
    try {
      const report = await loadCaseDirectories(this.dirs);
      this.report = report;
      summary = summaryOf(report);
      if (this.watchers.size > 0) await this.rewatch();
    } catch (error) {
      summary = { ...summaryOf(this.report), error: (error as Error).message };
    }
    this.options.onReload?.(summary);
    return summary;
  }

  /**
   * Reloads when a file under a root changes, `debounceMs` after the last change. Watches each root
   * and each of its folders (the layout is two levels deep): Node 20's `recursive` watch on Linux
   * ignores `unref()` and would keep the process alive. Watchers are unref'd and closed by {@link close}.
   */
  async watch(debounceMs = 300): Promise<void> {
    if (this.closed) return;
    this.debounceMs = debounceMs;
    await this.rewatch();
  }

  private async rewatch(): Promise<void> {
    const wanted = new Set<string>();
    for (const root of this.dirs) {
      const entries = await readdir(root, { withFileTypes: true }).catch(() => undefined);
      if (entries === undefined) continue;
      wanted.add(root);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) wanted.add(path.join(root, e.name));
    }
    if (this.closed) return;
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, () => this.schedule());
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(dir);
        });
        watcher.unref();
        this.watchers.set(dir, watcher);
      } catch {
        // A folder removed between readdir and watch: the next reload sees it gone.
      }
    }
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** How many folders are watched (0 when watching is off). */
  get watchedFolders(): number {
    return this.watchers.size;
  }

  /** Stops watching; the cases stay readable. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}

/** Logs a load's problems (file and message only, never case content). */
export function logCaseProblems(log: { warn(obj: object, msg: string): void }, problems: readonly CaseProblem[]): void {
  for (const problem of problems) log.warn({ file: problem.file }, `sandbox case ignored: ${problem.message}`);
}

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Logs a reload's outcome and problems (files and messages, never case content). */
export function logReload(log: Log, summary: ReloadSummary): void {
  if (summary.error !== undefined) return log.error({ error: summary.error }, 'sandbox reload failed: the previous cases are still served');
  logCaseProblems(log, summary.problems);
  log.info({ cases: summary.cases, franceConnectTokens: summary.franceConnectTokens, problems: summary.problems.length }, 'sandbox cases reloaded');
}
