/**
 * Process entry: loadConfig() → buildApp() → listen(). Prints the URL and, in the sandbox, the demo
 * token; publishes the local admin endpoint for the CLI; shuts down cleanly on SIGINT/SIGTERM.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { ADMIN_ENDPOINT_FILE } from './cli/token-client.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { DataDirLockedError } from './infra/db/data-dir-lock.ts';
import { DEMO_TOKEN_FILE } from './sandbox/demo-token.ts';

async function start(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config, { watchSandboxCases: config.sandboxWatch });
  const address = await app.server.listen({ port: config.port, host: config.host });
  const url = address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://[::1]');

  const adminFile = path.join(config.dataDir, ADMIN_ENDPOINT_FILE);
  // Written aside then renamed: a CLI (or a test) that sees the file never reads it half-written.
  const adminTemp = `${adminFile}.${process.pid}.tmp`;
  writeFileSync(adminTemp, `${JSON.stringify({ url, pid: process.pid })}\n`, { mode: 0o600 });
  renameSync(adminTemp, adminFile);

  // Before the ready lines: a supervisor may send SIGTERM as soon as it reads them, and must get a clean stop.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.server.log.info({ signal }, 'shutting down');
    rmSync(adminFile, { force: true });
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.server.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const lines = [
    '',
    `API Particulier (${config.mode === 'sandbox' ? 'bac à sable' : 'production'}) écoute sur ${url}`,
    `  Portail (catalogue, compte) : ${url}/  — connexion : ${url}/connexion`,
    `  Documentation interactive : ${url}/docs`,
    `  Statut des fournisseurs   : ${url}/status/v1/summary`,
    `  OpenAPI                   : ${url}/v3/openapi.json`,
  ];
  if (app.services.demoToken !== undefined) {
    lines.push(
      `  Jeton de démonstration (tous les scopes), aussi dans ${path.join(config.dataDir, DEMO_TOKEN_FILE)} :`,
      '',
      app.services.demoToken,
      '',
      'Essayez :',
      `  curl -H "Authorization: Bearer $(cat ${path.join(config.dataDir, DEMO_TOKEN_FILE)})" \\`,
      `    "${url}/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123"`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

}

start().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof DataDirLockedError) {
    process.stderr.write(
      `La base embarquée ${error.lockFile} est déjà utilisée par le processus ${error.pid}. Arrêtez-le, ou choisissez un autre DATA_DIR.\n`,
    );
  } else {
    process.stderr.write(`Démarrage impossible : ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
