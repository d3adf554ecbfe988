/**
 * FranceConnect, live (issue 4 item 5): the gateway in MODE=live checks citizens' access tokens with
 * the FranceConnect double on a real loopback port (checktoken, signed answers, JWKS), and the demo
 * page runs a citizen's path end to end over HTTP and in Debian's chromium (docs/adr/0120, 0121, 0122).
 *
 * Provider answers come from the sandbox driver: this file is about the FranceConnect credential
 * strategy, not about the providers' live connectors.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Database } from '../src/infra/db/open-database.ts';
import { providers } from '../src/providers/index.ts';
import { loadCaseDirectories } from '../src/sandbox/load-cases.ts';
import { createSandboxDriver, OWN_CASES_DIR } from '../src/sandbox/sandbox-driver.ts';
import { startFranceConnectDouble, type FranceConnectDouble } from '../simulators/franceconnect/start-franceconnect-double.ts';
import { launchChromium, screenshot } from './browser/browser.ts';
import { engines } from './helpers/engines.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/france_connect?recipient=13002526500013';
const SP = 'fs-registered-in-live';
const SCOPE = 'openid identite_pivot complementaire_sante_solidaire';

let fc: FranceConnectDouble;
let app: App;
let database: Database;
let dataDir: string;
let gatewayUrl = '';

before(async () => {
  fc = await startFranceConnectDouble({ demo: { gatewayUrl: () => gatewayUrl } });
  dataDir = mkdtempSync(path.join(tmpdir(), 'apip-fc-live-'));
  const pglite = engines().find((e) => e.name === 'pglite');
  database = await (pglite as NonNullable<typeof pglite>).open();
  const base = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '10000',
    RATE_LIMIT_BURST: '100000',
    RATE_LIMIT_IP_PER_SECOND: '0',
    ...fc.gatewayEnv,
    FRANCECONNECT_JWKS_COOLDOWN_MS: '0',
  });
  const cases = await loadCaseDirectories([...providers.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : [])), OWN_CASES_DIR]);
  const sandbox = createSandboxDriver(cases);
  // MODE=live as the gateway runs it, minus the provider connectors (sandbox answers, see above).
  app = await buildApp({ ...base, mode: 'live', demoToken: false, sandboxWatch: false }, { logger: false, database, driverFor: () => sandbox });
  await app.services.tokens.create({ scopes: ['complementaire_sante_solidaire'], fcClientIds: [SP, 'demo-service-provider'], name: 'FS en production' });
  await app.services.tokens.create({ scopes: ['cnous_email'], fcClientIds: ['fs-without-c2s'], name: 'FS sans C2S' });
});

after(async () => {
  await app.close();
  await database.close();
  await fc.close();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => fc.setFault(undefined));

function call(bearer: string) {
  return app.server.inject({ method: 'GET', url: ROUTE, headers: { authorization: `Bearer ${bearer}` } });
}

function firstError(res: { json(): unknown }): { code: string; detail: string; meta: unknown } {
  return (res.json() as { errors: Array<{ code: string; detail: string; meta: unknown }> }).errors[0] as { code: string; detail: string; meta: unknown };
}

describe('FranceConnect live: the gateway against the double', () => {
  test('a citizen token of a registered service provider → 200 with the derived identity’s answer', async () => {
    const res = await call(fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE }));
    assert.equal(res.statusCode, 200, res.body);
    const data = (res.json() as { data: Record<string, unknown> }).data;
    assert.equal(data.est_beneficiaire, true);
    assert.equal(data.avec_participation, false);
  });

  test('another person of the cast gets their own answer (the identity is FranceConnect’s, not a fixture)', async () => {
    const res = await call(fc.issueAccessToken({ person: 'marc_non_beneficiaire', clientId: SP, scope: SCOPE }));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as { data: Record<string, unknown> }).data.est_beneficiaire, false);
  });

  test('an expired token → 401 00101', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE, ttlSeconds: 1 });
    fc.advanceClock(2_000);
    try {
      const res = await call(token);
      assert.equal(res.statusCode, 401);
      assert.equal(firstError(res).code, '00101');
      assert.match(firstError(res).detail, /FranceConnect/);
    } finally {
      fc.advanceClock(-2_000);
    }
  });

  test('a bad signature on FranceConnect’s answer → 504 00501 (not the citizen’s fault)', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    fc.setFault('bad-signature');
    const res = await call(token);
    assert.equal(res.statusCode, 504);
    assert.equal(firstError(res).code, '00501');
    assert.deepEqual(firstError(res).meta, { retry_in: 10 });
  });

  test('an unknown kid (even after a JWKS refetch) → 504 00501', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    fc.setFault('unknown-kid');
    const jwksBefore = fc.stats.jwks;
    const res = await call(token);
    assert.equal(res.statusCode, 504);
    assert.equal(firstError(res).code, '00501');
    assert.equal(fc.stats.jwks, jwksBefore + 1, 'the JWKS was refetched once');
  });

  test('after a key rotation the gateway refetches the JWKS and accepts the new kid', async () => {
    await fc.rotateKey({ retireOld: true });
    const res = await call(fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE }));
    assert.equal(res.statusCode, 200, res.body);
  });

  test('FranceConnect unavailable → 504 00501', async () => {
    const token = fc.issueAccessToken({ person: 'camille_c2s', clientId: SP, scope: SCOPE });
    fc.setFault('unavailable');
    const res = await call(token);
    assert.equal(res.statusCode, 504);
    assert.equal(firstError(res).code, '00501');
  });

  test('an unregistered service provider, or one whose habilitation lacks the scope → 401 00101', async () => {
    const unregistered = await call(fc.issueAccessToken({ person: 'camille_c2s', clientId: 'fs-nobody-registered', scope: SCOPE }));
    assert.equal(unregistered.statusCode, 401);
    assert.equal(firstError(unregistered).code, '00101');
    const noScope = await call(fc.issueAccessToken({ person: 'camille_c2s', clientId: 'fs-without-c2s', scope: SCOPE }));
    assert.equal(noScope.statusCode, 401);
    assert.match(firstError(noScope).detail, /scopes/);
  });

  test('the sandbox’s fake tokens mean nothing in live mode', async () => {
    const res = await call('camille_c2s');
    assert.equal(res.statusCode, 401);
    assert.equal(firstError(res).code, '00101');
  });
});

/** One HTTP step of the browser's path; redirects are followed by hand to check each hop. */
async function get(url: string, cookie?: string) {
  const res = await request(url, { method: 'GET', headers: cookie === undefined ? {} : { cookie } });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

async function postForm(url: string, form: Record<string, string>) {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

function hiddenInteraction(html: string): string {
  const match = /name="interaction" value="([^"]+)"/.exec(html);
  assert.ok(match?.[1], 'the page carries the interaction id');
  return match[1];
}

describe('FranceConnect live: the demo page, end to end over HTTP', () => {
  before(async () => {
    gatewayUrl = await app.server.listen({ host: '127.0.0.1', port: 0 });
  });

  test('button → login (a person of the cast) → consent → callback → masked answer of the gateway', async () => {
    const home = await get(`${fc.url}/demo`);
    assert.equal(home.status, 200);
    assert.match(home.body, /S’identifier avec<\/small><b>FranceConnect/);

    const login = await get(`${fc.url}/demo/login`);
    assert.equal(login.status, 302);
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const authorize = new URL(String(login.headers.location));
    assert.equal(authorize.pathname, '/api/v2/authorize');
    assert.equal(authorize.searchParams.get('scope'), 'openid identite_pivot complementaire_sante_solidaire');

    const chooser = await get(authorize.toString());
    assert.equal(chooser.status, 200);
    assert.match(chooser.body, /Camille Anne LEROY/);
    const consent = await postForm(`${fc.issuer}/login`, { interaction: hiddenInteraction(chooser.body), person: 'camille_c2s' });
    assert.equal(consent.status, 200);
    assert.match(consent.body, /complementaire_sante_solidaire/);

    const back = await postForm(`${fc.issuer}/consent`, { interaction: hiddenInteraction(consent.body), decision: 'accept' });
    assert.equal(back.status, 302);
    const callback = new URL(String(back.headers.location));
    assert.equal(callback.pathname, '/demo/callback');
    assert.ok(callback.searchParams.get('code'));

    const answer = await get(callback.toString(), cookie);
    assert.equal(answer.status, 200, answer.body);
    assert.match(answer.body, /<strong id="status">200<\/strong>/);
    assert.match(answer.body, /&quot;est_beneficiaire&quot;: true/);
    assert.match(answer.body, /&quot;avec_participation&quot;: false/);
  });

  test('the callback refuses a state this browser did not start, and a code cannot be replayed', async () => {
    const login = await get(`${fc.url}/demo/login`);
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const chooser = await get(String(login.headers.location));
    const consent = await postForm(`${fc.issuer}/login`, { interaction: hiddenInteraction(chooser.body), person: 'hugo_perrin' });
    const back = await postForm(`${fc.issuer}/consent`, { interaction: hiddenInteraction(consent.body), decision: 'accept' });
    const callback = String(back.headers.location);

    const foreign = await get(callback, 'demo_fc_state=someone-else');
    assert.equal(foreign.status, 400);
    // The state was spent by the refused attempt: the legitimate browser must start again.
    const replay = await get(callback, cookie);
    assert.equal(replay.status, 400);
  });

  test('a denied consent comes back as an error, without any call to the gateway', async () => {
    const login = await get(`${fc.url}/demo/login`);
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const chooser = await get(String(login.headers.location));
    const consent = await postForm(`${fc.issuer}/login`, { interaction: hiddenInteraction(chooser.body), person: 'camille_c2s' });
    const back = await postForm(`${fc.issuer}/consent`, { interaction: hiddenInteraction(consent.body), decision: 'deny' });
    const callback = new URL(String(back.headers.location));
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    const page = await get(callback.toString(), cookie);
    assert.equal(page.status, 400);
    assert.match(page.body, /access_denied/);
  });
});

describe('FranceConnect live: the demo page in a browser', () => {
  test('a citizen clicks through and sees the masked answer (screenshot in test-artifacts/)', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${fc.url}/demo`);
      await screenshot(page, 'franceconnect-demo-1-home');
      await page.click('#franceconnect-button');
      await page.waitForURL(/\/api\/v2\/authorize/);
      await page.click('button[data-person="sophie_nom_usage"]');
      await page.waitForSelector('#consent-accept');
      await screenshot(page, 'franceconnect-demo-2-consent');
      await page.click('#consent-accept');
      await page.waitForURL(/\/demo\/callback/);
      assert.equal(await page.textContent('#status'), '200');
      const answer = JSON.parse((await page.textContent('#answer')) ?? '') as { data: Record<string, unknown> };
      assert.equal(answer.data.est_beneficiaire, true);
      await screenshot(page, 'franceconnect-demo-3-answer');
    } finally {
      await browser.close();
    }
  });
});
