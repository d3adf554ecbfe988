/**
 * `npm run start:live` (dev only): the upstream simulators plus the gateway in live mode wired to
 * them. The gateway runs as `src/main.ts` in a child process with the simulators' `LIVE_*`
 * environment, so it starts exactly as in production and prints a demo token like `npm start`.
 * The FranceConnect double stands in for FranceConnect, for the gateway and for the DSS "API des
 * prestations" simulator, which checks the tokens of its `/fc/` forms there too (ADR 0085;
 * `LIVE_DSS_C2S_RSA_UPSTREAM=prestations npm run start:live` routes C2S and RSA to it).
 * Its data lives in `./data/live` (unless `DATA_DIR` says otherwise), apart from a sandbox's own.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFranceConnectDouble } from './franceconnect/start-franceconnect-double.ts';
import { startSimulators } from './start-simulators.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

// FranceConnect routes check citizens' tokens against the FranceConnect double (docs/guides/franceconnect.md).
const franceConnect = await startFranceConnectDouble({});
const sims = await startSimulators({
  franceConnect: franceConnect.registerDataProvider('dss-prestations-double'),
  gateway: { c2sRsaUpstream: process.env.LIVE_DSS_C2S_RSA_UPSTREAM === 'prestations' ? 'prestations' : 'cnav' },
});
process.stdout.write(`Simulateurs démarrés : ${[...sims.simulators].map(([key, sim]) => `${key} ${sim.url}`).join(', ')}; FranceConnect ${franceConnect.issuer}\n`);
const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
  stdio: 'inherit',
  env: { ...process.env, ...sims.env, ...franceConnect.gatewayEnv, DEMO_TOKEN: 'true', DATA_DIR: process.env.DATA_DIR ?? './data/live' },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  void Promise.all([sims.close(), franceConnect.close()]).then(() => process.exit(code ?? 0));
});
