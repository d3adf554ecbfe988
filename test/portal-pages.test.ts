/**
 * The portal's public pages through the real app (issue 5 item 1, issue 7 item 1): DSFR layout in
 * French, security headers on portal pages only, the data API untouched, CSRF on POST, the
 * catalogue complete with respect to the registry, search and filters, retired and unknown APIs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { documentedErrors } from '../src/core/endpoint.ts';
import { DSFR_DIST } from '../src/portal/portal-plugin.ts';
import { allEndpoints, allScopes } from '../src/providers/index.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => t.close());

const get = (url: string) => t.app.server.inject({ url });

/** Catalogue API page URLs, read from the catalogue page itself. */
async function apiPageUrls(): Promise<string[]> {
  const html = (await get('/catalogue')).body;
  return [...new Set([...html.matchAll(/href="(\/catalogue\/[a-z_]+\/[a-z_]+)"/g)].map((m) => m[1] as string))];
}

describe('layout and headers', () => {
  test('the home page is a French DSFR page with header, navigation and footer', async () => {
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const html = res.body;
    assert.match(html, /<html lang="fr"/);
    assert.match(html, /République<br>Française/);
    assert.match(html, /class="fr-header__service-title">API Particulier</);
    for (const label of ['Catalogue', 'Développeurs', 'FAQ', 'Statut', 'Statistiques']) assert.match(html, new RegExp(`class="fr-nav__link" href="[^"]+"[^>]*>${label}<`));
    assert.match(html, /Se connecter/);
    for (const link of ['Accessibilité : non conforme', 'Mentions légales', 'Données personnelles']) assert.ok(html.includes(link), link);
    for (const site of ['info.gouv.fr', 'service-public.fr', 'legifrance.gouv.fr', 'data.gouv.fr']) assert.ok(html.includes(`>${site}<`), site);
  });

  test('portal pages carry a strict CSP and security headers', async () => {
    const res = await get('/catalogue');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/, 'http deployment: no upgrade');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  test('the data API keeps its JSON answers and gets no portal headers', async () => {
    for (const url of ['/api/ping', '/v3/dss/complementaire_sante_solidaire/identite', '/n-existe-pas']) {
      const res = await get(url);
      assert.match(String(res.headers['content-type']), /application\/json/, url);
      assert.equal(res.headers['content-security-policy'], undefined, url);
      assert.equal(res.headers['set-cookie'], undefined, url);
    }
    const missing = await get('/v3/n-existe-pas');
    assert.equal(missing.statusCode, 404);
    assert.ok(Array.isArray(missing.json().errors));
  });

  test('DSFR assets are served from the installed package', async () => {
    const css = await get('/dsfr/dsfr.min.css');
    assert.equal(css.statusCode, 200);
    assert.equal(css.body.length, readFileSync(path.join(DSFR_DIST, 'dsfr.min.css'), 'utf8').length);
    assert.equal((await get('/dsfr/../package.json')).statusCode, 404);
  });

  test('no page ships more than 200 KB of JavaScript', async () => {
    for (const url of ['/', '/catalogue', ...(await apiPageUrls())]) {
      const html = (await get(url)).body;
      const scripts = [...html.matchAll(/<script[^>]*src="\/dsfr\/([^"]+)"/g)].map((m) => m[1] as string);
      assert.ok(!/<script(?![^>]*src=)[^>]*>/.test(html), `${url}: inline script`);
      assert.ok(scripts.length > 0, `${url}: DSFR JS`);
      const total = scripts.reduce((sum, s) => sum + statSync(path.join(DSFR_DIST, s)).size, 0);
      assert.ok(total < 200 * 1024, `${url}: ${total} bytes of JavaScript`);
    }
  });

  test('a POST without its CSRF token is refused with an HTML page', async () => {
    const res = await t.app.server.inject({ method: 'POST', url: '/deconnexion', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 403);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /Formulaire expiré/);
  });

  test('the account page sends an anonymous visitor to sign in', async () => {
    const res = await get('/compte');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/connexion?retour=%2Fcompte');
  });

  test('legal pages answer in French', async () => {
    for (const url of ['/accessibilite', '/mentions-legales', '/donnees-personnelles']) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<h1>/);
    }
  });
});

describe('catalogue', () => {
  test('every route, scope and error code of the registry is in the catalogue', async () => {
    const urls = await apiPageUrls();
    const pages = await Promise.all(urls.map(async (url) => {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      return res.body;
    }));
    const all = pages.join('\n');
    for (const { endpoint } of allEndpoints()) {
      assert.ok(all.includes(`GET ${endpoint.path}<`), `route ${endpoint.path}`);
      const codes = [...documentedErrors(endpoint), ...Object.keys(endpoint.params.properties).map((p) => endpoint.paramError(p))].map((e) => e.code);
      const page = pages.find((p) => p.includes(`GET ${endpoint.path}<`)) as string;
      for (const code of codes) assert.ok(page.includes(`<code>${code}</code>`), `error ${code} of ${endpoint.path}`);
      for (const param of Object.keys(endpoint.params.properties)) assert.ok(page.includes(`<code>${param}</code>`), `param ${param} of ${endpoint.path}`);
    }
    for (const scope of allScopes()) assert.ok(all.includes(scope), `scope ${scope}`);
  });

  test('an API page follows the official URL and says what the issue asks', async () => {
    const res = await get('/catalogue/cnaf_msa/complementaire_sante_solidaire');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    for (const heading of ['À quoi sert cette API ?', 'Fournisseur des données', 'Qui peut l’utiliser ?', 'Données disponibles', 'Modalités d’appel', 'Qualité des données', 'Limite d’appels']) {
      assert.ok(html.includes(heading), heading);
    }
    assert.match(html, /20 appels par seconde et par jeton/);
    assert.match(html, /href="\/compte\/habilitations\/nouvelle\?api=dss%2Fcomplementaire_sante_solidaire"/);
    assert.match(html, /modele=tarification-transports/);
    assert.match(html, /Exemples du bac à sable \([1-9]/, 'sandbox cases shown');
    assert.match(html, /Exemple de réponse : /);
    assert.match(html, /&quot;est_beneficiaire&quot;: (true|false)/, 'an example answer of a 200 case');
    assert.match(html, /membres du foyer/, 'its coming-soon item');
  });

  test('search and filters narrow the list', async () => {
    const titles = async (query: string): Promise<string[]> =>
      [...(await get(`/catalogue?${query}`)).body.matchAll(/<h3 class="fr-card__title"><a href="\/catalogue\/([a-z_]+\/[a-z_]+)"/g)].map((m) => m[1] as string);
    const everything = await titles('');
    assert.equal(everything.length, new Set(allEndpoints().map(({ endpoint }) => endpoint.path.split('/')[3])).size);
    const withFc = await titles('franceconnect=oui');
    assert.ok(withFc.length > 0 && withFc.length < everything.length);
    assert.ok(!withFc.some((k) => k.startsWith('france_travail/')));
    assert.deepEqual(await titles('fournisseur=france_travail'), ['france_travail/statut_demandeur_emploi', 'france_travail/indemnites']);
    assert.deepEqual(await titles('theme=Sant%C3%A9&franceconnect=oui'), ['cnaf_msa/complementaire_sante_solidaire', 'cnam/droits_assurance_maladie']);
    assert.deepEqual(await titles('q=BOURSIER+%C3%A9chelon'), ['cnous/statut_etudiant_boursier', 'men/statut_eleve_scolarise']);
    assert.deepEqual(await titles('q=crous'), ['cnous/statut_etudiant_boursier']);
    assert.deepEqual(await titles('q=introuvable-xyz'), []);
  });

  test('search text is echoed escaped', async () => {
    const html = (await get('/catalogue?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).body;
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(html.includes('&lt;script&gt;'));
  });

  test('coming soon, design-with-us and retired APIs are listed', async () => {
    const html = (await get('/catalogue')).body;
    assert.match(html, /Prochainement/);
    assert.match(html, /Statut élève scolarisé avec FranceConnect/);
    assert.match(html, /Concevez-la avec nous/);
    assert.match(html, /30\/06\/2023/);
    const retired = await get('/catalogue/dgfip/revenu_fiscal_de_reference');
    assert.equal(retired.statusCode, 200);
    assert.match(retired.body, /30\/06\/2023/);
    assert.match(retired.body, /href="https:\/\/api\.gouv\.fr\/les-api\/impot-particulier"/);
  });

  test('an unknown API is a French 404 page', async () => {
    const res = await get('/catalogue/cnaf_msa/n_existe_pas');
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /Page introuvable/);
  });
});

describe('behind https (PUBLIC_URL)', () => {
  let secure: TestApp;
  before(async () => {
    secure = await testApp({ env: { PUBLIC_URL: 'https://particulier.example.gouv.fr' } });
  });
  after(async () => secure.close());

  test('cookies are Secure, HSTS and upgrade-insecure-requests are on, the callback uses PUBLIC_URL', async () => {
    const res = await secure.app.server.inject({ url: '/connexion' });
    assert.equal(res.statusCode, 303);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('apip_session='));
    assert.match(cookie ?? '', /; Secure/);
    assert.match(cookie ?? '', /; HttpOnly/);
    assert.match(cookie ?? '', /; SameSite=Lax/);
    assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
    assert.match(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
    const authorize = new URL(String(res.headers.location));
    assert.equal(authorize.searchParams.get('redirect_uri'), 'https://particulier.example.gouv.fr/connexion/retour');
  });
});
