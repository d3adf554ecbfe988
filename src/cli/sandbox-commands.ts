/**
 * `api-particulier sandbox …` — tooling for sandbox cases (docs/guides/sandbox.md):
 *
 *   api-particulier sandbox check <dir>      checks contributed cases (official payloads/ layout)
 *   api-particulier sandbox index [--out f]  writes the Markdown index of every case
 *   api-particulier sandbox reload           makes the running service read its cases again
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import { loadLocalSecrets } from '../infra/local-secrets.ts';
import { allEndpoints, providers } from '../providers/index.ts';
import { SANDBOX_RELOAD_PATH } from '../sandbox/admin-reload-route.ts';
import { CASE_INDEX_FILE, renderCaseIndex } from '../sandbox/case-index.ts';
import type { CaseProblem } from '../sandbox/case-file.ts';
import { checkCaseRoot } from '../sandbox/check-cases.ts';
import { loadCaseDirectories } from '../sandbox/load-cases.ts';
import { OWN_CASES_DIR } from '../sandbox/sandbox-driver.ts';
import type { ReloadSummary } from '../sandbox/sandbox-store.ts';
import { ADMIN_ENDPOINT_FILE } from './token-client.ts';

/** The repository root: the index writes file paths relative to it. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The case roots the service loads, in its order: each provider's, the cast's, then `SANDBOX_DATA_DIRS`. */
export function caseRoots(sandboxDataDirs: readonly string[]): string[] {
  return [...providers.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : [])), OWN_CASES_DIR, ...sandboxDataDirs];
}

/**
 * The index as `sandbox index` writes it; the drift test compares the committed file with it.
 * @example
 * const markdown = await generateCaseIndex([]);
 */
export async function generateCaseIndex(sandboxDataDirs: readonly string[]): Promise<string> {
  const report = await loadCaseDirectories(caseRoots(sandboxDataDirs));
  return renderCaseIndex(report, allEndpoints().map((e) => e.endpoint), REPO_ROOT);
}

/** A one-line progress bar on stderr, only on a terminal. */
function progressBar(stream: NodeJS.WriteStream): { update(done: number, total: number): void; end(): void } {
  if (!stream.isTTY) return { update: () => undefined, end: () => undefined };
  let last = -1;
  return {
    update(done, total) {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      if (filled === last && done !== total) return;
      last = filled;
      stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} fichiers`);
    },
    end() {
      if (last >= 0) stream.write('\r\u001b[2K');
    },
  };
}

/** Groups problems by file, paths relative to the checked root. */
export function formatProblems(root: string, problems: readonly CaseProblem[]): string[] {
  const lines: string[] = [];
  let current: string | undefined;
  for (const problem of problems) {
    const file = path.relative(root, problem.file) || problem.file;
    if (file !== current) {
      if (current !== undefined) lines.push('');
      lines.push(`${file}`);
      current = file;
    }
    lines.push(`  - ${problem.message}`);
  }
  return lines;
}

async function reloadRunningService(config: Config): Promise<ReloadSummary> {
  let endpoint: { url: string };
  try {
    endpoint = JSON.parse(readFileSync(path.join(config.dataDir, ADMIN_ENDPOINT_FILE), 'utf8')) as { url: string };
  } catch {
    throw new Error(`aucun service en cours d’exécution sur ${config.dataDir} (pas de ${ADMIN_ENDPOINT_FILE}) : un service lit ses cas au démarrage`);
  }
  const response = await fetch(new URL(SANDBOX_RELOAD_PATH, endpoint.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${loadLocalSecrets(config.dataDir).adminSecret}` },
  }).catch((error: Error) => {
    throw new Error(`le service ${endpoint.url} ne répond pas (${error.message}) : est-il arrêté ?`);
  });
  const payload = (await response.json()) as ReloadSummary & { error?: string };
  if (response.status === 401) throw new Error(`le service ${endpoint.url} a refusé l’appel : lancez la commande sur sa machine, avec son DATA_DIR`);
  if (!response.ok) throw new Error(`le rechargement a échoué (${response.status}) : ${payload.error ?? ''} ; les cas précédents restent servis`);
  return payload;
}

/**
 * Adds the `sandbox` command group to the CLI.
 * @example
 * registerSandboxCommands(program, config, out);
 */
export function registerSandboxCommands(program: Command, config: () => Config, out: (line: string) => void): void {
  const sandbox = program.command('sandbox').description('Cas du bac à sable : vérification, index, rechargement');

  sandbox
    .command('check <dir>')
    .description('Vérifie des cas (dossiers nommés par operationId, disposition de siade_staging_data/payloads) ; code de sortie 1 si un problème est trouvé')
    .action(async (dir: string) => {
      const root = path.resolve(dir);
      const bar = progressBar(process.stderr);
      const report = await checkCaseRoot(root, allEndpoints().map((e) => e.endpoint), { onProgress: bar.update });
      bar.end();
      const files = new Set(report.problems.map((p) => p.file)).size;
      for (const line of formatProblems(root, report.problems)) out(line);
      if (report.problems.length > 0) out('');
      out(
        report.problems.length === 0
          ? `${report.files} fichier(s) vérifié(s) dans ${root} : aucun problème.`
          : `${report.files} fichier(s) vérifié(s) dans ${root} : ${report.problems.length} problème(s) dans ${files} fichier(s) ou dossier(s).`,
      );
      if (report.problems.length > 0) process.exitCode = 1;
    });

  sandbox
    .command('index')
    .description(`Écrit l’index Markdown des cas (ceux du projet et de SANDBOX_DATA_DIRS) ; défaut : ${CASE_INDEX_FILE}`)
    .option('--out <file>', 'fichier à écrire ; « - » pour la sortie standard')
    .action(async (options: { out?: string }) => {
      const markdown = await generateCaseIndex(config().sandboxDataDirs);
      if (options.out === '-') return out(markdown.trimEnd());
      const file = path.resolve(options.out ?? path.join(REPO_ROOT, CASE_INDEX_FILE));
      writeFileSync(file, markdown);
      out(`Index des cas écrit dans ${file}.`);
    });

  sandbox
    .command('reload')
    .description('Fait relire ses cas au service en cours d’exécution (sans redémarrage)')
    .action(async () => {
      const summary = await reloadRunningService(config());
      for (const problem of summary.problems) out(`${problem.file}\n  - ${problem.message}`);
      out(`Cas rechargés : ${summary.cases} cas, ${summary.franceConnectTokens} jeton(s) FranceConnect, ${summary.problems.length} problème(s).`);
      if (summary.problems.length > 0) process.exitCode = 1;
    });
}
