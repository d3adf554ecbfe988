// `npm run build`: the service as plain JavaScript in dist/, for production and the benchmark.
//
// Under tsx (npm start, the tests, the CLI) every module is compiled when loaded and the compiler's
// hooks thread stays alive: the gateway's memory at the end of a benchmark run was 80–90 MB larger
// (docs/adr/0173-compiled-build.md). dist/ mirrors the repository: tsc writes the .js files (relative
// `.ts` imports rewritten to `.js`), and the files the code reads beside itself (sandbox cases, mail
// templates, portal views and assets) and the docs the portal serves are copied, so every
// `new URL('./…', import.meta.url)` finds what it found in src/.
//
//   node scripts/build.mjs [--out DIR]   DIR inside the repository (packages resolve from node_modules/ above it)
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outArg = process.argv.indexOf('--out');
const dist = outArg === -1 ? path.join(root, 'dist') : path.resolve(process.argv[outArg + 1] ?? 'dist');
if (path.relative(root, dist).startsWith('..')) throw new Error(`--out must be inside ${root}`);
rmSync(dist, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const notTypeScript = (source) => !source.endsWith('.ts');
for (const dir of ['src', 'migrations', 'simulators']) cpSync(path.join(root, dir), path.join(dist, dir), { recursive: true, filter: notTypeScript });
cpSync(path.join(root, 'docs'), path.join(dist, 'docs'), { recursive: true });
console.log(`built ${path.relative(process.cwd(), dist) || '.'}`);
