/**
 * `api-particulier journal v2-usage --from YYYY-MM-DD --to YYYY-MM-DD [--json]` (issue 8 §3): the
 * tokens that still call v2 over a period, with their call count and last call. Opens the database
 * like the other journal commands; the embedded database must not be held by a running service
 * (use DATABASE_URL, or stop the service), since v2 usage has no admin route yet.
 */
import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import { readLockHolder } from '../infra/db/data-dir-lock.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { openDatabase } from '../infra/db/open-database.ts';
import { parseExportFilter } from '../journal/export-filter.ts';
import { replayEmbeddedJournal } from '../journal/journal-spool.ts';
import { v2Usage, type V2UsageRow } from './v2-usage.ts';

/** The report as printed: one line per token, most calls first. */
export function formatV2Usage(rows: readonly V2UsageRow[], from: Date, to: Date): string[] {
  const period = `du ${from.toISOString()} au ${to.toISOString()}`;
  if (rows.length === 0) return [`Aucun appel v2 ${period}.`];
  return [
    `${rows.length} jeton(s) appellent encore la v2 ${period} :`,
    ...rows.map(
      (r) =>
        `  ${r.tokenJti ?? '(sans jeton valide)'}${r.tokenName ? ` « ${r.tokenName} »` : ''} : ${r.calls} appel(s), dernier le ${r.lastCallAt.toISOString()} — ${r.routes.join(', ')}`,
    ),
  ];
}

/**
 * Adds `v2-usage` under the `journal` command (created if no other module did).
 * @example
 * registerV2UsageCommand(program, config, out);
 */
export function registerV2UsageCommand(program: Command, config: () => Config, out: (line: string) => void): void {
  const journal = program.commands.find((c) => c.name() === 'journal') ?? program.command('journal').description("Journal d'accès");
  journal
    .command('v2-usage')
    .description('Jetons qui appellent encore l’API v2 sur une période : nombre d’appels et dernier appel')
    .requiredOption('--from <date>', 'début (AAAA-MM-JJ ou instant ISO 8601)')
    .requiredOption('--to <date>', 'fin incluse (AAAA-MM-JJ) ou instant ISO 8601 exclu')
    .option('--json', 'sortie JSON')
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      const { from, to } = parseExportFilter({ from: options.from, to: options.to });
      const current = config();
      if (current.databaseUrl === undefined && readLockHolder(current.dataDir) !== undefined) {
        throw new Error(`la base embarquée de ${current.dataDir} est tenue par le service en cours : arrêtez-le, ou utilisez DATABASE_URL`);
      }
      const database = await openDatabase({ databaseUrl: current.databaseUrl, dataDir: current.dataDir });
      try {
        await migrateToLatest(database.db);
        await replayEmbeddedJournal(database, current.dataDir);
        const rows = await v2Usage(database.db, { from, to });
        if (options.json) out(JSON.stringify(rows));
        else for (const line of formatV2Usage(rows, from, to)) out(line);
      } finally {
        await database.close();
      }
    });
}
