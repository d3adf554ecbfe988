/**
 * What the multi-server runs (`--live`, `--scale`) share: the machine's description, waiting for an
 * idle machine, CPU pinning, the child processes (servers under test, simulator) and what /proc says
 * about them, and the replacement of a run's own section in docs/benchmarks.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './common.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOC = path.join(ROOT, 'docs', 'benchmarks.md');

/** `BENCH_RUNTIME=tsx` runs the servers under tsx, as `npm start` does, instead of the compiled build. */
const underTsx = process.env.BENCH_RUNTIME === 'tsx';

/**
 * Compiles the service into dist/ (`npm run build`) so that the servers run as production runs them
 * (docs/adr/0173-compiled-build.md); a runner calls it once before starting any server.
 */
export function buildForBench(): void {
  if (underTsx) return;
  process.stdout.write('building dist/ (npm run build)…\n');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The node arguments that run `bench/<script>`: its compiled file, or the source under tsx. */
export function benchEntry(script: string): string[] {
  return underTsx ? ['--import', 'tsx', path.join(ROOT, 'bench', script)] : [path.join(ROOT, 'dist', 'bench', script.replace(/\.ts$/, '.js'))];
}

/** How the servers ran, for the report. */
export const RUNTIME = underTsx ? 'servers under tsx (`BENCH_RUNTIME=tsx`)' : 'servers compiled (`npm run build`, plain `node dist/…`)';

export function tryExec(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

/** Read it before pinning: `nproc` counts the CPUs this process may use. */
export function describeMachine(): { nproc: string; memory: string; cpu: string; node: string; kernel: string } {
  return {
    nproc: tryExec('nproc', []) ?? String(os.availableParallelism()),
    memory: /^Mem:\s+(\S+)/m.exec(tryExec('free', ['-h']) ?? '')?.[1] ?? `${Math.round(os.totalmem() / 2 ** 30)}Gi`,
    cpu: /^model name\s*:\s*(.+)$/m.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
}

/** Pins this process (the load generator) to CPU 0 when taskset and ≥ 2 CPUs are there; says whether it did. */
export function pinLoadGenerator(disabled: boolean): boolean {
  const pin = !disabled && os.availableParallelism() >= 2 && (tryExec('which', ['taskset']) ?? '') !== '';
  if (pin) tryExec('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
  return pin;
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
export function machineJiffies(): { busy: number; total: number } {
  const v = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: v.slice(0, 8).reduce((a, b) => a + b, 0) - idle, total: v.slice(0, 8).reduce((a, b) => a + b, 0) };
}

/** Cores kept busy by the whole machine over `ms`. */
export async function busyCores(ms: number): Promise<number> {
  const before = machineJiffies();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineJiffies();
  return ((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length;
}

/** Waits up to `seconds` for other processes to use < 0.25 core; returns the last busy-core reading. */
export async function waitIdle(seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let busy = await busyCores(1000);
  while (busy >= 0.25 && Date.now() < until) busy = await busyCores(2000);
  return busy;
}

const clockTicks = Number(tryExec('getconf', ['CLK_TCK']) ?? 100) || 100;

/** utime + stime of a process (all its threads), in seconds; NaN once it is gone. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of a process, MB (VmRSS); NaN once it is gone. */
export function processRssMb(pid: number | undefined): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? Number.NaN : Math.round(Number(kb) / 1024);
  } catch {
    return Number.NaN;
  }
}

/** The direct children of a process (nginx's workers under its master). */
export function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** A bench child that said `ready`; `stop()` resolves with its `stopped` report (undefined if it died first). */
export interface BenchChild {
  child: ChildProcess;
  pid: number;
  ready: Extract<ChildMessage, { type: 'ready' }>;
  stop(): Promise<Extract<ChildMessage, { type: 'stopped' }> | undefined>;
}

/**
 * The processes of one run, in a temporary directory removed at exit; every child still running
 * when the runner exits (normally, on an error or on Ctrl-C) is killed, so no server keeps a port.
 */
export class ChildGroup {
  readonly tempDir: string;
  readonly pin: boolean;
  readonly #children = new Set<ChildProcess>();

  constructor(prefix: string, pin: boolean) {
    this.tempDir = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.pin = pin;
    process.on('exit', () => {
      this.killAll();
      rmSync(this.tempDir, { recursive: true, force: true });
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  }

  killAll(): void {
    for (const child of this.#children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** Spawns `command` on `cpu` (taskset when pinning), output to `<logName>.log` in the temporary directory. */
  spawn(command: string, args: string[], cpu: string, logName: string, ipc = false): ChildProcess {
    const [file, fileArgs] = this.pin ? ['taskset', ['-c', cpu, command, ...args]] : [command, args];
    const log = openSync(path.join(this.tempDir, `${logName}.log`), 'a');
    const child = spawn(file, fileArgs, { cwd: ROOT, stdio: ['ignore', log, ipc ? 'inherit' : log, ...(ipc ? ['ipc' as const] : [])] });
    closeSync(log);
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  /** Starts a bench child (`bench/<script>`) on `cpu` and waits for its `ready`. */
  start(script: string, args: string[], cpu: string): Promise<BenchChild> {
    // Diagnosis: `BENCH_GATEWAY_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'` (node refuses --cpu-prof in NODE_OPTIONS).
    const nodeArgs = script === 'gateway-server.ts' ? (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '') : [];
    const child = this.spawn(process.execPath, [...nodeArgs, ...benchEntry(script), ...args], cpu, script, true);
    let stopped: Extract<ChildMessage, { type: 'stopped' }> | undefined;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script}: not ready in 120 s`)), 120_000);
      child.on('exit', (code) => reject(new Error(`${script} exited (${code})`)));
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'error') reject(new Error(`${script}: ${message.message}`));
        if (message.type === 'stopped') stopped = message;
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve({
          child,
          pid: child.pid ?? -1,
          ready: message,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
              if (child.connected) child.send({ type: 'stop' });
              else child.kill('SIGTERM');
              await exited;
              clearTimeout(kill);
            }
            return stopped;
          },
        });
      });
    });
  }
}

/** Replaces the `<!-- bench:begin key -->…<!-- bench:end key -->` block of docs/benchmarks.md (appends it the first time). */
export function replaceDocSection(key: string, section: string): void {
  const doc = readFileSync(DOC, 'utf8');
  const re = new RegExp(`<!-- bench:begin ${key} -->[\\s\\S]*?<!-- bench:end ${key} -->`);
  writeFileSync(DOC, re.test(doc) ? doc.replace(re, () => section) : `${doc.trimEnd()}\n\n${section}\n`);
}
