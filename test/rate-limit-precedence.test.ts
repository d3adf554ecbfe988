/**
 * Which answer wins when several apply (docs/adr/0172-one-redis-round-trip-per-call.md): the IP cap,
 * then authentication, then the token's limit, then validation, scopes and modality, then the 409
 * lock. With Redis, an API token is checked before one script decides the limits and the lock; this
 * test plays the same calls through an instance in process (each decision on its own, in the
 * pipeline's order) and an instance on Redis (failing closed, so a fallback would show) and expects
 * the same statuses, codes, rate-limit headers and journal rows from both — v3, v2 and FranceConnect.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { ProviderDriver } from '../src/core/driver.ts';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const cases = writeCaseDir([{ operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY }]);
/** Tokens: 2 at once, then one a second; IPs: 3 at once, then one a second. Nothing refills during a scenario. */
const LIMITS = { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '2', RATE_LIMIT_IP_PER_SECOND: '1', RATE_LIMIT_IP_BURST: '3' };

const C2S = '/v3/dss/complementaire_sante_solidaire/identite';
const C2S_FC = '/v3/dss/complementaire_sante_solidaire/france_connect?recipient=13002526500013';
const V2 = '/api/v2/scolarites?nom=PERRIN&prenom=LEO&sexe=M&dateNaissance=2012-09-05&codeEtablissement=0691234K&anneeScolaire=2025';

type Credential = 'valid' | 'garbage' | 'no-scope' | 'fc' | 'fc-garbage';
interface Step {
  /** Calls with the same label come from the same address. */
  ip: string;
  credential: Credential;
  url: string;
  /** v2 routes take the token as `X-Api-Key`. */
  v2?: boolean;
}

interface Observed {
  status: number;
  code: string | null;
  headers: Record<string, string | undefined>;
  journal?: { status: number; error_code: string | null; has_token: boolean };
}

const RATE_HEADERS = ['ratelimit-policy', 'ratelimit', 'ratelimit-limit', 'retry-after'] as const;

function codeOf(body: unknown): string | null {
  const v3 = (body as { errors?: Array<{ code?: string }> }).errors?.[0]?.code;
  if (v3 !== undefined) return v3;
  const v2 = body as { error?: string; reason?: string };
  return v2.error === undefined ? null : `${v2.error}: ${/^\d{5}/.exec(v2.reason ?? '')?.[0] ?? ''}`;
}

/** One instance with its own database; `hold()` makes the next provider call wait until released. */
async function instance(env: Record<string, string>): Promise<{ t: TestApp; hold(): () => void }> {
  let blocking = false;
  let answer: (() => void) | undefined;
  const driver: ProviderDriver = {
    call: () =>
      new Promise((resolve) => {
        answer = () => resolve({ kind: 'data', data: OK_BODY.data, meta: {} });
      }),
  };
  const t = await testApp({ env: { SANDBOX_DATA_DIRS: cases, ...LIMITS, ...env }, overrides: { driverFor: () => (blocking ? driver : undefined) } });
  // The FranceConnect client of the sandbox's `camille_c2s` token: its calls count against this record.
  await t.app.services.tokens.create({ allScopes: true, fcClientIds: ['sandbox-franceconnect-client'] });
  return {
    t,
    hold: () => {
      blocking = true;
      return () => {
        blocking = false;
        answer?.();
      };
    },
  };
}

async function play(t: TestApp, steps: Step[]): Promise<Observed[]> {
  const valid = await t.token();
  const noScope = (await t.app.services.tokens.create({ scopes: ['cnous_statut_boursier'] })).token;
  const credentials: Record<Credential, string> = { valid, garbage: 'not-a-token', 'no-scope': noScope, fc: 'camille_c2s', 'fc-garbage': 'nobody_at_all' };
  const addresses = new Map<string, string>();
  const observed: Observed[] = [];
  const ids: string[] = [];
  for (const step of steps) {
    if (!addresses.has(step.ip)) addresses.set(step.ip, `10.${[...randomBytes(3)].join('.')}`);
    const secret = credentials[step.credential];
    const id = `precedence-${randomBytes(6).toString('hex')}`;
    ids.push(id);
    const res = await t.app.server.inject({
      url: step.url,
      remoteAddress: addresses.get(step.ip),
      headers: { 'x-request-id': id, ...(step.v2 === true ? { 'x-api-key': secret } : { authorization: `Bearer ${secret}` }) },
    });
    observed.push({ status: res.statusCode, code: res.statusCode === 200 ? null : codeOf(res.json()), headers: Object.fromEntries(RATE_HEADERS.map((h) => [h, res.headers[h] as string | undefined])) });
  }
  await t.app.services.journal.drain();
  const rows = await sql<{ request_id: string; status: number; error_code: string | null; token_jti: string | null }>`
    select request_id, status, error_code, token_jti from access_journal where request_id = any(${ids})`.execute(t.database.db);
  for (const [i, id] of ids.entries()) {
    const row = rows.rows.find((r) => r.request_id === id);
    const entry = observed[i] as Observed;
    if (row !== undefined) entry.journal = { status: row.status, error_code: row.error_code, has_token: row.token_jti !== null };
  }
  return observed;
}

const SCENARIOS: Array<{ name: string; steps: Step[]; statuses: number[] }> = [
  {
    name: 'the IP cap before authentication, v3, v2 and FranceConnect alike; the token refused there keeps its budget',
    steps: [
      ...Array.from({ length: 3 }, (): Step => ({ ip: 'a', credential: 'garbage', url: `${C2S}?${leaQuery()}` })),
      { ip: 'a', credential: 'garbage', url: `${C2S}?${leaQuery()}` },
      { ip: 'a', credential: 'valid', url: `${C2S}?${leaQuery()}` },
      { ip: 'a', credential: 'valid', url: `${C2S}?nomNaissance=` },
      { ip: 'a', credential: 'fc-garbage', url: C2S_FC },
      { ip: 'a', credential: 'garbage', url: V2, v2: true },
      { ip: 'b', credential: 'valid', url: `${C2S}?${leaQuery({ nomUsage: 'B1' })}` },
      { ip: 'b', credential: 'valid', url: `${C2S}?${leaQuery({ nomUsage: 'B2' })}` },
      { ip: 'b', credential: 'valid', url: `${C2S}?${leaQuery({ nomUsage: 'B3' })}` },
    ],
    statuses: [401, 401, 401, 429, 429, 429, 429, 429, 200, 200, 429],
  },
  {
    name: "the token's limit before validation, scopes and the cache",
    steps: [
      { ip: 'c', credential: 'valid', url: `${C2S}?nomNaissance=` },
      { ip: 'd', credential: 'valid', url: `${C2S}?${leaQuery()}` },
      { ip: 'e', credential: 'valid', url: `${C2S}?nomNaissance=` },
      { ip: 'f', credential: 'valid', url: `${C2S}?${leaQuery()}` },
      { ip: 'g', credential: 'no-scope', url: `${C2S}?${leaQuery()}` },
      { ip: 'g', credential: 'no-scope', url: `${C2S}?nomNaissance=` },
      { ip: 'h', credential: 'no-scope', url: `${C2S}?nomNaissance=` },
    ],
    statuses: [422, 200, 429, 429, 403, 422, 429],
  },
  {
    name: "v2 and FranceConnect: authentication, then the token's limit, then validation",
    steps: [
      { ip: 'i', credential: 'valid', url: `${V2}&dateNaissance=hier`, v2: true },
      { ip: 'j', credential: 'valid', url: V2, v2: true },
      { ip: 'k', credential: 'valid', url: `${V2}&dateNaissance=hier`, v2: true },
      { ip: 'l', credential: 'fc-garbage', url: C2S_FC },
      { ip: 'l', credential: 'fc', url: C2S_FC },
      { ip: 'l', credential: 'fc', url: `${C2S_FC}&recipient=x` },
      { ip: 'm', credential: 'fc', url: C2S_FC },
    ],
    statuses: [400, 200, 429, 401, 200, 422, 429],
  },
];

describe('precedence of the answers: in process and on Redis alike', () => {
  let local: Awaited<ReturnType<typeof instance>>;
  let shared: Awaited<ReturnType<typeof instance>>;
  before(async () => {
    local = await instance({});
    shared = await instance({ REDIS_URL, RATE_LIMIT_REDIS_FAILURE: 'closed' });
  });
  after(async () => {
    await shared.t.close();
    await local.t.close();
  });

  for (const scenario of SCENARIOS) {
    test(scenario.name, async () => {
      const inProcess = await play(local.t, scenario.steps);
      assert.deepEqual(inProcess.map((o) => o.status), scenario.statuses, JSON.stringify(inProcess.map((o) => o.code)));
      assert.deepEqual(await play(shared.t, scenario.steps), inProcess);
    });
  }

  test('the token limit before the 409 lock, which comes before the provider', async () => {
    const observe = async ({ t, hold }: typeof local): Promise<Array<[number, string | null]>> => {
      const token = await t.token();
      const call = (ip: string) => t.app.server.inject({ url: `${C2S}?${leaQuery({ nomUsage: 'LOCK' })}`, remoteAddress: ip, headers: { authorization: `Bearer ${token}`, 'cache-control': 'no-cache' } });
      const release = hold();
      const first = call('10.9.9.1');
      // Lets the first call reach the provider and hold the lock.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = await call('10.9.9.2');
      const third = await call('10.9.9.3');
      release();
      const answers = [await first, second, third];
      return answers.map((r) => [r.statusCode, r.statusCode === 200 ? null : codeOf(r.json())]);
    };
    const inProcess = await observe(local);
    assert.deepEqual(inProcess, [[200, null], [409, '00015'], [429, '00429']]);
    assert.deepEqual(await observe(shared), inProcess);
  });
});
