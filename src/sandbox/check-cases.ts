/**
 * Checks a contributed sandbox root (official `payloads/` layout) against the rules of CONTRACT §6
 * and against this gateway's routes, for `api-particulier sandbox check <dir>`:
 *
 * - each file: YAML parses, `description` non-empty, `status` allowed, `payload` is JSON;
 * - each folder is a known operationId (or `france_connect`);
 * - `params`: every key is a param the route passes to the sandbox (else the case can never match:
 *   a misspelt key), every value passes the route's own param schema — a case may omit params
 *   (QF `404.yaml` has no `prenoms`), so only the params it holds are checked. FranceConnect routes
 *   hold the civil-status params the gateway derives from the citizen's identity (CONTRACT §5.2),
 *   checked against that shape after the route's `franceConnectParams`;
 * - `payload`: the route's 200 envelope `{data, links, meta}`, or the contract's error envelope;
 * - no two cases of one folder with identical params (official `duplicate_params_spec.rb`);
 * - `france_connect/` tokens: `params.token`, status 200, a valid introspection answer, no duplicate.
 *
 * Messages name files, params and schema paths, never values: cases may hold personal data.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Type, type TSchema } from 'typebox';
import { civilityFields } from '../core/civility.ts';
import type { EndpointDefinition, QueryParams } from '../core/endpoint.ts';
import { ApiError } from '../core/errors.ts';
import { parseIntrospection } from '../franceconnect/introspection.ts';
import { errorBodySchema, successResponseSchema } from '../gateway/route-schemas.ts';
import { compileParamsValidator, type ParamsValidator } from '../gateway/validate-params.ts';
import { parseCaseFile, type CaseProblem } from './case-file.ts';
import { FRANCE_CONNECT_FOLDER } from './load-cases.ts';
import { paramsKey } from './match-case.ts';

export interface CheckReport {
  /** YAML files read. */
  files: number;
  /** Problems, sorted by file path. */
  problems: CaseProblem[];
}

export interface CheckOptions {
  /** Called after each file, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** A SIRET that passes the gateway's check: cases never hold `recipient`, every request does. */
const RECIPIENT = '13002526500013';
const CASE_FILE = /\.ya?ml$/i;

// ajv-formats is CommonJS: its default export is the function under ESM/tsx.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const lenient = new Ajv({ allErrors: true, strict: false, coerceTypes: true });

/** The civil-status params the gateway derives from a FranceConnect identity (CONTRACT §5.2). */
const identityFields: Record<string, TSchema> = {
  nomNaissance: civilityFields.nomNaissance(),
  nomUsage: civilityFields.nomUsage(),
  prenoms: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  anneeDateNaissance: civilityFields.anneeDateNaissance(),
  moisDateNaissance: civilityFields.moisDateNaissance(),
  jourDateNaissance: civilityFields.jourDateNaissance(),
  sexeEtatCivil: civilityFields.sexeEtatCivil(),
  codeCogInseePaysNaissance: Type.String({ pattern: '^[0-9]{5}$' }),
  codeCogInseeCommuneNaissance: civilityFields.codeCogInseeCommuneNaissance(),
};

/** A full identity, to learn which keys (and value kinds) a route's `franceConnectParams` keeps. */
const SAMPLE_IDENTITY: QueryParams = {
  nomNaissance: 'MARTIN',
  nomUsage: 'DURAND',
  prenoms: ['Jean', 'Paul'],
  anneeDateNaissance: 1990,
  moisDateNaissance: 1,
  jourDateNaissance: 2,
  sexeEtatCivil: 'M',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '75056',
};

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

function looseSchema(value: unknown): TSchema {
  if (Array.isArray(value)) return Type.Array(Type.Unknown());
  if (typeof value === 'number') return Type.Number();
  if (typeof value === 'boolean') return Type.Boolean();
  return Type.String();
}

function ajvMessages(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  return (
    (errors ?? [])
      // A failed union also reports each failed branch: its own message is enough.
      .filter((e) => !/\/(anyOf|oneOf)\/[0-9]+\//.test(e.schemaPath))
      .slice(0, 5)
      .map((e) => {
        const message = e.keyword === 'anyOf' || e.keyword === 'oneOf' ? 'ne correspond à aucune des formes permises' : (e.message ?? 'invalide');
        return `${prefix}${e.instancePath || ''} : ${message}`;
      })
  );
}

interface RouteChecks {
  endpoint: EndpointDefinition;
  validateParams: ParamsValidator;
  /** Wire names of the route's own params. */
  declared: string[];
  /** FranceConnect routes: the derived identity params the route passes on, with their schema. */
  identity?: { keys: Set<string>; dropped: Set<string>; validate: ValidateFunction };
  validateSuccess: ValidateFunction;
}

const validateError = ajv.compile(structuredClone(errorBodySchema));

function routeChecks(endpoint: EndpointDefinition): RouteChecks {
  const partial = { ...endpoint, params: Type.Partial(endpoint.params) };
  const checks: RouteChecks = {
    endpoint,
    validateParams: compileParamsValidator(partial),
    declared: Object.keys(endpoint.params.properties),
    validateSuccess: ajv.compile(structuredClone(successResponseSchema(endpoint))),
  };
  if (endpoint.modality === 'france_connect') {
    const derived = endpoint.franceConnectParams?.({ ...SAMPLE_IDENTITY }) ?? SAMPLE_IDENTITY;
    const properties: Record<string, TSchema> = {};
    for (const [key, value] of Object.entries(derived)) {
      const field = identityFields[key];
      properties[key] = field !== undefined && kindOf(value) === kindOf(SAMPLE_IDENTITY[key]) ? Type.Optional(field) : Type.Optional(looseSchema(value));
    }
    const keys = new Set(Object.keys(derived));
    checks.identity = {
      keys,
      dropped: new Set(Object.keys(SAMPLE_IDENTITY).filter((k) => !keys.has(k))),
      validate: lenient.compile(structuredClone(Type.Object(properties))),
    };
  }
  return checks;
}

/** Problems of one case's params for its route. */
function paramsProblems(checks: RouteChecks, params: Record<string, unknown>): string[] {
  const out: string[] = [];
  const query: Record<string, unknown> = { recipient: RECIPIENT };
  const identityPart: Record<string, unknown> = {};
  const present = new Set<string>();
  for (const [key, value] of Object.entries(params)) {
    const bare = key.endsWith('[]') ? key.slice(0, -2) : key;
    if (bare === 'recipient') continue;
    if (checks.identity?.keys.has(bare)) {
      if (value !== null) identityPart[bare] = value;
      continue;
    }
    const wire = checks.declared.includes(bare) ? bare : checks.declared.includes(`${bare}[]`) ? `${bare}[]` : undefined;
    if (wire === undefined) {
      const why = checks.identity?.dropped.has(bare)
        ? 'cette route FranceConnect ne transmet pas ce paramètre d’identité au fournisseur'
        : checks.endpoint.modality === 'france_connect'
          ? 'ni un paramètre d’identité FranceConnect ni un paramètre de la route'
          : 'la route ne déclare pas ce paramètre (faute de frappe ?)';
      out.push(`params.${key} : ${why} ; le cas ne correspondra jamais`);
      continue;
    }
    if (value === null) continue;
    present.add(wire);
    query[wire] = wire.endsWith('[]') && !Array.isArray(value) ? [value] : value;
  }
  try {
    checks.validateParams(query);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    for (const item of error.items) {
      const parameter = item.source?.parameter ?? '';
      // A rule about a param the case does not hold (e.g. "born in France → commune") is not the case's fault.
      if (present.has(parameter)) out.push(`params.${parameter.replace(/\[\]$/, '')} : ${item.detail}`);
    }
  }
  if (checks.identity !== undefined && !checks.identity.validate(identityPart)) {
    out.push(...ajvMessages(checks.identity.validate.errors, 'params (identité FranceConnect)'));
  }
  return out;
}

function payloadProblems(checks: RouteChecks, status: number, body: unknown): string[] {
  const validate = status === 200 ? checks.validateSuccess : validateError;
  if (validate(body)) return [];
  const what = status === 200 ? 'payload (réponse 200 de la route)' : `payload (enveloppe d’erreur, status ${status})`;
  return ajvMessages(validate.errors, what);
}

async function listRoot(root: string): Promise<{ folders: Array<{ name: string; dir: string; files: string[] }> } | CaseProblem> {
  const entries = await readdir(root, { withFileTypes: true }).catch((error: Error) => error);
  if (entries instanceof Error) return { file: root, message: `dossier illisible : ${entries.message}` };
  if (entries.some((e) => e.isFile() && CASE_FILE.test(e.name))) {
    return { file: root, message: 'ce dossier contient directement des fichiers YAML : indiquez son parent (un dossier de dossiers nommés par operationId)' };
  }
  const folders = [];
  for (const entry of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = path.join(root, entry.name);
    const files = (await readdir(dir)).filter((f) => CASE_FILE.test(f) && !f.startsWith('.')).sort();
    folders.push({ name: entry.name, dir, files: files.map((f) => path.join(dir, f)) });
  }
  return { folders };
}

/**
 * Checks one root.
 * @example
 * const report = await checkCaseRoot('/path/to/siade_staging_data/payloads', allEndpoints().map((e) => e.endpoint));
 * process.exitCode = report.problems.length > 0 ? 1 : 0;
 */
export async function checkCaseRoot(root: string, endpoints: readonly EndpointDefinition[], options: CheckOptions = {}): Promise<CheckReport> {
  const listed = await listRoot(root);
  if ('message' in listed) return { files: 0, problems: [listed] };
  const byOperationId = new Map(endpoints.map((e) => [e.operationId, e]));
  const checksOf = new Map<string, RouteChecks>();
  const problems: CaseProblem[] = [];
  const total = listed.folders.reduce((n, f) => n + f.files.length, 0);
  let done = 0;

  for (const folder of listed.folders) {
    const endpoint = byOperationId.get(folder.name);
    const isTokens = folder.name === FRANCE_CONNECT_FOLDER;
    if (endpoint === undefined && !isTokens && folder.files.length > 0) {
      problems.push({
        file: folder.dir,
        message: `dossier « ${folder.name} » : aucune route ne porte cet operationId ; ses ${folder.files.length} cas ne seront jamais servis`,
      });
    }
    let checks: RouteChecks | undefined;
    if (endpoint !== undefined) {
      checks = checksOf.get(endpoint.operationId) ?? routeChecks(endpoint);
      checksOf.set(endpoint.operationId, checks);
    }
    const seen = new Map<string, string>();
    for (const file of folder.files) {
      const report = (message: string): number => problems.push({ file, message });
      const text = await readFile(file, 'utf8').catch((error: Error) => error);
      done += 1;
      options.onProgress?.(done, total);
      if (text instanceof Error) {
        report(`lecture impossible : ${text.message}`);
        continue;
      }
      const parsed = parseCaseFile(file, text, folder.name);
      if ('message' in parsed) {
        report(parsed.message);
        continue;
      }
      if (parsed.description.trim() === '') report('description vide : elle est obligatoire (titre `## …`, ce que le cas teste, comment le déclencher)');

      if (isTokens) {
        const token = parsed.params.token;
        if (typeof token !== 'string' || token === '') report('params.token : un jeton FranceConnect factice doit avoir un token (chaîne non vide)');
        else if (seen.has(token)) report(`jeton « ${token} » déjà défini par ${path.basename(seen.get(token) as string)}`);
        else seen.set(token, file);
        if (parsed.status !== 200) report('status : un jeton FranceConnect factice a le status 200');
        const introspection = parseIntrospection(parsed.body);
        if ('error' in introspection) report(`payload : ${introspection.error}`);
        continue;
      }

      const key = paramsKey(parsed.params);
      const first = seen.get(key);
      if (first !== undefined) report(`params identiques à ceux de ${path.basename(first)} : ce cas ne sera jamais servi (CONTRACT §6)`);
      else seen.set(key, file);

      if (checks === undefined) continue;
      for (const message of paramsProblems(checks, parsed.params)) report(message);
      for (const message of payloadProblems(checks, parsed.status, parsed.body)) report(message);
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files: total, problems };
}
