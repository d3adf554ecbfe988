/**
 * Issue 7 item 1 "done when": a real browser opens every catalogue page (and the portal's other
 * public pages), saves a screenshot under test-artifacts/, and axe finds no serious or critical
 * violation. The JavaScript each page actually downloads is measured (≤ 200 KB), and the browser
 * reports no CSP violation or console error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot, startPortal, type RunningPortal, visit, seriousViolations } from './browser.ts';

let portal: RunningPortal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await portal?.close();
});

describe('catalogue in a browser', () => {
  test('every catalogue page renders, is screenshotted and passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const index = await context.newPage();
    await visit(index, portal.baseUrl + '/catalogue');
    const apiUrls = await index.$$eval('a[href^="/catalogue/"]', (links) => [...new Set(links.map((a) => a.getAttribute('href') as string))]);
    assert.ok(apiUrls.length >= 18, `found ${apiUrls.length} catalogue links`);
    await index.close();

    const urls = ['/', '/catalogue', '/catalogue?franceconnect=oui&theme=Sant%C3%A9', '/catalogue?q=introuvable', ...apiUrls, '/catalogue/cnaf_msa/n_existe_pas', '/accessibilite', '/mentions-legales', '/donnees-personnelles'];
    const failures: string[] = [];
    for (const url of urls) {
      const page = await context.newPage();
      const result = await visit(page, portal.baseUrl + url);
      const expected = url.includes('n_existe_pas') ? 404 : 200;
      if (result.status !== expected) failures.push(`${url}: HTTP ${result.status}`);
      if (result.jsBytes > 200 * 1024) failures.push(`${url}: ${result.jsBytes} bytes of JavaScript`);
      if (result.jsBytes === 0) failures.push(`${url}: DSFR JavaScript not loaded`);
      // The browser logs the 404 of the page itself as a console error: that one is expected.
      for (const p of result.problems) if (!(expected === 404 && p.includes('status of 404'))) failures.push(`${url}: console: ${p}`);
      for (const v of await seriousViolations(page)) failures.push(`${url}: ${v}`);
      await screenshot(page, `catalogue${url === '/' ? '-accueil' : url}`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, []);
  });

  test('a phone-sized screen gets the DSFR menu button, and it opens the navigation', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await visit(page, portal.baseUrl + '/catalogue/cnaf_msa/complementaire_sante_solidaire');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Catalogue', exact: true }).first().waitFor({ state: 'visible' });
    await screenshot(page, 'mobile-menu');
    assert.deepEqual(await seriousViolations(page), []);
    await context.close();
  });

  test('the search form works with the keyboard alone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/catalogue`);
    await page.getByRole('searchbox').focus();
    await page.keyboard.type('quotient');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=quotient/);
    const titles = await page.locator('h3.fr-card__title').allTextContents();
    assert.ok(titles.some((t) => t.includes('Quotient familial')), titles.join(' | '));
    await screenshot(page, 'catalogue-recherche-sans-js');
    await context.close();
  });
});
