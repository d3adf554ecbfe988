/**
 * `api-particulier` — the admin CLI (issue 2 §4). Reads the same configuration as the service.
 *
 *   api-particulier tokens create --scopes a,b | --all-scopes [--expires-in 18mo] [--modalities identite,ine]
 *   api-particulier tokens list
 *   api-particulier tokens revoke <jti> [--at 2027-01-01T00:00:00Z]
 *   api-particulier keys rotate
 *   api-particulier db migrate
 *   api-particulier scopes
 */
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { openDatabase } from '../infra/db/open-database.ts';
import { rotateLocalSigningKey } from '../infra/local-secrets.ts';
import { allScopes } from '../providers/index.ts';
import { normaliseCreateInput, TokenInputError, type CreateTokenInput, type TokenView } from '../tokens/token-admin.ts';
import { openTokenClient } from './token-client.ts';
import { registerSandboxCommands } from './sandbox-commands.ts';
import { registerJournalCommands } from './journal-commands.ts';
import { registerHabilitationCommands } from '../habilitations/habilitation-commands.ts';
import { registerV2UsageCommand } from '../v2/v2-usage-command.ts';
import { registerSimulateCommand } from '../../simulators/simulate-command.ts';
import { isUuid } from '../tokens/token-repository.ts';
import { readLockHolder } from '../infra/db/data-dir-lock.ts';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function describeToken(view: TokenView): string {
  return [
    `id (jti)    : ${view.jti}`,
    `nom         : ${view.name}`,
    `scopes      : ${view.scopes.join(', ')}`,
    `modalités   : ${view.modalities.join(', ')}`,
    ...(view.fc_client_ids.length > 0 ? [`FranceConnect: ${view.fc_client_ids.join(', ')}`] : []),
    ...(view.rate_limit_per_second === null ? [] : [`débit       : ${view.rate_limit_per_second} appels/s`]),
    `expire le   : ${view.expires_at}`,
    ...(view.revoked_at ? [`révoqué le  : ${view.revoked_at}`] : []),
  ].join('\n');
}

async function withTokens<T>(config: Config, run: (client: Awaited<ReturnType<typeof openTokenClient>>) => Promise<T>): Promise<T> {
  const client = await openTokenClient(config);
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

export function buildCli(config: () => Config, out: (line: string) => void): Command {
  const program = new Command('api-particulier')
    .description('Administration d’API Particulier : jetons, clés, base de données')
    .exitOverride()
    .showHelpAfterError();

  const tokens = program.command('tokens').description('Jetons d’accès à l’API');
  tokens
    .command('create')
    .description('Émet un jeton ; la dernière ligne affichée est le jeton seul')
    .option('--scopes <scopes>', 'scopes séparés par des virgules', list)
    .option('--all-scopes', 'tous les scopes connus')
    .option('--expires-in <duration>', 'durée de validité : 18mo (défaut), 90d, 12h, 3600s')
    .option('--modalities <modalities>', "modalités d'appel : identite,france_connect,ine,identifiant (défaut : toutes)", list)
    .option('--name <name>', 'nom lisible du jeton')
    .option('--owner <owner>', 'organisation ou personne responsable')
    .option('--fc-client-ids <ids>', 'identifiants de client FranceConnect rattachés à ce jeton', list)
    .option('--rate-limit <n>', 'appels par seconde autorisés à ce jeton (défaut : la limite du service, 20)', Number)
    .action(async ({ rateLimit, ...options }: { scopes?: string[]; allScopes?: boolean; expiresIn?: string; modalities?: string[]; name?: string; owner?: string; fcClientIds?: string[]; rateLimit?: number }) => {
      const input: CreateTokenInput = rateLimit === undefined ? options : { ...options, rateLimitPerSecond: rateLimit };
      normaliseCreateInput(input, allScopes()); // fail fast, before opening anything
      await withTokens(config(), async (client) => {
        const { token, record } = await client.create(input);
        out(describeToken(record));
        out(token);
      });
    });
  tokens
    .command('list')
    .description('Liste les jetons (sans leur valeur, jamais stockée)')
    .option('--json', 'sortie JSON')
    .action(async (options: { json?: boolean }) => {
      await withTokens(config(), async (client) => {
        const views = await client.list();
        if (options.json) return out(JSON.stringify(views, null, 2));
        if (views.length === 0) return out('Aucun jeton.');
        for (const view of views) {
          const state = view.revoked_at ? `révoqué ${view.revoked_at}` : `expire ${view.expires_at}`;
          out(`${view.jti}  ${state}  ${view.name}  [${view.scopes.join(', ')}]`);
        }
      });
    });
  tokens
    .command('revoke <jti>')
    .description('Révoque un jeton, immédiatement ou à une date (--at)')
    .option('--at <date>', 'date ISO 8601 de prise d’effet')
    .action(async (jti: string, options: { at?: string }) => {
      const at = options.at === undefined ? undefined : new Date(options.at);
      if (at !== undefined && Number.isNaN(at.getTime())) throw new TokenInputError(`invalid date: ${options.at}`);
      if (!isUuid(jti)) throw new TokenInputError(`no token with id ${jti}: token ids are UUIDs (see tokens list)`);
      await withTokens(config(), async (client) => {
        const view = await client.revoke(jti, at);
        out(`Jeton ${view.jti} révoqué à compter du ${view.revoked_at}.`);
      });
    });

  program
    .command('keys')
    .description('Clés de signature des jetons')
    .command('rotate')
    .description('Ajoute une clé de signature ; les jetons déjà émis restent valides. Redémarrez le service ensuite.')
    .action(() => {
      const current = config();
      if (current.tokens.signingKeys) throw new TokenInputError('TOKEN_SIGNING_KEYS is set: rotate keys in your secret store (docs/guides/rotate-keys.md)');
      const key = rotateLocalSigningKey(current.dataDir);
      out(`Nouvelle clé de signature ${key.kid} ; redémarrez le service pour signer avec elle.`);
    });

  program
    .command('db')
    .description('Base de données')
    .command('migrate')
    .description('Applique les migrations en attente')
    .action(async () => {
      const current = config();
      if (current.databaseUrl === undefined && readLockHolder(current.dataDir) !== undefined) {
        out('Le service en cours d’exécution a appliqué les migrations au démarrage : rien à faire.');
        return;
      }
      const database = await openDatabase({ databaseUrl: current.databaseUrl, dataDir: current.dataDir });
      try {
        const { applied } = await migrateToLatest(database.db);
        out(applied.length === 0 ? 'Base à jour.' : `Migrations appliquées : ${applied.join(', ')}`);
      } finally {
        await database.close();
      }
    });

  program
    .command('scopes')
    .description('Liste les scopes connus')
    .action(() => {
      for (const scope of allScopes()) out(scope);
    });

  registerSandboxCommands(program, config, out);
  registerJournalCommands(program, config, out);
  registerHabilitationCommands(program, config, out);
  registerV2UsageCommand(program, config, out);
  registerSimulateCommand(program, () => config().dataDir, out);

  return program;
}

export async function main(): Promise<void> {
  const program = buildCli(() => loadConfig(), (line) => process.stdout.write(`${line}\n`));
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof ConfigError || error instanceof TokenInputError ? error.message : `erreur : ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = error instanceof TokenInputError || error instanceof ConfigError ? 2 : 1;
  }
}

// Run when executed directly (`node --import tsx src/cli/main.ts`); the bin calls main() itself.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
