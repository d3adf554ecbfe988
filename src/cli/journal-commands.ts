/**
 * `api-particulier journal …` — the access journal for operators and the DPO (issue 6 §1,
 * docs/adr/0092-journal-cli-and-export.md):
 *
 *   api-particulier journal verify [--json]
 *       checks the hash chain; exit code 1 and the list of problems when a row was altered, removed,
 *       added or moved.
 *   api-particulier journal export --from 2026-01-01 --to 2026-01-31 [--token <jti>] [--recipient <siret>] [--out f.csv]
 *       the rows of a period as CSV (RFC 4180), optionally of one token and/or one recipient.
 *
 * Like the token commands, they open the database themselves (PostgreSQL, or PGlite when no service
 * holds it) or go through the running service's local admin API when it holds the embedded database.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import { readLockHolder } from '../infra/db/data-dir-lock.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { openDatabase } from '../infra/db/open-database.ts';
import { loadLocalSecrets } from '../infra/local-secrets.ts';
import { parseExportFilter, type ExportFilterInput } from '../journal/export-filter.ts';
import { JOURNAL_EXPORT_PATH, JOURNAL_VERIFY_PATH } from '../journal/journal-admin-routes.ts';
import { exportJournalCsv, type ExportFilter } from '../journal/journal-export.ts';
import { verifyJournal, type VerifyReport } from '../journal/verify-journal.ts';
import { replayEmbeddedJournal } from '../journal/journal-spool.ts';
import { ADMIN_ENDPOINT_FILE } from './token-client.ts';

/** The journal verification found problems: exit code 1 after the report is printed. */
export class JournalTamperedError extends Error {
  constructor(count: number) {
    super(`journal altéré : ${count} problème(s)`);
    this.name = 'JournalTamperedError';
  }
}

interface JournalSource {
  verify(): Promise<VerifyReport>;
  exportCsv(filter: ExportFilter): AsyncIterable<string>;
  close(): Promise<void>;
}

function serviceSource(config: Config): JournalSource {
  let url: string;
  try {
    url = (JSON.parse(readFileSync(path.join(config.dataDir, ADMIN_ENDPOINT_FILE), 'utf8')) as { url: string }).url;
  } catch {
    throw new Error(`the embedded database in ${config.dataDir} is held by a running process that publishes no admin endpoint`);
  }
  const headers = { authorization: `Bearer ${loadLocalSecrets(config.dataDir).adminSecret}` };
  const failed = async (response: Response): Promise<Error> =>
    new Error(`the running service answered ${response.status}: ${((await response.json().catch(() => ({}))) as { error?: string }).error ?? ''}`);
  return {
    async verify() {
      const response = await fetch(new URL(JOURNAL_VERIFY_PATH, url), { method: 'POST', headers });
      if (!response.ok) throw await failed(response);
      return (await response.json()) as VerifyReport;
    },
    async *exportCsv(filter) {
      const query = new URLSearchParams({ from: filter.from.toISOString(), to: filter.to.toISOString() });
      if (filter.tokenJti !== undefined) query.set('token', filter.tokenJti);
      if (filter.recipient !== undefined) query.set('recipient', filter.recipient);
      const response = await fetch(new URL(`${JOURNAL_EXPORT_PATH}?${query.toString()}`, url), { headers });
      if (!response.ok || response.body === null) throw await failed(response);
      const decoder = new TextDecoder();
      for await (const chunk of response.body) yield decoder.decode(chunk, { stream: true });
    },
    close: () => Promise.resolve(),
  };
}

async function openSource(config: Config): Promise<JournalSource> {
  if (config.databaseUrl === undefined && readLockHolder(config.dataDir) !== undefined) return serviceSource(config);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    await replayEmbeddedJournal(database, config.dataDir);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    verify: () => verifyJournal(database.db),
    exportCsv: (filter) => exportJournalCsv(database.db, filter),
    close: () => database.close(),
  };
}

async function withSource<T>(config: Config, run: (source: JournalSource) => Promise<T>): Promise<T> {
  const source = await openSource(config);
  try {
    return await run(source);
  } finally {
    await source.close();
  }
}

function describeReport(report: VerifyReport, out: (line: string) => void): void {
  if (report.ok) {
    out(`Journal intègre : ${report.rows} ligne(s) dans ${report.segments} segment(s).`);
    return;
  }
  out(`Journal ALTÉRÉ : ${report.problemCount} problème(s) sur ${report.rows} ligne(s) dans ${report.segments} segment(s).`);
  for (const p of report.problems) {
    const where = [p.segment && `segment ${p.segment}`, p.seq !== null && `rang ${p.seq}`, p.requestId && `requête ${p.requestId}`].filter(Boolean).join(', ');
    out(`  [${p.kind}] ${where} : ${p.detail}`);
  }
  if (report.problemCount > report.problems.length) out(`  … et ${report.problemCount - report.problems.length} autre(s).`);
}

/**
 * @example
 * registerJournalCommands(program, config, out);
 */
export function registerJournalCommands(program: Command, config: () => Config, out: (line: string) => void): void {
  const journal = program.command('journal').description("Journal d'accès : vérification de la chaîne, export pour le DPO");

  journal
    .command('verify')
    .description('Vérifie la chaîne d’empreintes : détecte toute ligne modifiée, supprimée, ajoutée ou déplacée')
    .option('--json', 'rapport JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await withSource(config(), (source) => source.verify());
      if (options.json) out(JSON.stringify(report, null, 2));
      else describeReport(report, out);
      if (!report.ok) throw new JournalTamperedError(report.problemCount);
    });

  journal
    .command('export')
    .description('Exporte les lignes d’une période en CSV (RFC 4180), sans paramètres ni données')
    .requiredOption('--from <date>', 'début inclus : AAAA-MM-JJ (jour UTC) ou instant ISO 8601')
    .requiredOption('--to <date>', 'fin : AAAA-MM-JJ (ce jour inclus) ou instant ISO 8601 (exclu)')
    .option('--token <jti>', "identifiant d'un jeton")
    .option('--recipient <siret>', 'SIRET du destinataire')
    .option('--out <file>', 'fichier de sortie (défaut : sortie standard)')
    .action(async (options: ExportFilterInput & { out?: string }) => {
      const filter = parseExportFilter(options); // fail fast, before opening anything
      await withSource(config(), async (source) => {
        if (options.out === undefined) {
          // Each chunk ends with CRLF; `out` adds the LF back.
          let pending = '';
          for await (const chunk of source.exportCsv(filter)) {
            pending += chunk;
            const end = pending.lastIndexOf('\n');
            if (end >= 0) {
              out(pending.slice(0, end));
              pending = pending.slice(end + 1);
            }
          }
          if (pending !== '') out(pending);
          return;
        }
        const file = createWriteStream(options.out, { mode: 0o600 });
        let rows = -1;
        for await (const chunk of source.exportCsv(filter)) {
          rows += chunk.split('\n').length - 1; // journal fields hold no line break
          if (!file.write(chunk)) await once(file, 'drain');
        }
        file.end();
        await once(file, 'finish');
        out(`${rows} ligne(s) exportée(s) dans ${options.out}.`);
      });
    });
}
