/**
 * Loads sandbox case directories (CONTRACT §6). Each directory is a **root** in the official
 * `siade_staging_data/payloads/` layout: its sub-folders are operationIds holding `*.yaml|*.yml`
 * cases, and a sub-folder named `france_connect` holds the fake FranceConnect tokens (CONTRACT §5.3).
 * A folder that *is* one operationId folder is not accepted: give its parent (the message says so).
 *
 * Several roots stack, in the order given (the shipped cases first, then `SANDBOX_DATA_DIRS`):
 * - cases add up: every case of every root is kept, in root order then path order;
 * - a case whose params are identical to an earlier root's case overrides it (the matcher replaces
 *   it in place, see `match-case.ts`), so a root can redefine one person without copying a folder;
 * - a fake FranceConnect token defined again by a later root is replaced by it.
 * Within one folder, two cases with identical params (or two files for one token) are a mistake the
 * official CI rejects (`duplicate_params_spec.rb`): the first is kept, the second reported.
 *
 * Nothing here throws for bad data: each unreadable or invalid file, and each missing root, becomes
 * one entry of `problems`, which the app logs at boot.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseIntrospection, type FranceConnectIntrospection } from '../franceconnect/introspection.ts';
import { parseCaseFile, type CaseProblem, type SandboxCase } from './case-file.ts';
import { paramsKey } from './match-case.ts';

/** The folder of fake FranceConnect tokens inside a root. */
export const FRANCE_CONNECT_FOLDER = 'france_connect';

/** What the sandbox knows after loading its roots. */
export interface LoadReport {
  /** Cases per operationId, in load order (root order, then file path order). */
  cases: Map<string, SandboxCase[]>;
  /** Fake FranceConnect tokens by bearer value (`params.token`). */
  franceConnectTokens: Map<string, { file: string; introspection: FranceConnectIntrospection }>;
  problems: CaseProblem[];
}

const CASE_FILE = /\.ya?ml$/i;

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The YAML files of one root, grouped by folder, sorted by path; or a problem for the root. */
async function listRoot(root: string): Promise<{ folders: Array<{ name: string; files: string[] }> } | CaseProblem> {
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => error);
  if (entries instanceof Error) {
    const why = entries.code === 'ENOENT' ? 'dossier introuvable' : entries.code === 'ENOTDIR' ? 'ce n’est pas un dossier' : entries.message;
    return { file: root, message: `dossier de cas du bac à sable illisible : ${why}` };
  }
  if (entries.some((e) => e.isFile() && CASE_FILE.test(e.name))) {
    return {
      file: root,
      message: 'ce dossier contient directement des fichiers YAML : indiquez son parent (un dossier de dossiers nommés par operationId)',
    };
  }
  const names = entries.filter((e) => !e.name.startsWith('.')).map((e) => e.name).sort(byPath);
  const folders = await Promise.all(
    names.map(async (name) => {
      const dir = path.join(root, name);
      if (!(await isDirectory(dir))) return undefined;
      const files = (await readdir(dir)).filter((f) => CASE_FILE.test(f) && !f.startsWith('.')).sort(byPath);
      return { name, files: files.map((f) => path.join(dir, f)) };
    }),
  );
  return { folders: folders.filter((f) => f !== undefined) };
}

async function readCase(file: string, operationId: string): Promise<SandboxCase | CaseProblem> {
  const text = await readFile(file, 'utf8').catch((error: Error) => error);
  if (text instanceof Error) return { file, message: `lecture impossible : ${text.message}` };
  return parseCaseFile(file, text, operationId);
}

function asToken(parsed: SandboxCase): { token: string; introspection: FranceConnectIntrospection } | CaseProblem {
  const token = parsed.params.token;
  if (typeof token !== 'string' || token === '') {
    return { file: parsed.file, message: 'un jeton FranceConnect factice doit avoir params.token (chaîne non vide)' };
  }
  if (parsed.status !== 200) return { file: parsed.file, message: 'un jeton FranceConnect factice doit avoir status 200' };
  const introspection = parseIntrospection(parsed.body);
  if ('error' in introspection) return { file: parsed.file, message: introspection.error };
  return { token, introspection };
}

/**
 * Loads case roots; files are read in parallel, results are ordered by root then path.
 * @example
 * const report = await loadCaseDirectories([dssCasesDir, OWN_CASES_DIR, ...config.sandboxDataDirs]);
 * for (const p of report.problems) log.warn(p);
 * report.cases.get('api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility');
 */
export async function loadCaseDirectories(dirs: readonly string[]): Promise<LoadReport> {
  const report: LoadReport = { cases: new Map(), franceConnectTokens: new Map(), problems: [] };
  const roots = await Promise.all(
    dirs.map(async (dir) => {
      const listed = await listRoot(dir);
      if ('message' in listed) return listed;
      return Promise.all(
        listed.folders.map(async ({ name, files }) => ({ name, parsed: await Promise.all(files.map((f) => readCase(f, name))) })),
      );
    }),
  );

  for (const root of roots) {
    if (!Array.isArray(root)) {
      report.problems.push(root);
      continue;
    }
    for (const { name, parsed } of root) {
      const seen = new Map<string, string>();
      for (const item of parsed) {
        if ('message' in item) {
          report.problems.push(item);
        } else if (name === FRANCE_CONNECT_FOLDER) {
          const token = asToken(item);
          if ('message' in token) report.problems.push(token);
          else if (seen.has(token.token)) report.problems.push({ file: item.file, message: `jeton ${token.token} déjà défini par ${seen.get(token.token)}` });
          else {
            seen.set(token.token, item.file);
            report.franceConnectTokens.set(token.token, { file: item.file, introspection: token.introspection });
          }
        } else {
          const key = paramsKey(item.params);
          const first = seen.get(key);
          if (first !== undefined) {
            report.problems.push({ file: item.file, message: `params identiques à ceux de ${first} : cas ignoré` });
            continue;
          }
          seen.set(key, item.file);
          const list = report.cases.get(name);
          if (list === undefined) report.cases.set(name, [item]);
          else list.push(item);
        }
      }
    }
  }
  return report;
}
