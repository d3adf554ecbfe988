/**
 * Issue 8 acceptance test: every v2 case of the public staging data (`../shared/staging-data`,
 * `api_particulier_v2_*` folders, from `etalab/siade_staging_data`) is replayed through the HTTP API
 * as a v2 client sends it — `X-Api-Key`, v2 param names — and the status and JSON body must be the
 * case's for at least 98 % of them. Cases keyed on FranceConnect claims (`given_name`,
 * `family_name`…: Cnous and MESRI) are replayed with a fake FranceConnect token carrying those claims,
 * and the scopes of the official fake token of the same person when there is one (the
 * `…with_less_scopes` case shows masking). Exclusions, each listed with its reason, are those
 * CONTRACT §6 allows: 400/401 cases, duplicate params within a folder.
 *
 * The project's own v2 cases (`src/v2/cases/`) are replayed the same way and must all pass.
 * Without `../shared` the staging part says so and skips.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { allScopes } from '../src/providers/index.ts';
import { parseCaseFile, type SandboxCase } from '../src/sandbox/case-file.ts';
import { FRANCE_CONNECT_FOLDER, loadCaseDirectories } from '../src/sandbox/load-cases.ts';
import { paramsKey } from '../src/sandbox/match-case.ts';
import { v2Routes, V2_CASES_DIR } from '../src/v2/register-v2-routes.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

/** Birth dates in the future and the like are judged at a fixed instant. */
const REPLAY_CLOCK = new Date('2026-11-23T12:00:00Z');
const ROOT = path.resolve(import.meta.dirname, '..');
const STAGING = path.resolve(ROOT, '..', 'shared', 'staging-data');
const present = existsSync(STAGING);
const SKIP = `${STAGING} is absent: place the shared/ folder beside the repository to replay the staging cases`;
const RECIPIENT = '13002526500013';
const REPLAY_CLIENT = 'replay-v2-franceconnect-client';
const CLAIM_KEYS = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'preferred_username'];

const routeOf = new Map(v2Routes.map((r) => [r.operationId, r]));

interface Replayed {
  case: SandboxCase;
  excluded?: string;
  failure?: string;
}

function readCases(root: string, filter: (folder: string) => boolean): Replayed[] {
  const out: Replayed[] = [];
  for (const folder of readdirSync(root).sort()) {
    if (folder === FRANCE_CONNECT_FOLDER || !filter(folder)) continue;
    const seen = new Map<string, string>();
    const dir = path.join(root, folder);
    for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort()) {
      const file = path.join(dir, name);
      const parsed = parseCaseFile(file, readFileSync(file, 'utf8'), folder);
      if ('message' in parsed) throw new Error(`${file}: ${parsed.message}`);
      const key = paramsKey(parsed.params);
      let excluded: string | undefined;
      if (seen.has(key)) excluded = `params identiques à ceux de ${seen.get(key)} (CONTRACT §6, duplicate params)`;
      else if (parsed.status === 400 || parsed.status === 401) excluded = `status ${parsed.status} : jamais servi depuis un cas (CONTRACT §6)`;
      else if (unreachableClaims(parsed)) excluded = `${unreachableClaims(parsed)} : FranceConnect n’émet jamais cette valeur, le cas ne peut correspondre (CONTRACT §6, cas bruités)`;
      if (!seen.has(key)) seen.set(key, name);
      out.push({ case: parsed, excluded });
    }
  }
  return out;
}

const isClaimKeyed = (c: SandboxCase): boolean => CLAIM_KEYS.some((k) => k in c.params);

/**
 * A claim-keyed case whose claim values are in a format FranceConnect never sends (`birthdate`
 * `JJ/MM/AAAA`, `gender` `M`): no FranceConnect token reaches it. Returns why, or undefined.
 */
function unreachableClaims(c: SandboxCase): string | undefined {
  const { birthdate, gender } = c.params;
  if (birthdate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(birthdate))) return `birthdate ${String(birthdate)} hors format AAAA-MM-JJ`;
  if (gender !== undefined && gender !== 'male' && gender !== 'female') return `gender ${String(gender)} hors valeurs male/female`;
  return undefined;
}

function queryOf(params: Record<string, unknown>): string {
  const query = new URLSearchParams({ recipient: RECIPIENT });
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) query.append(key.endsWith('[]') ? key : `${key}[]`, String(item));
    else query.append(key, String(value));
  }
  return query.toString();
}

/** The scope of the official fake FranceConnect token for the same person, if any. */
function officialScopeFor(claims: Record<string, unknown>, tokens: Awaited<ReturnType<typeof loadCaseDirectories>>['franceConnectTokens']): string | undefined {
  for (const { introspection } of tokens.values()) {
    const t = (introspection as unknown as { token_introspection?: Record<string, unknown> }).token_introspection ?? {};
    if (t.family_name === claims.family_name && t.given_name === claims.given_name && t.birthdate === claims.birthdate) return String(t.scope);
  }
  return undefined;
}

function introspectionFor(claims: Record<string, unknown>, index: number, scope: string | undefined): unknown {
  const given = String(claims.given_name ?? 'Camille');
  const token: Record<string, unknown> = {
    active: true,
    aud: REPLAY_CLIENT,
    sub: `replay-v2-subject-${index}`,
    iat: 1767261600,
    exp: 1767261660,
    acr: 'eidas1',
    jti: `replay-v2-${index}`,
    scope: scope ?? `openid identite_pivot ${allScopes().join(' ')}`,
    gender: claims.gender ?? 'male',
    family_name: claims.family_name ?? 'INCONNU',
    given_name: given,
    given_name_array: given.split(' '),
    birthdate: claims.birthdate ?? '2000-01-01',
    birthplace: claims.birthplace ?? '',
    birthcountry: claims.birthcountry ?? '99100',
  };
  // A case may mix claim keys with v2 civil-status keys: its `nomUsage` is the citizen's usage name.
  const usage = claims.preferred_username ?? claims.nomUsage;
  if (typeof usage === 'string' && usage !== '') token.preferred_username = usage;
  return { aud: 'replay', iat: 1767261600, iss: 'https://franceconnect.replay.invalid/api/v2', token_introspection: token };
}

function diffPaths(expected: unknown, actual: unknown, at = '', out: string[] = []): string[] {
  if (out.length >= 4) return out;
  if (typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null && Array.isArray(expected) === Array.isArray(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(key in expected)) out.push(`${at}/${key} en trop`);
      else if (!(key in actual)) out.push(`${at}/${key} manquant`);
      else diffPaths((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${at}/${key}`, out);
    }
    return out;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push(`${at || '/'} diffère`);
  return out;
}

async function replay(t: TestApp, item: Replayed, headers: Record<string, string>, params: Record<string, unknown>): Promise<void> {
  const route = routeOf.get(item.case.operationId);
  if (route === undefined) {
    item.failure = 'aucune route v2 ne porte cet operationId';
    return;
  }
  const response = await t.app.server.inject({ url: `${route.path}?${queryOf(params)}`, headers });
  const body: unknown = response.json();
  if (response.statusCode !== item.case.status) {
    item.failure = `status ${response.statusCode} au lieu de ${item.case.status} : ${JSON.stringify(body).slice(0, 160)}`;
    return;
  }
  const diff = diffPaths(item.case.body, body);
  if (diff.length > 0) item.failure = diff.join(' ; ');
  if (response.headers.deprecation === undefined) item.failure = `${item.failure ?? ''} en-tête Deprecation absent`.trim();
}

function summarise(label: string, items: Replayed[]): { rate: number; lines: string[] } {
  const counted = items.filter((i) => i.excluded === undefined);
  const passed = counted.filter((i) => i.failure === undefined).length;
  const rate = counted.length === 0 ? 1 : passed / counted.length;
  const rel = (file: string): string => path.relative(path.resolve(ROOT, '..'), file);
  const lines = [`${label} : ${passed}/${counted.length} cas v2 rejoués à l’identique (${(rate * 100).toFixed(1)} %), ${items.length - counted.length} exclu(s)`];
  for (const i of items.filter((x) => x.excluded !== undefined)) lines.push(`  exclu  ${rel(i.case.file)} — ${i.excluded}`);
  for (const i of counted.filter((x) => x.failure !== undefined)) lines.push(`  échec  ${rel(i.case.file)} — ${i.failure}`);
  return { rate, lines };
}

async function replayAll(t: TestApp, items: Replayed[], fcTokenOf: Map<Replayed, string>): Promise<void> {
  const apiToken = await t.token({ allScopes: true, fcClientIds: [REPLAY_CLIENT] });
  for (const item of items) {
    if (item.excluded !== undefined) continue;
    const fcToken = fcTokenOf.get(item);
    if (fcToken !== undefined) await replay(t, item, { authorization: `Bearer ${fcToken}` }, {});
    else await replay(t, item, { 'x-api-key': apiToken }, item.case.params);
  }
}

/** Writes a fake FranceConnect token per claim-keyed case into `root/france_connect/`. */
async function fakeTokens(root: string, items: Replayed[]): Promise<Map<Replayed, string>> {
  const official = present ? (await loadCaseDirectories([STAGING])).franceConnectTokens : new Map();
  mkdirSync(path.join(root, FRANCE_CONNECT_FOLDER));
  const tokens = new Map<Replayed, string>();
  items.forEach((item, index) => {
    if (item.excluded !== undefined || !isClaimKeyed(item.case)) return;
    const token = `replay_v2_${index}`;
    tokens.set(item, token);
    const payload = JSON.stringify(introspectionFor(item.case.params, index, officialScopeFor(item.case.params, official)));
    writeFileSync(path.join(root, FRANCE_CONNECT_FOLDER, `${token}.yaml`), stringify({ description: `## ${path.basename(item.case.file)}`, params: { token }, status: 200, payload }));
  });
  return tokens;
}

describe('v2 staging replay: the official v2 cases through the HTTP API (issue 8)', () => {
  let t: TestApp | undefined;
  let fcRoot: string | undefined;
  let items: Replayed[] = [];
  let fcTokenOf = new Map<Replayed, string>();

  before(async () => {
    if (!present) return;
    items = readCases(STAGING, (name) => name.startsWith('api_particulier_v2_'));
    fcRoot = mkdtempSync(path.join(tmpdir(), 'apip-v2-replay-fc-'));
    fcTokenOf = await fakeTokens(fcRoot, items);
    t = await testApp({ env: { SANDBOX_DATA_DIRS: `${STAGING}:${fcRoot}` }, overrides: { now: () => REPLAY_CLOCK } });
  });
  after(async () => {
    await t?.close();
    if (fcRoot !== undefined) rmSync(fcRoot, { recursive: true, force: true });
  });

  test('at least 98 % of the non-excluded v2 cases answer their status and body', async (ctx) => {
    if (!present || t === undefined) return ctx.skip(SKIP);
    await replayAll(t, items, fcTokenOf);
    const { rate, lines } = summarise('Cas v2 officiels (staging-data)', items);
    console.log(lines.join('\n'));
    assert.ok(items.length > 100, 'the staging data holds the v2 cases');
    assert.ok(fcTokenOf.size > 0, 'some cases are replayed through FranceConnect');
    assert.ok(rate >= 0.98, `${(rate * 100).toFixed(1)} % < 98 % — see the failures listed above`);
  });
});

describe('own v2 cases replay', () => {
  let t: TestApp;
  let items: Replayed[] = [];
  let fcRoot: string;
  let fcTokenOf = new Map<Replayed, string>();

  before(async () => {
    items = readCases(V2_CASES_DIR, () => true);
    fcRoot = mkdtempSync(path.join(tmpdir(), 'apip-v2-own-fc-'));
    fcTokenOf = await fakeTokens(fcRoot, items);
    t = await testApp({ env: { SANDBOX_DATA_DIRS: fcRoot }, overrides: { now: () => REPLAY_CLOCK } });
  });
  after(async () => {
    await t?.close();
    rmSync(fcRoot, { recursive: true, force: true });
  });

  test('100 % of the project’s v2 cases answer their status and body', async () => {
    await replayAll(t, items, fcTokenOf);
    const { rate, lines } = summarise('Cas v2 du projet', items);
    console.log(lines.join('\n'));
    assert.ok(items.length >= 4);
    assert.equal(rate, 1, lines.join('\n'));
  });
});
