/**
 * Issue 3 acceptance test: every v3/v4 case of the public staging data (`../shared/staging-data`,
 * from `etalab/siade_staging_data`) is replayed through the HTTP API, and the status and the JSON
 * body must be the case's for at least 98 % of them. FranceConnect cases are replayed with a fake
 * FranceConnect token generated for each case's identity (the reverse of `civilityParamsFromIdentity`).
 * The only exclusions are those CONTRACT §6 names: misspelt keys, the INE-folder 404 keyed on
 * `nomNaissance`, duplicate params within a folder, and 400/401 cases; each is listed.
 *
 * The project's own cases (each provider's and the cast's) are replayed the same way, FranceConnect
 * ones through the cast's tokens, and must all pass.
 *
 * Without `../shared` the staging part says so and skips; CI always has it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TSchema } from 'typebox';
import { stringify } from 'yaml';
import type { EndpointDefinition, QueryParams } from '../src/core/endpoint.ts';
import { civilityParamsFromIdentity, identityFromIntrospection } from '../src/franceconnect/identity.ts';
import { allEndpoints, allScopes } from '../src/providers/index.ts';
import { parseCaseFile, type SandboxCase } from '../src/sandbox/case-file.ts';
import { FRANCE_CONNECT_FOLDER, loadCaseDirectories } from '../src/sandbox/load-cases.ts';
import { exampleFromSchema } from '../src/sandbox/example-from-schema.ts';
import { matchCase, paramsKey } from '../src/sandbox/match-case.ts';
import { OWN_CASES_DIR } from '../src/sandbox/sandbox-driver.ts';
import { providers } from '../src/providers/index.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

/**
 * Date-relative rules (the quotient familial's 2-year history window, birth dates in the future) are
 * judged at a fixed instant — the day these cases were last reviewed — so the replay does not change
 * verdict as the calendar moves on.
 */
const REPLAY_CLOCK = new Date('2026-11-23T12:00:00Z');

const ROOT = path.resolve(import.meta.dirname, '..');
const STAGING = path.resolve(ROOT, '..', 'shared', 'staging-data');
const present = existsSync(STAGING);
const SKIP = `${STAGING} is absent: place the shared/ folder beside the repository to replay the staging cases`;
const RECIPIENT = '13002526500013';
const REPLAY_CLIENT = 'replay-franceconnect-client';
const CAST_CLIENT = 'sandbox-franceconnect-client';

/** Keys CONTRACT §6 lists as typos in the official cases: such a case can never match. */
const MISSPELT_KEYS = ['nomNaissange', 'anneeDateDaissance', 'codeInseeLieuDaissance', 'codePaysLieuDaissance', 'anneeNateNaissance'];
/** The civil-status params a FranceConnect route derives from the citizen's identity (CONTRACT §5.2). */
const IDENTITY_KEYS = new Set([
  'nomNaissance',
  'nomUsage',
  'prenoms',
  'anneeDateNaissance',
  'moisDateNaissance',
  'jourDateNaissance',
  'sexeEtatCivil',
  'codeCogInseePaysNaissance',
  'codeCogInseeCommuneNaissance',
]);

const endpointsById = new Map(allEndpoints().map(({ endpoint }) => [endpoint.operationId, endpoint]));

interface Replayed {
  case: SandboxCase;
  /** Why the case is left out (CONTRACT §6), or undefined. */
  excluded?: string;
  /** Why it failed, or undefined when it passed. */
  failure?: string;
}

/** The query a caller sends for these params: arrays in the contract's bracket style, plus `recipient`. */
function queryOf(params: Record<string, unknown>): string {
  const query = new URLSearchParams({ recipient: RECIPIENT });
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) query.append(key.endsWith('[]') ? key : `${key}[]`, String(item));
    else query.append(key, String(value));
  }
  return query.toString();
}

function splitParams(params: Record<string, unknown>): { identity: Record<string, unknown>; route: Record<string, unknown> } {
  const identity: Record<string, unknown> = {};
  const route: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const bare = key.replace(/\[\]$/, '');
    if (IDENTITY_KEYS.has(bare)) identity[bare] = value;
    else route[key] = value;
  }
  return { identity, route };
}

const two = (n: unknown): string => String(n ?? 0).padStart(2, '0');

/** A FranceConnect introspection whose derived params are the case's identity params. */
function introspectionFor(identity: Record<string, unknown>, index: number): unknown {
  const prenoms = identity.prenoms === undefined ? ['Camille'] : ([] as unknown[]).concat(identity.prenoms).map(String);
  const year = identity.anneeDateNaissance === undefined ? '0000' : String(identity.anneeDateNaissance).padStart(4, '0');
  const country = identity.codeCogInseePaysNaissance === undefined ? '99100' : String(identity.codeCogInseePaysNaissance);
  const claims: Record<string, unknown> = {
    active: true,
    aud: REPLAY_CLIENT,
    sub: `replay-subject-${index}`,
    iat: 1767261600,
    exp: 1767261660,
    acr: 'eidas1',
    jti: `replay-${index}`,
    scope: `openid identite_pivot ${allScopes().join(' ')}`,
    gender: identity.sexeEtatCivil === 'F' ? 'female' : 'male',
    family_name: identity.nomNaissance === undefined ? 'INCONNU' : String(identity.nomNaissance),
    given_name: prenoms.join(' '),
    given_name_array: prenoms,
    birthdate: `${year}-${two(identity.moisDateNaissance)}-${two(identity.jourDateNaissance)}`,
    birthplace: identity.codeCogInseeCommuneNaissance === undefined ? '' : String(identity.codeCogInseeCommuneNaissance).padStart(5, '0'),
    birthcountry: country,
  };
  if (identity.nomUsage !== undefined && identity.nomUsage !== null) claims.preferred_username = String(identity.nomUsage);
  return { aud: 'replay', iat: 1767261600, iss: 'https://franceconnect.replay.invalid/api/v2', token_introspection: claims };
}

/** The first differing paths of two JSON values (paths only: bodies may be long). */
function diffPaths(expected: unknown, actual: unknown, at = '', out: string[] = []): string[] {
  if (out.length >= 4) return out;
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null && Array.isArray(expected) === Array.isArray(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const e = (expected as Record<string, unknown>)[key];
      const a = (actual as Record<string, unknown>)[key];
      if (!(key in expected)) out.push(`${at}/${key} en trop`);
      else if (!(key in actual)) out.push(`${at}/${key} manquant`);
      else diffPaths(e, a, `${at}/${key}`, out);
    }
    return out;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push(`${at || '/'} diffère`);
  return out;
}

/**
 * CONTRACT §6 names "an INE-folder 404 keyed on nomNaissance"; the subset holds its mirror, the
 * civility-folder MESRI `404.yaml` keyed on `ine`. Either way the route never receives the key.
 */
function keyedOnOtherModality(folder: string, c: SandboxCase): boolean {
  if (c.status !== 404) return false;
  return (folder.endsWith('_with_ine') && 'nomNaissance' in c.params) || (folder.endsWith('_with_civility') && 'ine' in c.params);
}

/**
 * CONTRACT §6: FranceConnect cases keyed on `nomUsage: MARTIN` never match. The generated token
 * carries that usage name, so they pass, except on routes whose `franceConnectParams` drop `nomUsage`.
 */
function usageNameDropped(folder: string, c: SandboxCase): boolean {
  const endpoint = endpointsById.get(folder);
  if (endpoint?.modality !== 'france_connect' || c.params.nomUsage !== 'MARTIN' || endpoint.franceConnectParams === undefined) return false;
  return !('nomUsage' in endpoint.franceConnectParams({ nomNaissance: 'X', nomUsage: 'MARTIN', prenoms: ['Y'] }));
}

/** Reads the v3/v4 cases of a root, with the exclusions CONTRACT §6 allows. */
function readCases(root: string, folderFilter: (name: string) => boolean): Replayed[] {
  const out: Replayed[] = [];
  for (const folder of readdirSync(root).sort()) {
    if (folder === FRANCE_CONNECT_FOLDER || !folderFilter(folder)) continue;
    const dir = path.join(root, folder);
    const seen = new Map<string, string>();
    for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort()) {
      const file = path.join(dir, name);
      const parsed = parseCaseFile(file, readFileSync(file, 'utf8'), folder);
      if ('message' in parsed) throw new Error(`${file}: ${parsed.message}`);
      const key = paramsKey(parsed.params);
      const misspelt = Object.keys(parsed.params).filter((k) => MISSPELT_KEYS.includes(k));
      let excluded: string | undefined;
      if (seen.has(key)) excluded = `params identiques à ceux de ${seen.get(key)} (CONTRACT §6, duplicate params)`;
      else if (parsed.status === 400 || parsed.status === 401) excluded = `status ${parsed.status} : jamais servi depuis un cas (CONTRACT §6)`;
      else if (misspelt.length > 0) excluded = `clé mal orthographiée ${misspelt.join(', ')} (CONTRACT §6)`;
      else if (keyedOnOtherModality(folder, parsed)) excluded = '404 indexé sur le paramètre d’une autre modalité (CONTRACT §6 : « an INE-folder 404 keyed on nomNaissance »)';
      else if (usageNameDropped(folder, parsed)) excluded = 'nomUsage MARTIN que la route FranceConnect ne transmet pas (CONTRACT §6 : cas FranceConnect CNAF qui ne correspondent jamais)';
      if (!seen.has(key)) seen.set(key, name);
      out.push({ case: parsed, excluded });
    }
  }
  return out;
}

/**
 * Required params the case does not hold, with the schema's example: a case matches whatever it does
 * not name (CONTRACT §6: QF `404.yaml` has no `prenoms` yet must be reachable with mandatory `prenoms[]`).
 */
function withRequired(endpoint: EndpointDefinition, params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  const properties = endpoint.params.properties as Record<string, TSchema>;
  for (const wire of (endpoint.params.required as string[] | undefined) ?? []) {
    const bare = wire.replace(/\[\]$/, '');
    if (wire in out || bare in out) continue;
    out[wire] = exampleFromSchema(properties[wire]);
  }
  return out;
}

type Answer = { statusCode: number; body: { errors?: Array<{ code?: string; source?: { parameter?: string } | null }> } };

async function replay(t: TestApp, item: Replayed, bearer: string, params: Record<string, unknown>): Promise<void> {
  const endpoint = endpointsById.get(item.case.operationId) as EndpointDefinition;
  const properties = endpoint.params.properties as Record<string, TSchema>;
  const query = withRequired(endpoint, params);
  const call = async (): Promise<Answer> => {
    const response = await t.app.server.inject({ url: `${endpoint.path}?${queryOf(query)}`, headers: { authorization: `Bearer ${bearer}` } });
    return { statusCode: response.statusCode, body: response.json() };
  };
  let answer = await call();
  // A rule may ask for a param the case does not name (MEN: one perimeter param): the case matches
  // any value of it, so a caller sends a valid one. Only params the case does not hold are added.
  for (let round = 0; round < 2 && answer.statusCode === 422 && item.case.status !== 422; round += 1) {
    const missing = (answer.body.errors ?? [])
      .map((e) => e.source?.parameter ?? '')
      .filter((p) => p in properties && !(p in query) && !(p.replace(/\[\]$/, '') in query));
    if (missing.length === 0) break;
    for (const p of missing) query[p] = exampleFromSchema(properties[p]);
    answer = await call();
  }
  const response = answer;
  const body = answer.body;
  const problems: string[] = [];
  if (response.statusCode !== item.case.status) {
    const code = body.errors?.[0]?.code;
    problems.push(`status ${response.statusCode}${code ? ` (${code})` : ''} au lieu de ${item.case.status}`);
  } else {
    problems.push(...diffPaths(item.case.body, body));
  }
  if (problems.length > 0) item.failure = problems.join(' ; ');
}

function summarise(label: string, items: Replayed[]): { rate: number; lines: string[] } {
  const counted = items.filter((i) => i.excluded === undefined);
  const passed = counted.filter((i) => i.failure === undefined).length;
  const rate = counted.length === 0 ? 1 : passed / counted.length;
  const rel = (file: string): string => path.relative(path.resolve(ROOT, '..'), file);
  const lines = [`${label} : ${passed}/${counted.length} cas rejoués à l’identique (${(rate * 100).toFixed(1)} %), ${items.length - counted.length} exclu(s)`];
  for (const i of items.filter((x) => x.excluded !== undefined)) lines.push(`  exclu  ${rel(i.case.file)} — ${i.excluded}`);
  for (const i of counted.filter((x) => x.failure !== undefined)) lines.push(`  échec  ${rel(i.case.file)} — ${i.failure}`);
  return { rate, lines };
}

describe('staging replay: the official v3/v4 cases through the HTTP API (issue 3)', () => {
  let t: TestApp | undefined;
  let fcRoot: string | undefined;
  let items: Replayed[] = [];
  const fcTokenOf = new Map<Replayed, string>();

  before(async () => {
    if (!present) return;
    items = readCases(STAGING, (name) => /^api_particulier_v[34]_/.test(name));
    fcRoot = mkdtempSync(path.join(tmpdir(), 'apip-replay-fc-'));
    mkdirSync(path.join(fcRoot, FRANCE_CONNECT_FOLDER));
    items.forEach((item, index) => {
      const endpoint = endpointsById.get(item.case.operationId);
      if (item.excluded !== undefined || endpoint?.modality !== 'france_connect') return;
      const token = `replay_${index}`;
      fcTokenOf.set(item, token);
      const payload = JSON.stringify(introspectionFor(splitParams(item.case.params).identity, index));
      writeFileSync(
        path.join(fcRoot as string, FRANCE_CONNECT_FOLDER, `${token}.yaml`),
        stringify({ description: `## ${path.basename(item.case.file)}`, params: { token }, status: 200, payload }),
      );
    });
    t = await testApp({ env: { SANDBOX_DATA_DIRS: `${STAGING}:${fcRoot}` }, overrides: { now: () => REPLAY_CLOCK } });
  });
  after(async () => {
    await t?.close();
    if (fcRoot !== undefined) rmSync(fcRoot, { recursive: true, force: true });
  });

  test('at least 98 % of the non-excluded cases answer their status and body', async (ctx) => {
    if (!present || t === undefined) return ctx.skip(SKIP);
    const app = t;
    const apiToken = await app.token({ allScopes: true, fcClientIds: [REPLAY_CLIENT] });
    for (const item of items) {
      if (item.excluded !== undefined) continue;
      const endpoint = endpointsById.get(item.case.operationId);
      if (endpoint === undefined) {
        item.failure = 'aucune route ne porte cet operationId';
        continue;
      }
      const fcToken = fcTokenOf.get(item);
      if (fcToken !== undefined) await replay(app, item, fcToken, splitParams(item.case.params).route);
      else await replay(app, item, apiToken, item.case.params);
    }
    const { rate, lines } = summarise('Cas officiels (staging-data)', items);
    console.log(lines.join('\n'));
    assert.ok(items.length > 200, 'the staging data holds the v3/v4 cases');
    assert.ok(rate >= 0.98, `${(rate * 100).toFixed(1)} % < 98 % — see the failures listed above`);
  });
});

describe('own cases replay: every shipped case through the HTTP API', () => {
  let t: TestApp;
  let items: Replayed[] = [];

  before(async () => {
    const roots = [...providers.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : []))];
    items = roots.flatMap((root) => readCases(root, () => true));
    t = await testApp({ overrides: { now: () => REPLAY_CLOCK } });
  });
  after(async () => {
    await t?.close();
  });

  test('100 % of the project’s cases answer their status and body; FranceConnect ones through the cast tokens', async () => {
    const apiToken = await t.token({ allScopes: true, fcClientIds: [CAST_CLIENT] });
    const cast = (await loadCaseDirectories([OWN_CASES_DIR])).franceConnectTokens;
    const byFolder = new Map<string, SandboxCase[]>();
    for (const item of items) byFolder.set(item.case.operationId, [...(byFolder.get(item.case.operationId) ?? []), item.case]);
    for (const item of items) {
      const endpoint = endpointsById.get(item.case.operationId);
      if (endpoint === undefined) {
        item.failure = 'aucune route ne porte cet operationId';
        continue;
      }
      if (endpoint.modality !== 'france_connect') {
        await replay(t, item, apiToken, item.case.params);
        continue;
      }
      const route = splitParams(item.case.params).route;
      // The cast token whose derived params reach exactly this case.
      const token = [...cast].find(([, { introspection }]) => {
        const identity: QueryParams = civilityParamsFromIdentity(identityFromIntrospection(introspection));
        const derived = endpoint.franceConnectParams?.(identity) ?? identity;
        return matchCase(byFolder.get(endpoint.operationId) ?? [], { ...route, ...derived }) === item.case;
      })?.[0];
      if (token === undefined) item.failure = 'aucun jeton FranceConnect de la distribution n’atteint ce cas';
      else await replay(t, item, token, route);
    }
    const { rate, lines } = summarise('Cas du projet', items);
    console.log(lines.join('\n'));
    assert.ok(items.length > 0);
    assert.equal(rate, 1, lines.join('\n'));
  });
});
