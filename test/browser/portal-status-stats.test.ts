/**
 * The status and statistics pages in a real browser (issue 6 items 2–3): with 90 days of probes and
 * two months of calls seeded, each page renders, its charts are drawn from its tables, axe finds no
 * serious or critical violation, the JavaScript it downloads stays under 200 KB (bytes on the wire),
 * and with JavaScript off the tables alone carry the figures. Screenshots under test-artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { syntheticAgents } from '../../src/idp/synthetic-agents.ts';
import type { JournalRow } from '../../src/journal/journal-writer.ts';
import { ProbeStore, type ProbeResult } from '../../src/status/probe-store.ts';
import { rollupStats } from '../../src/stats/rollup.ts';
import { approvedHabilitation } from '../helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { journalRow } from '../journal-support.ts';
import { launchChromium, screenshot, seriousViolations } from './browser.ts';

const camille = syntheticAgents.find((a) => a.role === 'applicant')!;
const DAY = 86_400_000;
let t: TestApp;
let baseUrl: string;
let browser: Browser;

/** 90 days of probes, four a day, with a few bad days; and two months of calls of three tokens. */
async function seed(now: Date): Promise<void> {
  const probes: ProbeResult[] = [];
  for (const provider of ['dss', 'cnous', 'mesri', 'men', 'france-travail', 'dsnj', 'gip-mds', 'sdh']) {
    for (let d = 89; d >= 0; d--) {
      for (let k = 0; k < 4; k++) {
        const at = new Date(now.getTime() - d * DAY - k * 3600_000 - 60_000);
        const bad = (provider === 'sdh' && d < 2) || (provider === 'dss' && d === 12 && k < 2) || (provider === 'men' && d === 40);
        probes.push({ provider, at, ok: !bad, latencyMs: 20 + k, errorCode: bad ? '00501' : null });
      }
    }
  }
  await new ProbeStore(t.database.db).record(probes);

  const own = (await approvedHabilitation(t.app.services.habilitations, { actor: { role: 'applicant', id: camille.email, siret: camille.siret } })).jti;
  const others = [(await t.app.services.tokens.create({ allScopes: true })).record.jti, (await t.app.services.tokens.create({ allScopes: true })).record.jti];
  const routes = [
    { operation_id: 'api_particulier_v3_cnav_quotient_familial_with_civility', route: '/v3/dss/quotient_familial/identite' },
    { operation_id: 'api_particulier_v3_cnous_etudiant_boursier_with_civility', route: '/v3/cnous/etudiant_boursier/identite' },
    { operation_id: 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility', route: '/v3/dss/complementaire_sante_solidaire/identite' },
    { operation_id: 'api_particulier_v3_mesri_statut_etudiant_with_civility', route: '/v3/mesri/statut_etudiant/identite' },
  ];
  const rows: JournalRow[] = [];
  let i = 0;
  for (let d = 60; d >= 0; d--) {
    const weekday = new Date(now.getTime() - d * DAY).getUTCDay();
    const volume = weekday === 0 || weekday === 6 ? 3 : 12 + (d % 5) * 3;
    for (let k = 0; k < volume; k++) {
      const token = k % 3 === 0 ? own : (others[k % 2] as string);
      const status = k % 11 === 0 ? 404 : k % 17 === 0 ? 502 : 200;
      rows.push(journalRow(++i, { ...routes[k % routes.length], token_jti: token, status, latency_ms: 40 + ((k * 37) % 300), at: new Date(now.getTime() - d * DAY - (k + 1) * 60_000) }));
    }
  }
  await Promise.all(rows.map((r) => t.app.services.journal.append(r)));
  await t.app.services.journal.drain();
  await rollupStats(t.database.db, { now });
}

before(async () => {
  t = await testApp({ env: { JOBS_ENABLED: 'false', STATUS_PROBE_INTERVAL_SECONDS: '0' } });
  baseUrl = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  await seed(new Date());
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

interface Visit {
  status: number;
  /** JavaScript bytes as transferred (compressed when the server compressed them). */
  jsWireBytes: number;
  problems: string[];
}

async function visit(page: Page, url: string): Promise<Visit> {
  const scripts: Array<Promise<number>> = [];
  const problems: string[] = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'script') scripts.push(request.sizes().then((s) => s.responseBodySize));
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await page.goto(`${baseUrl}${url}`, { waitUntil: 'networkidle' });
  const sizes = await Promise.all(scripts);
  return { status: res?.status() ?? 0, jsWireBytes: sizes.reduce((a, b) => a + b, 0), problems };
}

/** Visits, checks and screenshots one page; returns what failed. */
async function check(page: Page, url: string, name: string, charts: number): Promise<string[]> {
  const failures: string[] = [];
  const result = await visit(page, url);
  if (result.status !== 200) failures.push(`${url}: HTTP ${result.status}`);
  if (result.jsWireBytes === 0) failures.push(`${url}: no JavaScript loaded`);
  if (result.jsWireBytes > 200 * 1024) failures.push(`${url}: ${result.jsWireBytes} bytes of JavaScript`);
  for (const p of result.problems) failures.push(`${url}: console: ${p}`);
  const drawn = await page.locator('canvas[role="img"]').count();
  if (drawn !== charts) failures.push(`${url}: ${drawn} charts drawn, ${charts} expected`);
  for (const v of await seriousViolations(page)) failures.push(`${url}: ${v}`);
  await screenshot(page, name);
  return failures;
}

describe('status and statistics pages in a browser', () => {
  test('the public pages render, draw their charts, pass axe and stay under the JavaScript budget', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const failures: string[] = [];
    for (const [url, name, charts] of [
      ['/statut', 'statut', 0],
      ['/statut/dss', 'statut-dss', 0],
      ['/statut/sdh', 'statut-sdh', 0],
      ['/statistiques', 'statistiques', 3],
    ] as const) {
      const page = await context.newPage();
      failures.push(...(await check(page, url, name, charts)));
      if (url === '/statistiques') {
        // The long daily table is folded once its chart is drawn; the others stay in view.
        assert.equal(await page.locator('details[data-fold]').getAttribute('open'), null);
        const caption = await page.locator('canvas[role="img"]').first().getAttribute('aria-label');
        assert.match(caption ?? '', /^Graphique : Appels par mois, sur 12 mois\. Les mêmes données figurent dans le tableau qui suit\.$/);
      }
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, []);
  });

  test('on a phone-sized screen the strip and the charts fit the width', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const failures: string[] = [];
    for (const [url, name, charts] of [['/statut', 'statut-mobile', 0], ['/statistiques', 'statistiques-mobile', 3]] as const) {
      const page = await context.newPage();
      failures.push(...(await check(page, url, name, charts)));
      // The page's own width against the screen's (a string expression: the test code has no DOM types).
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      if (overflow > 0) failures.push(`${url}: ${overflow} px wider than the screen`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, []);
  });

  test('with JavaScript off, the statistics are tables, unfolded', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/statistiques`);
    assert.equal(await page.locator('canvas').count(), 0);
    assert.equal(await page.locator('details[data-fold]').getAttribute('open'), '');
    assert.equal(await page.locator('table').count(), 3);
    const firstDay = await page.locator('table').nth(1).locator('tbody tr').count();
    assert.equal(firstDay, 61);
    await screenshot(page, 'statistiques-sans-js');
    await context.close();
  });

  test('a signed-in agent sees the statistics of their tokens', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/compte/statistiques`);
    await page.waitForURL(/\/authorize\?/);
    await page.getByText(`${camille.given_name} ${camille.usual_name} —`).click();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/compte/statistiques`);
    const failures = await check(page, '/compte/statistiques', 'compte-statistiques', 3);
    assert.deepEqual(failures, []);
    const main = await page.locator('main').innerText();
    assert.match(main, /Mairie de Rennes – Tarif de la cantine \([0-9a-f]{8}…\)/);
    assert.equal((await page.locator('#jeton option').count()), 2, 'all tokens, and the one token of the agent');
    await context.close();
  });
});
