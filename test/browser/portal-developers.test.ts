/**
 * Issue 7 "done when", in a real browser (Debian chromium through playwright-core): every developer,
 * FAQ and form page renders under 200 KB of JavaScript with no serious axe violation; the explorer
 * runs an example call and shows what masking removes; the secure form is submitted and read back by
 * an operator signed in through the embedded identity provider. Screenshots in test-artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { syntheticAgents } from '../../src/idp/synthetic-agents.ts';
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

/** Opens `url`, counts the JavaScript it downloads, and collects console errors. */
describe('developer docs, FAQ and forms in a browser', () => {
  test('every page renders light and accessible, and is screenshotted', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const index = await context.newPage();
    await visit(index, portal.baseUrl + '/developpeurs/exemples');
    const examples = await index.$$eval('a[href^="/developpeurs/exemples/"]', (links) => links.map((a) => a.getAttribute('href') as string));
    assert.ok(examples.length >= 30, `${examples.length} examples`);
    await visit(index, portal.baseUrl + '/developpeurs/reference');
    const operations = await index.$$eval('a[href^="/developpeurs/reference/"]', (links) => links.map((a) => a.getAttribute('href') as string));
    assert.ok(operations.length >= 36, `${operations.length} operations`);
    await index.close();
    const guides = ['franceconnect', 'migration-v2-v3', 'bac-a-sable', 'personnages-du-bac-a-sable', 'cas-du-bac-a-sable'].map((g) => `/developpeurs/guides/${g}`);
    const urls = ['/developpeurs', '/developpeurs/reference', ...operations.filter((_u, i) => i % 25 === 0), '/developpeurs/exemples', ...examples.filter((_u, i) => i % 6 === 0), '/developpeurs/erreurs', '/developpeurs/scopes', ...guides, '/developpeurs/explorateur', '/faq', '/cgu', '/infolettre', '/transfert-securise'];
    const failures: string[] = [];
    for (const url of urls) {
      const page = await context.newPage();
      const result = await visit(page, portal.baseUrl + url);
      if (result.status !== 200) failures.push(`${url}: HTTP ${result.status}`);
      if (result.jsBytes > 200 * 1024) failures.push(`${url}: ${result.jsBytes} bytes of JavaScript`);
      for (const p of result.problems) failures.push(`${url}: console: ${p}`);
      for (const v of await seriousViolations(page)) failures.push(`${url}: ${v}`);
      await screenshot(page, `dev${url}`);
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, []);
  });

  test('the explorer runs an example call, then shows what unchecking a scope removes', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await visit(page, portal.baseUrl + '/developpeurs/explorateur');
    await page.getByLabel('Route').selectOption({ label: '/v3/dss/revenu_solidarite_active/identite' });
    await page.getByRole('button', { name: 'Choisir cette route' }).click();
    await page.waitForURL(/route=/);
    assert.notEqual(await page.locator('input[name="p:nomNaissance"]').inputValue(), '', 'prefilled from a case');
    await page.getByRole('button', { name: 'Exécuter l’appel dans le bac à sable' }).click();
    await page.waitForURL(/executer=1/);
    assert.match(await page.locator('[data-explorer="status"]').innerText(), /HTTP 200/);
    assert.match(await page.locator('[data-explorer="body"]').innerText(), /avec_majoration/);
    assert.match(await page.locator('[data-explorer="request"]').innerText(), /Bearer eyJ.{5}…\(masqué\)/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'explorateur-1-appel');

    // DSFR checkboxes are styled on their label: click it, as a person does.
    await page.locator('label', { hasText: 'revenu_solidarite_active_majoration' }).click();
    await page.getByRole('button', { name: 'Exécuter l’appel dans le bac à sable' }).click();
    await page.waitForLoadState('networkidle');
    assert.doesNotMatch(await page.locator('[data-explorer="body"]').innerText(), /avec_majoration/);
    assert.match(await page.locator('[data-explorer="removed"]').innerText(), /avec_majoration/);
    await screenshot(page, 'explorateur-2-masquage');

    // Every box unchecked: the message sits beside the field and nothing is called.
    for (const box of await page.locator('input[name="scopes"]:checked').all()) await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
    await page.getByRole('button', { name: 'Exécuter l’appel dans le bac à sable' }).click();
    await page.waitForLoadState('networkidle');
    assert.match(await page.locator('#scopes-erreur').innerText(), /Cochez au moins un scope/);
    assert.equal(await page.locator('[data-explorer="request"]').count(), 0);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'explorateur-3-erreur');
    await context.close();
  });

  test('the explorer works with the keyboard and without JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/developpeurs/explorateur`);
    await page.getByLabel('Route').focus();
    await page.getByLabel('Route').selectOption({ label: '/v3/mesri/statut_etudiant/ine' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/route=/);
    await page.getByRole('button', { name: 'Exécuter l’appel dans le bac à sable' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/executer=1/);
    assert.match(await page.locator('[data-explorer="status"]').innerText(), /HTTP 200/);
    await screenshot(page, 'explorateur-4-sans-js');
    await context.close();
  });

  test('the secure form is sent, then read back by an operator in the inbox', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await visit(page, portal.baseUrl + '/transfert-securise');
    // A bad address first: the message sits beside the field.
    await page.getByLabel('Nom et prénom').fill('Claire Dupont');
    await page.getByLabel(/Adresse électronique/).fill('claire.dupont');
    await page.getByLabel('Objet').fill('Quotient familial erroné');
    await page.getByLabel(/^Message/).fill('Le dossier renvoie un quotient de 0.\nIdentifiant de requête : 5f1c…');
    await page.getByRole('button', { name: 'Envoyer de façon sécurisée' }).click();
    await page.waitForLoadState('networkidle');
    assert.match(await page.locator('#st-email-erreur').innerText(), /adresse électronique valide/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'transfert-1-erreur');
    await page.getByLabel(/Adresse électronique/).fill('claire.dupont@ccas.example.fr');
    await page.getByRole('button', { name: 'Envoyer de façon sécurisée' }).click();
    await page.waitForURL(/envoye=TS-/);
    const reference = (await page.locator('[data-reference]').innerText()).trim();
    assert.match(reference, /^TS-[A-Z0-9]{8}$/);
    await screenshot(page, 'transfert-2-envoye');

    const instructor = syntheticAgents.find((a) => a.role === 'instructor')!;
    await page.goto(`${portal.baseUrl}/transfert-securise/boite`);
    await page.waitForURL(/\/authorize\?/);
    await page.getByText(`${instructor.given_name} ${instructor.usual_name} —`).click();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${portal.baseUrl}/transfert-securise/boite`);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'transfert-3-boite');
    await page.getByRole('link', { name: reference }).click();
    await page.waitForLoadState('networkidle');
    assert.match(await page.locator('[data-field="message"]').innerText(), /Le dossier renvoie un quotient de 0\./);
    assert.match(await page.locator('[data-field="sender"]').innerText(), /claire\.dupont@ccas\.example\.fr/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'transfert-4-message');
    await context.close();
  });
});
