/**
 * `api-particulier simulate`: starts the upstream simulators on loopback (dev and test only) and
 * writes the `LIVE_*` environment that wires a gateway to them into `<dir>/simulators.env` (mode
 * 0600: it holds the run's throwaway credentials, which are never printed). Runs until interrupted.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { FaultConfig } from './faults.ts';

export const SIMULATORS_ENV_FILE = 'simulators.env';

function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new TypeError(`a rate between 0 and 1 is expected (got "${value}")`);
  return n;
}

/** Parses `--latency 20-80[:500]` (uniform min–max ms, optional 1 % tail). */
export function parseLatency(value: string): NonNullable<FaultConfig['latency']> {
  const match = /^(\d+)-(\d+)(?::(\d+))?$/.exec(value);
  if (match === null || Number(match[1]) > Number(match[2])) throw new TypeError(`--latency expects min-max[:tail] in ms (got "${value}")`);
  return { minMs: Number(match[1]), maxMs: Number(match[2]), ...(match[3] ? { tailMs: Number(match[3]) } : {}) };
}

export function registerSimulateCommand(program: Command, dataDir: () => string, out: (line: string) => void): void {
  program
    .command('simulate')
    .description('Démarre les simulateurs des fournisseurs (développement et tests uniquement)')
    .option('--token-ttl <seconds>', 'durée de vie des jetons OAuth2 émis', '300')
    .option('--latency <min-max[:tail]>', 'latence ajoutée, en ms (ex. 20-80:500)')
    .option('--error-rate <0-1>', 'part des réponses 500', '0')
    .option('--timeout-rate <0-1>', 'part des requêtes sans réponse', '0')
    .option('--throttle-rate <0-1>', 'part des réponses 429', '0')
    .option('--malformed-rate <0-1>', 'part des réponses mal formées', '0')
    .action(async (options: { tokenTtl: string; latency?: string; errorRate: string; timeoutRate: string; throttleRate: string; malformedRate: string }) => {
      const faults: FaultConfig = {
        errorRate: rate(options.errorRate),
        timeoutRate: rate(options.timeoutRate),
        throttleRate: rate(options.throttleRate),
        malformedRate: rate(options.malformedRate),
        ...(options.latency ? { latency: parseLatency(options.latency) } : {}),
      };
      const ttl = Number(options.tokenTtl);
      if (!Number.isInteger(ttl) || ttl < 1) throw new TypeError('--token-ttl expects a positive number of seconds');
      const { startSimulators } = await import('./start-simulators.ts');
      const sims = await startSimulators({ tokenTtlSeconds: ttl, faults });
      const dir = dataDir();
      mkdirSync(dir, { recursive: true });
      const envFile = path.join(dir, SIMULATORS_ENV_FILE);
      writeFileSync(envFile, `${Object.entries(sims.env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
      out('Simulateurs des fournisseurs (127.0.0.1, développement et tests uniquement) :');
      for (const [key, sim] of sims.simulators) out(`  ${key.padEnd(16)} ${sim.url}`);
      out(`Configuration du mode live (identifiants jetables de cette exécution) : ${envFile}`);
      out(`  set -a; . ${envFile}; set +a; npm run serve`);
      out('Pannes à la demande : en-tête X-Simulator-Fault: timeout | 500 | throttle | malformed | invalid | reset | latency=NNN');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      rmSync(envFile, { force: true });
      await sims.close();
    });
}
