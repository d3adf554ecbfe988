/**
 * One sandbox case file in the public `siade_staging_data` format (CONTRACT §6): YAML with
 * `description`, `params`, `status` and `payload` (the JSON body, as a string). Parsing never
 * throws: a bad file becomes a {@link CaseProblem} the loader reports, so one broken contribution
 * does not take the sandbox down.
 */
import { parse } from 'yaml';

/** A parsed, checked case: "when a request carries these params, answer this status and body". */
export interface SandboxCase {
  /** Path of the YAML file, for messages and the load order. */
  file: string;
  /** Folder name: the official `x-operationId` of the route it answers. */
  operationId: string;
  title: string;
  description: string;
  /** Match keys, spelled as written (YAML lists stay arrays). */
  params: Record<string, unknown>;
  status: number;
  /** The parsed `payload`, served as is. */
  body: unknown;
}

/** Why a file was not loaded. */
export interface CaseProblem {
  file: string;
  message: string;
}

/** Statuses a case may simulate (SPEC, CONTRACT §6). */
export const CASE_STATUSES: ReadonlySet<number> = new Set([200, 400, 403, 404, 409, 422, 429, 500, 502, 503, 504, 509]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `title`, else the first Markdown heading of the description, else the file name. */
function titleOf(doc: Record<string, unknown>, description: string, file: string): string {
  if (typeof doc.title === 'string' && doc.title.trim() !== '') return doc.title.trim();
  const heading = /^\s*#+\s+(.+?)\s*#*\s*$/m.exec(description);
  if (heading?.[1] !== undefined) return heading[1];
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * Parses a case file's text.
 * @param file path of the file, kept for messages
 * @param text its content
 * @param operationId the folder it lives in
 * @example
 * const parsed = parseCaseFile('cases/x/404.yaml', text, 'x');
 * if ('message' in parsed) report(parsed); else cases.push(parsed);
 */
export function parseCaseFile(file: string, text: string, operationId: string): SandboxCase | CaseProblem {
  let doc: unknown;
  try {
    // `uniqueKeys` (default) rejects a duplicated key: in a case file it is always a mistake.
    doc = parse(text, { prettyErrors: false });
  } catch (error) {
    return { file, message: `YAML invalide : ${(error as Error).message.split('\n')[0]}` };
  }
  if (!isRecord(doc)) return { file, message: 'le fichier doit contenir un objet YAML (description, params, status, payload)' };

  const status = doc.status;
  if (typeof status !== 'number' || !CASE_STATUSES.has(status)) {
    return { file, message: `status ${JSON.stringify(status)} invalide : attendu l’un de ${[...CASE_STATUSES].join(', ')}` };
  }

  const params = doc.params ?? {};
  if (!isRecord(params)) return { file, message: 'params doit être un objet (clé: valeur)' };

  if (typeof doc.payload !== 'string') return { file, message: 'payload doit être une chaîne contenant le corps JSON de la réponse' };
  let body: unknown;
  try {
    body = JSON.parse(doc.payload);
  } catch (error) {
    // V8 quotes the start of the text ("… is not valid JSON"): the message is logged, the payload may be personal data.
    const why = (error as Error).message.replace(/,\s*".*" is not valid JSON$/s, '');
    return { file, message: `payload n’est pas du JSON valide : ${why}` };
  }

  const description = typeof doc.description === 'string' ? doc.description : '';
  return { file, operationId, title: titleOf(doc, description, file), description, params, status, body };
}
