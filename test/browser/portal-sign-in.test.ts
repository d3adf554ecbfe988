/**
 * Sign-in in a real browser (issue 5 item 2): from the home page to the embedded identity
 * provider, pick a synthetic agent, land on « Mon compte » with the agent's roles, then sign out
 * through the provider and come back signed out. Screenshots under test-artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { syntheticAgents } from '../../src/idp/synthetic-agents.ts';
import { launchChromium, screenshot, startPortal, type RunningPortal } from './browser.ts';

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

test('an agent signs in with the local identity provider and signs out', async () => {
  const reviewer = syntheticAgents.find((a) => a.role === 'provider_reviewer')!;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') cspViolations.push(m.text());
  });

  await page.goto(`${portal.baseUrl}/`);
  await page.getByRole('link', { name: 'Se connecter' }).first().click();
  await page.waitForURL(/\/authorize\?/);
  assert.notEqual(new URL(page.url()).port, new URL(portal.baseUrl).port, 'the provider listens on its own port');
  await screenshot(page, 'connexion-1-fournisseur-identite');

  // DSFR radios are styled on their label: click it, as a person does.
  await page.getByText(`${reviewer.given_name} ${reviewer.usual_name} —`).click();
  assert.equal(await page.getByLabel(new RegExp(`${reviewer.given_name} ${reviewer.usual_name}`)).isChecked(), true);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${portal.baseUrl}/compte`);
  await page.waitForLoadState('networkidle');
  await screenshot(page, 'connexion-2-mon-compte');
  const main = await page.locator('main').innerText();
  assert.ok(main.includes(reviewer.email), main);
  assert.ok(main.includes('Relecteur fournisseur de données'), main);
  assert.ok(main.includes('Demandeur'), main);
  const violations = (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  assert.deepEqual(violations.map((v) => v.id), []);

  // Signed in, the catalogue header offers the account and sign-out instead of « Se connecter ».
  await page.goto(`${portal.baseUrl}/catalogue`);
  assert.equal(await page.getByRole('link', { name: 'Se connecter' }).count(), 0);
  await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
  await page.waitForURL(`${portal.baseUrl}/`);
  await page.waitForLoadState('networkidle');
  await screenshot(page, 'connexion-3-deconnecte');
  assert.equal(await page.getByRole('link', { name: 'Se connecter' }).count() > 0, true);
  const account = await page.goto(`${portal.baseUrl}/compte`);
  assert.match(account?.url() ?? '', /\/authorize\?/, 'signed out: the account page asks to sign in again');
  assert.deepEqual(cspViolations.filter((m) => /Content Security Policy/i.test(m)), []);
  await context.close();
});
