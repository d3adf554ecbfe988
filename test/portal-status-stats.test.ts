/**
 * The status and statistics pages (issue 6 items 2 and 3, docs/adr/0150–0151) through the real app:
 * they show what the data says (probe rows and journal rows seeded under a frozen clock, the rollup
 * run directly), public pages name no token, no organisation and no person, and an agent's page
 * shows exactly the tokens of their habilitations (signed in through the embedded identity provider).
 */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { syntheticAgents } from '../src/idp/synthetic-agents.ts';
import type { JournalRow } from '../src/journal/journal-writer.ts';
import { providers } from '../src/providers/index.ts';
import { ProbeStore } from '../src/status/probe-store.ts';
import { rollupStats } from '../src/stats/rollup.ts';
import { approvedHabilitation, stranger } from './helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { journalRow } from './journal-support.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const QUIET = { JOBS_ENABLED: 'false', STATUS_PROBE_INTERVAL_SECONDS: '0' };
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000);
const daysAgo = (d: number, hour = 10) => new Date(Date.UTC(2026, 10, 23 - d, hour));

/** The visible text of an HTML fragment, tags dropped and spaces collapsed. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\u202f|\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

/** The cells of the table row headed by `label` in the table captioned `caption`. */
function rowOf(html: string, caption: string, label: string): string[] | undefined {
  const table = html.split('<caption>').find((part) => part.startsWith(caption));
  if (table === undefined) return undefined;
  const body = table.slice(0, table.indexOf('</table>'));
  for (const row of body.matchAll(/<tr>(.*?)<\/tr>/gs)) {
    const cells = [...(row[1] as string).matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => text(c[1] as string));
    if (cells[0] === label) return cells.slice(1);
  }
  return undefined;
}

describe('/statut', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ env: QUIET, overrides: { now: () => NOW } });
    await new ProbeStore(t.database.db).record([
      { provider: 'dss', at: daysAgo(2, 3), ok: false, latencyMs: 10_000, errorCode: '37002' },
      { provider: 'dss', at: daysAgo(1, 3), ok: true, latencyMs: 5, errorCode: null },
      { provider: 'dss', at: daysAgo(1, 4), ok: false, latencyMs: 9, errorCode: '37002' },
      { provider: 'dss', at: hoursAgo(2), ok: true, latencyMs: 4, errorCode: null },
      { provider: 'dss', at: hoursAgo(1), ok: true, latencyMs: 4.25, errorCode: null },
      { provider: 'sdh', at: hoursAgo(1), ok: false, latencyMs: 10_000, errorCode: '00501' },
    ]);
    // One real call that reaches the DSS provider: the traffic figures of the row.
    const token = await t.token();
    const q = 'recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
    const call = await t.app.server.inject({ url: `/v3/dss/complementaire_sante_solidaire/identite?${q}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(call.statusCode, 200);
  });
  after(async () => t.close());

  test('the banner is the worst provider state, and every provider has a row with its state in words', async () => {
    const res = await t.app.server.inject({ url: '/statut' });
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<div class="fr-alert fr-alert--error fr-mb-4w">\s*<h2 class="fr-alert__title">Au moins un fournisseur de données est indisponible<\/h2>/);
    const items = html.split('<li class="portal-status-item">').slice(1);
    assert.equal(items.length, providers.length);
    const item = (id: string) => items.find((i) => i.includes(`href="/statut/${id}"`)) ?? '';
    assert.match(item('dss'), /<p class="fr-badge fr-badge--success">Opérationnel<\/p>/);
    assert.match(item('sdh'), /<p class="fr-badge fr-badge--error">Indisponible<\/p>/);
    assert.match(item('cnam'), /<p class="fr-badge fr-badge--info">Inconnu<\/p>/);
    const dss = text(item('dss'));
    assert.ok(dss.includes('Appels (5 min) 1 '), dss);
    assert.ok(dss.includes('Taux de succès 100 %'), dss);
    assert.match(dss, /Latence médiane \/ p95 [\d,]+ ms \/ [\d,]+ ms/);
    assert.ok(dss.includes('Disjoncteur Sans objet (bac à sable)'), dss);
    assert.ok(dss.includes('Dernière sonde Réussie le 23 novembre 2026 à 12:00:00, 4,3 ms'), dss);
    // 3 successful probes out of 5 over 90 days; 3 days measured, one at 50 % and one at 0 %.
    assert.ok(dss.includes('Disponibilité 90 jours 60 %'), dss);
    assert.ok(dss.includes('Disponibilité sur 90 jours : 60 % des sondes réussies, 3 jours mesurés, 1 perturbé, 1 indisponible.'), dss);
    assert.ok(text(item('sdh')).includes('Dernière sonde Échouée (code 00501) le 23 novembre 2026 à 12:00:00'), text(item('sdh')));
  });

  test('the 90-day strip: one bar per day, its height the uptime, a title in words for each', async () => {
    const html = (await t.app.server.inject({ url: '/statut' })).body;
    const strip = html.split('<li class="portal-status-item">').find((i) => i.includes('href="/statut/dss"')) ?? '';
    const bars = [...strip.matchAll(/<rect fill="(#[0-9a-f]{6})" x="(\d+)" y="(\d+)" width="6" height="(\d+)"><title>([^<]+)<\/title><\/rect>/g)];
    assert.equal(bars.length, 90);
    const last = (n: number) => {
      const bar = bars[bars.length - 1 - n] as RegExpMatchArray;
      return [bar[1], bar[4], text(bar[5] as string)];
    };
    assert.deepEqual(last(0), ['#18753c', '32', '23 novembre 2026 : 100 % de sondes réussies (2 sondes), disponible']);
    assert.deepEqual(last(1), ['#b34000', '16', '22 novembre 2026 : 50 % de sondes réussies (2 sondes), perturbé']);
    assert.deepEqual(last(2), ['#ce0500', '4', '21 novembre 2026 : 0 % de sondes réussies (1 sonde), indisponible']);
    assert.deepEqual(last(3), ['#7b7b7b', '4', '20 novembre 2026 : aucune mesure']);
    assert.equal(new Set(bars.slice(0, -3).map((b) => b[1])).size, 1, 'the other days have no measure');
    assert.match(text(strip), /Disponibilité sur 90 jours : 60 % des sondes réussies/);
    assert.match(strip, /<svg class="portal-uptime-strip"[^>]* role="img" aria-label="Disponibilité sur 90 jours/);
  });

  test('the page links the JSON API and says how to poll it', async () => {
    const html = (await t.app.server.inject({ url: '/statut' })).body;
    assert.ok(html.includes('href="/status/v1/summary"'));
    assert.ok(html.includes('href="/status/v1/providers/dss"'));
    assert.match(html, /Cache-Control: max-age=10/);
    assert.match(html, /curl -s http:\/\/[^/]+\/status\/v1\/summary/);
  });

  test('/statut/<provider>: the daily table, newest first, 90 days', async () => {
    const res = await t.app.server.inject({ url: '/statut/dss' });
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<h1>Statut : CNAV<\/h1>/);
    const caption = 'Sondes actives jour par jour';
    assert.deepEqual(rowOf(html, caption, '23 novembre 2026'), ['2', '100 %', 'disponible']);
    assert.deepEqual(rowOf(html, caption, '22 novembre 2026'), ['2', '50 %', 'perturbé']);
    assert.deepEqual(rowOf(html, caption, '21 novembre 2026'), ['1', '0 %', 'indisponible']);
    assert.deepEqual(rowOf(html, caption, '20 novembre 2026'), ['0', '—', 'aucune mesure']);
    const body = html.slice(html.indexOf(caption));
    assert.equal([...body.slice(0, body.indexOf('</table>')).matchAll(/<th scope="row">/g)].length, 90);
    assert.ok(html.indexOf('23 novembre 2026</time>') < html.indexOf('22 novembre 2026</time>'), 'newest first');
    assert.ok(html.includes('/v3/dss/complementaire_sante_solidaire/identite'), 'the routes it serves');
    assert.ok(html.includes('href="/status/v1/providers/dss"'));
  });

  test('an unknown provider is a 404 page that does not echo the input', async () => {
    for (const id of ['inconnu', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'DSS']) {
      const res = await t.app.server.inject({ url: `/statut/${id}` });
      assert.equal(res.statusCode, 404, id);
      assert.match(res.body, /Fournisseur introuvable/);
      assert.equal(res.body.includes('<script>alert'), false);
    }
  });
});

/** A browser without redirects: follows the embedded identity provider's sign-in as a person would. */
async function signIn(base: string, agentSub: string): Promise<(path: string) => Promise<Response>> {
  const jar = new Map<string, Map<string, string>>();
  const go = async (url: string, form?: Record<string, string>): Promise<Response> => {
    const u = new URL(url);
    const cookies = jar.get(u.host) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] as string;
      const at = pair.indexOf('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || at === pair.length - 1) cookies.delete(pair.slice(0, at));
      else cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    jar.set(u.host, cookies);
    return res;
  };
  const authorize = (await go(`${base}/connexion?retour=%2Fcompte%2Fstatistiques`)).headers.get('location') as string;
  const page = await (await go(authorize)).text();
  const hidden = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] as string, (m[2] as string).replace(/&#(\d+);/g, (_s, c: string) => String.fromCharCode(Number(c)))]));
  const callback = (await go(`${new URL(authorize).origin}/authorize`, { ...hidden, agent: agentSub })).headers.get('location') as string;
  const back = await go(callback);
  assert.equal(back.headers.get('location'), '/compte/statistiques');
  return (path) => go(`${base}${path}`);
}

describe('/statistiques and /compte/statistiques', () => {
  const camille = syntheticAgents.find((a) => a.role === 'applicant')!;
  const CNAF = { operation_id: 'api_particulier_v3_cnav_quotient_familial_with_civility', route: '/v3/dss/quotient_familial/identite' };
  const CNOUS = { operation_id: 'api_particulier_v3_cnous_etudiant_boursier_with_civility', route: '/v3/cnous/etudiant_boursier/identite' };
  let t: TestApp;
  let base: string;
  const jti: Record<'ownHabilitation' | 'ownHandMade' | 'foreignHabilitation' | 'foreignHandMade', string> = { ownHabilitation: '', ownHandMade: '', foreignHabilitation: '', foreignHandMade: '' };
  let names: string[] = [];

  before(async () => {
    t = await testApp({ env: QUIET, overrides: { now: () => NOW } });
    base = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    const h = t.app.services.habilitations;
    jti.ownHabilitation = (await approvedHabilitation(h, { actor: { role: 'applicant', id: camille.email, siret: camille.siret } })).jti;
    jti.foreignHabilitation = (await approvedHabilitation(h, { actor: stranger })).jti;
    const ownHandMade = await t.app.services.tokens.create({ allScopes: true, owner: camille.siret, name: 'Jeton historique Villebelle' });
    const foreignHandMade = await t.app.services.tokens.create({ allScopes: true, owner: 'admin', name: 'Jeton de démonstration' });
    jti.ownHandMade = ownHandMade.record.jti;
    jti.foreignHandMade = foreignHandMade.record.jti;
    names = (await t.database.db.selectFrom('tokens').select('name').execute()).map((r) => r.name);

    let i = 0;
    const rows: JournalRow[] = [];
    const add = (n: number, row: Partial<JournalRow>) => {
      for (let k = 0; k < n; k++) rows.push(journalRow(++i, { ...CNAF, ...row }));
    };
    add(1, { token_jti: jti.ownHabilitation, at: daysAgo(0, 9), status: 200, latency_ms: 10 });
    add(1, { token_jti: jti.ownHabilitation, at: daysAgo(0, 9), status: 200, latency_ms: 20 });
    add(1, { token_jti: jti.ownHabilitation, at: daysAgo(0, 9), status: 200, latency_ms: 30 });
    add(1, { token_jti: jti.ownHabilitation, at: daysAgo(0, 9), status: 404, latency_ms: 40, error_code: '37002' });
    add(2, { token_jti: jti.ownHabilitation, at: daysAgo(40), status: 200, latency_ms: 10 });
    add(1, { ...CNOUS, token_jti: jti.ownHandMade, at: daysAgo(5), status: 502, latency_ms: 1000, error_code: '24501' });
    add(7, { token_jti: jti.foreignHabilitation, at: daysAgo(0, 8), status: 200, latency_ms: 50 });
    add(5, { ...CNOUS, token_jti: jti.foreignHandMade, at: daysAgo(1), status: 200, latency_ms: 50 });
    add(3, { ...CNOUS, token_jti: jti.foreignHandMade, at: daysAgo(1), status: 422, latency_ms: 2, error_code: '00201' });
    // A call after the frozen "now": the rollup leaves it for later.
    add(1, { token_jti: jti.ownHabilitation, at: new Date(NOW.getTime() + 60_000), status: 200 });
    await Promise.all(rows.map((r) => t.app.services.journal.append(r)));
    await t.app.services.journal.drain();
    const report = await rollupStats(t.database.db, { now: NOW });
    assert.ok(report.rows > 0);
  });
  after(async () => t.close());

  test('the public page: papers avoided, months, days and APIs from the rollup', async () => {
    const res = await t.app.server.inject({ url: '/statistiques' });
    assert.equal(res.statusCode, 200);
    const html = res.body;
    const page = text(html);
    // 30 days: 3 + 7 + 5 successful calls; 4 + 1 + 7 + 5 + 3 calls.
    assert.ok(page.includes('15 Justificatifs papier évités sur 30 jours'), page);
    assert.ok(page.includes('20 Appels sur 30 jours'), page);
    assert.ok(page.includes('75 % Taux de réussite sur 30 jours'), page);
    assert.deepEqual(rowOf(html, 'Appels par mois', 'novembre 2026'), ['15', '4', '1', '20']);
    assert.deepEqual(rowOf(html, 'Appels par mois', 'octobre 2026'), ['2', '0', '0', '2']);
    assert.deepEqual(rowOf(html, 'Appels par mois', 'décembre 2025'), ['0', '0', '0', '0']);
    assert.equal(rowOf(html, 'Appels par mois', 'novembre 2025'), undefined, '12 months, this one included');
    assert.deepEqual(rowOf(html, 'Appels par jour', 'lun. 23 nov. 2026'), ['10', '1', '0', '11']);
    assert.deepEqual(rowOf(html, 'Appels par jour', 'dim. 22 nov. 2026'), ['5', '3', '0', '8']);
    assert.deepEqual(rowOf(html, 'Appels par jour', 'mer. 14 oct. 2026'), ['2', '0', '0', '2']);
    assert.deepEqual(rowOf(html, 'Appels par jour', 'sam. 21 nov. 2026'), ['0', '0', '0', '0']);
    assert.deepEqual(rowOf(html, 'Appels par API', 'Quotient familial CAF &amp; MSA'), ['11', '10', '90,9 %', '40,9 ms']);
    assert.deepEqual(rowOf(html, 'Appels par API', 'Statut étudiant boursier'), ['9', '5', '55,6 %', '139,6 ms']);
    assert.ok(html.includes('href="/stats/v1/public"'));
    for (const table of ['par-mois', 'par-jour', 'par-api']) assert.ok(html.includes(`aria-labelledby="titre-${table}"`), table);
    assert.match(html, /<div data-chart="stacked" data-horizontal="false">/);
    assert.match(html, /<div data-chart="bar" data-horizontal="true">/);
  });

  test('public pages name no token, organisation, person or recipient', async () => {
    for (const url of ['/statistiques', '/statut', '/statut/dss']) {
      const html = (await t.app.server.inject({ url })).body;
      for (const id of Object.values(jti)) {
        assert.equal(html.includes(id), false, `${url}: token id`);
        assert.equal(html.includes(id.slice(0, 8)), false, `${url}: token prefix`);
      }
      for (const name of names) assert.equal(html.includes(name), false, `${url}: token name ${name}`);
      for (const secret of [camille.siret, camille.email, stranger.siret ?? '', stranger.id, '21350238800019', 'mairie-rennes', 'pseudo-']) assert.equal(html.includes(secret), false, `${url}: ${secret}`);
    }
  });

  test('an anonymous visitor of /compte/statistiques is sent to sign in', async () => {
    const res = await t.app.server.inject({ url: '/compte/statistiques' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/connexion?retour=%2Fcompte%2Fstatistiques');
  });

  test('an agent sees the tokens of their habilitations and their hand-made token, and no other', async () => {
    const get = await signIn(base, camille.sub);
    const res = await get('/compte/statistiques');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    const html = await res.text();
    const page = text(html);
    // 30 days: own habilitation 3×200 + 1×404 today, hand-made 1×502 five days ago.
    assert.ok(page.includes('3 Justificatifs papier évités sur 30 jours'), page);
    assert.ok(page.includes('5 Appels sur 30 jours Dont 1 erreurs de l’appelant (4xx) et 1 erreurs du service ou du fournisseur (5xx).'), page);
    assert.ok(page.includes('60 % Taux de réussite'), page);
    assert.ok(page.includes('220 ms Latence moyenne'), page);
    const own = [jti.ownHabilitation, jti.ownHandMade];
    for (const id of own) assert.ok(html.includes(`<option value="${id}"`), id);
    for (const id of [jti.foreignHabilitation, jti.foreignHandMade]) assert.equal(html.includes(id.slice(0, 8)), false, id);
    assert.deepEqual(rowOf(html, 'Par jeton', `Jeton historique Villebelle (${jti.ownHandMade.slice(0, 8)}…)`), ['Actif', '1', '1', '0 %', '1 000 ms', '0']);
    assert.deepEqual(rowOf(html, 'Appels par jour', 'lun. 23 nov. 2026'), ['3', '1', '0', '4']);
    assert.deepEqual(rowOf(html, 'Appels par jour', 'mer. 18 nov. 2026'), ['0', '0', '1', '1']);
    assert.deepEqual(rowOf(html, 'Appels par jour', 'mer. 14 oct. 2026'), ['2', '0', '0', '2'], 'two months of detail');
    assert.deepEqual(rowOf(html, 'Appels par jour', 'dim. 22 nov. 2026'), ['0', '0', '0', '0'], 'other tokens are not counted');
    assert.deepEqual(rowOf(html, 'Appels par API', 'Statut étudiant boursier'), ['1', '0', '0 %', '1 000 ms']);

    const one = await (await get(`/compte/statistiques?jeton=${jti.ownHabilitation}`)).text();
    assert.ok(text(one).includes('4 Appels sur 30 jours'), text(one));
    assert.equal(rowOf(one, 'Appels par API', 'Statut étudiant boursier'), undefined);
    const foreign = await get(`/compte/statistiques?jeton=${jti.foreignHabilitation}`);
    assert.equal(foreign.status, 404);
    assert.equal((await foreign.text()).includes(jti.foreignHabilitation), false);
  });

  test('the chart scripts are served gzipped and weigh less than the page budget', async () => {
    const html = (await t.app.server.inject({ url: '/statistiques' })).body;
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] as string);
    assert.deepEqual(scripts, ['/dsfr/dsfr.module.min.js', '/statistiques/js/chart.umd.min.js', '/statistiques/js/stats-charts.js']);
    let total = 0;
    for (const src of scripts) {
      const res = await t.app.server.inject({ url: src, headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(res.statusCode, 200, src);
      total += res.rawPayload.length;
      if (src.startsWith('/statistiques/')) {
        assert.equal(res.headers['content-encoding'], 'gzip', src);
        assert.ok(gunzipSync(res.rawPayload).length > res.rawPayload.length, src);
        const again = await t.app.server.inject({ url: src, headers: { 'if-none-match': String(res.headers.etag) } });
        assert.equal(again.statusCode, 304);
      }
    }
    assert.ok(total < 200 * 1024, `${total} bytes of JavaScript`);
    assert.equal((await t.app.server.inject({ url: '/statistiques/js/chart.umd.min.js' })).headers['content-encoding'], undefined, 'plain when gzip is not accepted');
    assert.equal((await t.app.server.inject({ url: '/statut' })).body.includes('chart.umd'), false, 'no chart library where there is no chart');
  });
});
