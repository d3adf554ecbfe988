/**
 * `api-particulier habilitations …` — operator commands (issue 5):
 *
 *   api-particulier habilitations list [--status submitted]
 *       the requests, oldest change first: id, status, product, SIRET, title.
 *   api-particulier habilitations notices
 *       sends the expiry notices due now (the same job the scheduler runs; idempotent).
 *
 * They open the database directly (PostgreSQL, or the embedded PGlite when no service holds it).
 */
import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import { readLockHolder } from '../infra/db/data-dir-lock.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { openDatabase } from '../infra/db/open-database.ts';
import { loadLocalSecrets } from '../infra/local-secrets.ts';
import { providers } from '../providers/index.ts';
import { createKeyring } from '../tokens/keyring.ts';
import { listHabilitations } from './habilitation-repository.ts';
import { buildHabilitations, type Habilitations } from './habilitations.ts';
import { STATUSES, isStatus, statusLabel } from './state-machine.ts';

async function withHabilitations<T>(config: Config, run: (h: Habilitations) => Promise<T>): Promise<T> {
  if (config.databaseUrl === undefined && readLockHolder(config.dataDir) !== undefined) {
    throw new Error(`the embedded database in ${config.dataDir} is held by the running service: stop it, or use DATABASE_URL`);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const keyring = createKeyring(config.tokens.signingKeys ?? loadLocalSecrets(config.dataDir).signingKeys);
    const h = buildHabilitations({ config, database, keyring, now: () => new Date(), registry: providers, forgetVerifiedTokens: () => undefined });
    return await run(h);
  } finally {
    await database.close();
  }
}

/**
 * @example
 * registerHabilitationCommands(program, config, out);
 */
export function registerHabilitationCommands(program: Command, config: () => Config, out: (line: string) => void): void {
  const command = program.command('habilitations').description('Demandes d’habilitation et rappels d’expiration');

  command
    .command('list')
    .description('Liste les demandes, la plus anciennement modifiée d’abord')
    .option('--status <status>', `statut : ${STATUSES.join(', ')}`)
    .action(async (options: { status?: string }) => {
      if (options.status !== undefined && !isStatus(options.status)) throw new Error(`unknown status "${options.status}": use ${STATUSES.join(', ')}`);
      const status = options.status;
      await withHabilitations(config(), async (h) => {
        const rows = await listHabilitations(h.db, status === undefined ? {} : { statuses: [status] });
        if (rows.length === 0) out('Aucune demande.');
        for (const r of rows) {
          out([r.id, statusLabel(r.status), r.product, r.siret ?? '-', r.snapshot?.title ?? r.form.use_case?.title ?? '(sans titre)'].join('\t'));
        }
      });
    });

  command
    .command('notices')
    .description('Envoie les rappels d’expiration dus maintenant (sans doublon)')
    .action(async () => {
      await withHabilitations(config(), async (h) => {
        const report = await h.sendExpiryNotices(new Date());
        out(`${report.sent.length} rappel(s) envoyé(s), ${report.failed.length} échec(s).`);
        for (const f of report.failed) out(`  échec ${f.jti.slice(0, 8)}… (${f.daysBefore} j) : ${f.error}`);
      });
    });
}
