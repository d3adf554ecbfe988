/**
 * The whole habilitation journey in a real browser (issue 5, « Done when »): eligibility → sign in →
 * request from a template → the instructor asks for changes → resubmit → approve → token shown once
 * → a /v3 call with it → prolongation form → approval → both tokens work, then the old one expires
 * → revoke (401 00105); then the vendor path (referencing → published template → pre-filled form
 * opened by a client). Bad input on the forms shows a message beside the field and saves nothing.
 * The app runs in-process on a loopback port with a shiftable clock; every page gets a screenshot
 * in test-artifacts/ and an axe check (no serious or critical violation).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { syntheticAgents, type SyntheticAgent } from '../../src/idp/synthetic-agents.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { launchChromium, screenshot } from './browser.ts';

const DAY = 86_400_000;
let offset = 0;
const now = (): Date => new Date(Date.now() + offset);

let t: TestApp;
let base: string;
let browser: Browser;
before(async () => {
  t = await testApp({ env: { JOBS_ENABLED: 'false' }, overrides: { now } });
  base = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const agent = (role: SyntheticAgent['role']): SyntheticAgent => syntheticAgents.find((a) => a.role === role)!;
const applicant = agent('applicant');
const instructor = agent('instructor');

/** Screenshot, then axe: no serious or critical violation on this page. */
async function check(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await screenshot(page, `parcours-${name}`);
  const violations = (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe on ${name} (${page.url()})`,
  );
}

/** On the identity provider's page (reached by any redirect), pick the agent and come back. */
async function pickAgent(page: Page, who: SyntheticAgent): Promise<void> {
  await page.waitForURL(/\/authorize\?/);
  await page.getByText(`${who.given_name} ${who.usual_name} —`).click();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.origin === base);
}

/** Opens a portal path, signing in first when the session is missing or expired. */
async function open(page: Page, path: string, who: SyntheticAgent): Promise<void> {
  await page.goto(`${base}${path}`);
  if (new URL(page.url()).origin !== base) await pickAgent(page, who);
  assert.equal(new URL(page.url()).pathname, path.split('?')[0]);
}

async function newContext(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  return { context, page: await context.newPage() };
}

/** The error message tied to a field by aria-describedby. */
async function fieldError(page: Page, fieldId: string): Promise<string> {
  const describedBy = await page.locator(`#${fieldId}`).getAttribute('aria-describedby');
  assert.ok(describedBy, `${fieldId} has aria-describedby`);
  return page.locator(`#${describedBy}`).innerText();
}

const CAMILLE = 'nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
async function callV3(token: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${base}/v3/dss/quotient_familial/identite?${CAMILLE}&recipient=${applicant.siret}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { errors?: Array<{ code: string }> };
  return { status: res.status, ...(body.errors ? { code: body.errors[0]?.code } : {}) };
}

async function revealFirstToken(page: Page): Promise<string> {
  await open(page, '/compte/jetons', applicant);
  await page.getByRole('button', { name: /Afficher le jeton/ }).first().click();
  await page.waitForURL(/\/afficher$/);
  const token = await page.locator('#jeton-valeur').inputValue();
  assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  return token;
}

test('the habilitation journey, from eligibility to revocation, then the vendor path', async () => {
  const a = await newContext();
  const i = await newContext();
  try {
    await journey(a.page, i.page);
  } catch (error) {
    // What the browsers showed when it failed, to read beside the error.
    await screenshot(a.page, 'parcours-echec-demandeur');
    await screenshot(i.page, 'parcours-echec-instructeur');
    throw error;
  } finally {
    await a.context.close();
    await i.context.close();
  }
});

async function journey(page: Page, instructorPage: Page): Promise<void> {
  const i = { page: instructorPage };

  // 3. Eligibility, without signing in.
  await page.goto(`${base}/eligibilite`);
  await page.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
  assert.match(await page.locator('.fr-alert--error').innerText(), /Choisissez l’API/);
  await page.selectOption('#champ-api', 'api_particulier');
  await page.getByText('Une collectivité ou une administration').click();
  await page.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
  assert.match(await page.locator('#resultat').innerText(), /Vous êtes éligible/);
  await check(page, '01-eligibilite');

  // → sign in → a request from the school-canteen template.
  await page.getByRole('link', { name: 'Déposer une demande d’habilitation' }).click();
  await pickAgent(page, applicant);
  assert.equal(new URL(page.url()).pathname, '/compte/habilitations/nouvelle');
  await page.selectOption('#champ-modele', 'restauration-scolaire');
  await check(page, '02-nouvelle-demande');
  await page.getByRole('button', { name: 'Commencer la demande' }).click();
  await page.waitForURL(/\/etapes\/organisation$/);
  const requestPath = new URL(page.url()).pathname.replace(/\/etapes\/organisation$/, '');

  // Step 1, bad SIRET first: the message sits beside the field, nothing is saved.
  assert.equal(await page.locator('#champ-siret').inputValue(), applicant.siret, 'the SIRET comes from the sign-in');
  await page.fill('#champ-siret', '12345678901234');
  await page.fill('#champ-name', 'Commune de Villebelle');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  assert.match(await fieldError(page, 'champ-siret'), /clé de contrôle invalide/);
  await check(page, '03-etape-organisation-erreur');
  const stored = await t.app.services.habilitations.service.get(requestPath.split('/').pop()!);
  assert.equal(stored?.form.organisation, undefined, 'nothing saved');
  await page.fill('#champ-siret', applicant.siret);
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

  // Step 2 and 3 come pre-filled by the template.
  await page.waitForURL(/\/etapes\/use_case$/);
  assert.equal(await page.locator('#champ-title').inputValue(), 'Tarification de la restauration scolaire');
  await check(page, '04-etape-demarche');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await page.waitForURL(/\/etapes\/scopes$/);
  assert.equal(await page.locator('#scope-cnaf_quotient_familial').isChecked(), true);
  assert.match(await page.locator('main').innerText(), /strictement nécessaires/);
  await check(page, '05-etape-donnees');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

  // Step 4: FranceConnect chosen without a client id → message; then own means only.
  await page.waitForURL(/\/etapes\/identification$/);
  await page.getByText('Les deux', { exact: true }).click();
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  assert.match(await fieldError(page, 'champ-fcClientIds'), /identifiant/);
  await check(page, '06-etape-identification-erreur');
  await page.getByText('Avec vos propres moyens (formulaire, dossier de l’usager)').click();
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

  // Step 5: contacts, one bad address first.
  await page.waitForURL(/\/etapes\/contacts$/);
  const contacts: Record<string, [string, string]> = {
    responsable_traitement: ['Claire Maire', 'maire@villebelle.example.fr'],
    dpo: ['Paul Dpo', 'dpo@villebelle.example.fr'],
    technique: ['Équipe SI', 'si@villebelle.example.fr'],
    metier: ['Service scolaire', 'scolaire@villebelle.example.fr'],
  };
  for (const [role, [name, email]] of Object.entries(contacts)) {
    await page.fill(`#champ-${role}-name`, name);
    await page.fill(`#champ-${role}-email`, role === 'dpo' ? 'pas-une-adresse' : email);
  }
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  assert.match(await fieldError(page, 'champ-dpo-email'), /n’est pas valide/);
  await check(page, '07-etape-contacts-erreur');
  await page.fill('#champ-dpo-email', 'dpo@villebelle.example.fr');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

  // Step 6: legal framework pre-filled; the volume is the applicant's.
  await page.waitForURL(/\/etapes\/legal$/);
  await page.fill('#champ-expectedVolume', 'beaucoup');
  await page.getByRole('button', { name: 'Enregistrer et voir le récapitulatif' }).click();
  assert.match(await fieldError(page, 'champ-expectedVolume'), /nombre entier/);
  await page.fill('#champ-expectedVolume', '1200');
  await page.getByRole('button', { name: 'Enregistrer et voir le récapitulatif' }).click();
  await page.waitForURL(`${base}${requestPath}`);
  await check(page, '08-recapitulatif');
  await page.getByRole('button', { name: 'Soumettre la demande' }).click();
  assert.match(await page.locator('main').innerText(), /Votre demande est transmise/);

  // 6. The instructor asks for changes (a message is required).
  await open(i.page, '/instruction', instructor);
  await check(i.page, '09-instruction-file');
  await i.page.getByRole('link', { name: 'Tarification de la restauration scolaire' }).click();
  await i.page.getByRole('button', { name: 'Demander des modifications' }).click();
  assert.match(await fieldError(i.page, 'champ-message'), /message au demandeur est obligatoire/);
  await check(i.page, '10-instruction-demande-erreur');
  await i.page.fill('#champ-message', 'Le volume annuel semble faible : précisez-le pour toutes les écoles.');
  await i.page.getByRole('button', { name: 'Demander des modifications' }).click();
  await i.page.waitForURL(`${base}/instruction?ok=request_changes`);

  // The applicant reads the message, corrects, resubmits.
  await open(page, requestPath, applicant);
  assert.match(await page.locator('main').innerText(), /précisez-le pour toutes les écoles/);
  await check(page, '11-modifications-demandees');
  await page.getByRole('link', { name: /Relire ou modifier l’étape « Cadre juridique et volume »/ }).click();
  await page.fill('#champ-expectedVolume', '15000');
  await page.getByRole('button', { name: 'Enregistrer et voir le récapitulatif' }).click();
  await page.getByRole('button', { name: 'Soumettre à nouveau la demande' }).click();
  assert.match(await page.locator('main').innerText(), /Votre demande est transmise/);

  // The instructor approves.
  await open(i.page, '/instruction', instructor);
  await i.page.getByRole('link', { name: 'Tarification de la restauration scolaire' }).click();
  await check(i.page, '12-instruction-demande');
  await i.page.getByRole('button', { name: 'Valider la demande' }).click();
  await i.page.waitForURL(`${base}/instruction?ok=approve`);

  // 7. The token, shown once; then a /v3 call with it.
  await open(page, '/compte/jetons', applicant);
  await check(page, '13-mes-jetons');
  const first = await revealFirstToken(page);
  await check(page, '14-jeton-affiche-une-fois');
  await open(page, '/compte/jetons', applicant);
  assert.equal(await page.getByRole('button', { name: /Afficher le jeton/ }).count(), 0, 'shown once only');
  assert.ok(!(await page.content()).includes(first), 'the value never appears again');
  assert.equal((await callV3(first)).status, 200);
  await t.app.services.journal.drain(); // spooled rows are moved in batches (ADR 0171)
  await open(page, '/compte/jetons', applicant);
  assert.doesNotMatch(await page.locator('main').innerText(), /jamais utilisé/, 'the last use comes from the journal');
  const introspection = (await (await fetch(`${base}/api/introspect`, { headers: { authorization: `Bearer ${first}` } })).json()) as { habilitation_id: string; to_renew: boolean };
  assert.equal(`/compte/habilitations/${introspection.habilitation_id}`, requestPath);
  assert.equal(introspection.to_renew, false);

  // Seventeen months later: the token is « à renouveler »; the prolongation short form.
  const firstExpiry = (await t.app.services.verifier.verify(first)).expiresAt;
  offset = firstExpiry.getTime() - Date.now() - 60 * DAY;
  await open(page, '/compte/jetons', applicant);
  assert.match(await page.locator('main').innerText(), /À renouveler/i);
  await check(page, '15-jeton-a-renouveler');
  await page.getByRole('link', { name: /Prolonger/ }).first().click();
  await page.getByText('Les contacts ont changé').click();
  await page.locator('summary').click();
  await page.fill('#champ-technique-email', 'faux');
  await page.getByRole('button', { name: 'Demander la prolongation' }).click();
  assert.match(await fieldError(page, 'champ-technique-email'), /n’est pas valide/);
  await check(page, '16-prolongation-erreur');
  await page.fill('#champ-technique-email', 'informatique@villebelle.example.fr');
  await page.getByRole('button', { name: 'Demander la prolongation' }).click();
  assert.match(await page.locator('main').innerText(), /prolongation est transmise/);

  await open(i.page, '/instruction', instructor);
  await check(i.page, '17-instruction-prolongation');
  await i.page.getByRole('button', { name: /Valider la prolongation/ }).click();
  await i.page.waitForURL(`${base}/instruction?ok=prolongation`);

  const second = await revealFirstToken(page);
  assert.notEqual(second, first);
  assert.equal((await callV3(first)).status, 200, 'the old token works until its own expiry');
  assert.equal((await callV3(second)).status, 200);

  // Past the old token's expiry: it stops (00103), the new one goes on.
  offset = firstExpiry.getTime() - Date.now() + DAY;
  assert.deepEqual(await callV3(first), { status: 401, code: '00103' });
  assert.equal((await callV3(second)).status, 200);

  // Revocation: no choice is a message beside the choice; « now » → 401 00105.
  await open(page, '/compte/jetons', applicant);
  await page.getByRole('link', { name: /Révoquer/ }).first().click();
  await page.getByRole('button', { name: 'Révoquer le jeton' }).click();
  assert.match(await page.locator('#champ-when-erreur').innerText(), /Choisissez quand/);
  await check(page, '18-revocation-erreur');
  await page.getByText('Maintenant', { exact: true }).click();
  await page.getByRole('button', { name: 'Révoquer le jeton' }).click();
  await page.waitForURL(`${base}/compte/jetons?ok=revoque`);
  await check(page, '19-jeton-revoque');
  assert.deepEqual(await callV3(second), { status: 401, code: '00105' });

  // The outbox of the embedded default, for instructors; a 403 page for the applicant.
  await open(i.page, '/instruction/courriels', instructor);
  assert.match(await i.page.locator('main').innerText(), /prolongation validée/);
  await check(i.page, '20-courriels');
  const denied = await page.goto(`${base}/instruction`);
  assert.equal(denied?.status(), 403);
  await check(page, '21-acces-refuse');

  // 5. The vendor path: referencing → published → a client opens the pre-filled form.
  const v = await newContext();
  await v.page.goto(`${base}/editeurs/referencement`);
  await v.page.selectOption('#champ-product', 'api_particulier');
  await v.page.getByRole('button', { name: 'Continuer' }).click();
  await v.page.getByRole('button', { name: 'Envoyer la demande de référencement' }).click();
  assert.match(await fieldError(v.page, 'champ-vendorSiret'), /obligatoire/);
  await check(v.page, '22-referencement-erreur');
  await v.page.fill('#champ-vendorSiret', '13002526500013');
  await v.page.fill('#champ-vendorName', 'Logiciels Communaux SA');
  await v.page.fill('#champ-softwareName', 'Cantine+');
  await v.page.fill('#champ-contactEmail', 'contact@cantine-plus.example.fr');
  await v.page.fill('#champ-title', 'Tarifs de cantine avec Cantine+');
  await v.page.selectOption('#champ-purpose', 'restauration_scolaire');
  await v.page.fill('#champ-description', 'Calcul du tarif de cantine selon le quotient familial dans Cantine+.');
  await v.page.getByText('Quotient familial', { exact: false }).first().click();
  await v.page.fill('#champ-legalText', 'Code de l’éducation, art. R531-52');
  await v.page.getByRole('button', { name: 'Envoyer la demande de référencement' }).click();
  await v.page.waitForURL(`${base}/editeurs/referencement/envoyee`);
  await check(v.page, '23-referencement-envoye');

  await open(i.page, '/instruction', instructor);
  await i.page.getByRole('button', { name: /Publier le formulaire/ }).click();
  await i.page.waitForURL(`${base}/instruction?ok=referencement`);
  const link = await i.page.getByRole('link', { name: /\/editeurs\/formulaire\// }).first().getAttribute('href');
  assert.ok(link);

  await open(page, new URL(link).pathname, applicant);
  assert.match(await page.locator('main').innerText(), /Cantine\+/);
  await check(page, '24-formulaire-editeur');
  await page.getByText('Une collectivité ou une administration').click();
  await page.getByRole('button', { name: 'Commencer la demande pré-remplie' }).click();
  await page.waitForURL(/\/etapes\/organisation$/);
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  assert.match(await fieldError(page, 'champ-name'), /obligatoire/);
  await page.fill('#champ-name', 'Commune de Villebelle');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await page.waitForURL(/\/etapes\/use_case$/);
  assert.equal(await page.locator('#champ-title').inputValue(), 'Tarifs de cantine avec Cantine+');

  await v.context.close();
}
