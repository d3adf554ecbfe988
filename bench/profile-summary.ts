/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, e.g. `npm run bench -- --profile DIR`): top
 * functions by self time, and self time grouped by package / source area.
 *
 *   node --import tsx bench/profile-summary.ts DIR/*.cpuprofile [--top 25] [--from S] [--to S]
 *
 * `--from`/`--to` keep the samples between those seconds after the profile's start (the load
 * phases, without start-up and idle waits); the CPU use of each second is printed to choose them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, from: { type: 'string', default: '0' }, to: { type: 'string', default: '1e9' } },
});
const top = Number(values.top);
const from = Number(values.from);
const to = Number(values.to);

function area(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native / V8 builtins)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const src = /\/(src|bench)\/(.+?)\/[^/]+$/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const isIdle = (id: number): boolean => byId.get(id)?.callFrame.functionName === '(idle)';
  // Second of each sample, and busy µs per second.
  const second: number[] = [];
  const busyPerSecond: number[] = [];
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const s = Math.floor(t / 1e6);
    second.push(s);
    if (!isIdle(profile.samples[i] as number)) busyPerSecond[s] = (busyPerSecond[s] ?? 0) + (profile.timeDeltas[i] ?? 0);
  }
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const s = second[i] as number;
    if (s < from || s >= to) continue;
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const url = frame.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'}  ${url}${url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const a = area(frame.url, frame.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  }
  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
  const fmt = (us: number): string => `${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled${from > 0 || to < 1e9 ? ` (seconds ${from} to ${Math.min(to, second.at(-1) ?? 0)})` : ''}, ${((idle / total) * 100).toFixed(1)} % idle`);
  console.log(`CPU per second: ${busyPerSecond.map((us) => Math.round((us ?? 0) / 1e4)).join(' ')} %`);
  console.log(`\nTop ${top} functions by self time:`);
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${fmt(us)}  ${key}`);
  console.log('\nSelf time by area:');
  for (const [key, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${fmt(us)}  ${key}`);
}
