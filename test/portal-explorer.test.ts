/**
 * Issue 7 item 3: the sandbox explorer runs a route through the real pipeline with a sandbox token
 * restricted to the chosen scopes, shows the request (token masked), the response and what masking
 * removed; bad input gets a message beside its field and calls nothing; live mode only explains.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { endpointScopes } from '../src/core/endpoint.ts';
import { providers } from '../src/providers/index.ts';
import { liveRig } from './helpers/live-apps.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
});
after(() => t?.close());

const endpoints = providers.flatMap((p) => p.endpoints);
const byPath = (path: string) => {
  const e = endpoints.find((x) => x.path === path);
  assert.ok(e, path);
  return e;
};

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await t.app.server.inject({ url });
  return { status: res.statusCode, body: res.body };
}

const unescape = (html: string): string =>
  html.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const section = (html: string, name: string): string => unescape((new RegExp(`data-explorer="${name}"[^>]*>([\\s\\S]*?)</(pre|span|ul|p)>`).exec(html)?.[1] ?? '').replace(/<\/?code[^>]*>/g, ''));

/** The explorer URL that runs `path` with the params of its form as prefilled, and `scopes`. */
async function runUrl(path: string, scopes: readonly string[], extra: Record<string, string> = {}): Promise<string> {
  const e = byPath(path);
  const form = await get(`/developpeurs/explorateur?route=${e.operationId}`);
  assert.equal(form.status, 200);
  const q = new URLSearchParams({ route: e.operationId, executer: '1' });
  for (const m of form.body.matchAll(/name="(p:[^"]+)" value="([^"]*)"/g)) q.append(m[1] as string, unescape(m[2] as string));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  for (const s of scopes) q.append('scopes', s);
  return `/developpeurs/explorateur?${q}`;
}

describe('sandbox explorer', () => {
  test('lists every route of the registry', async () => {
    const page = await get('/developpeurs/explorateur');
    assert.equal(page.status, 200);
    for (const e of endpoints) assert.ok(page.body.includes(`value="${e.operationId}"`), e.path);
  });

  test('prefills the form from the route’s first 200 case and lists its cases', async () => {
    const page = await get(`/developpeurs/explorateur?route=${byPath('/v3/dss/complementaire_sante_solidaire/identite').operationId}`);
    assert.match(page.body, /name="p:nomNaissance" value="[A-Z]+"/);
    assert.match(page.body, /name="p:recipient" value="13002526500013"/);
    assert.match(page.body, /cas=1/);
  });

  test('runs a call with every scope: request with a masked token, headers, body, nothing removed', async () => {
    const path = '/v3/dss/revenu_solidarite_active/identite';
    const page = await get(await runUrl(path, endpointScopes(byPath(path))));
    assert.equal(page.status, 200);
    const request = section(page.body, 'request');
    assert.match(request, /^GET \/v3\/dss\/revenu_solidarite_active\/identite\?recipient=13002526500013&/);
    assert.match(request, /Authorization: Bearer eyJ.{5}…\(masqué\)/);
    assert.doesNotMatch(page.body, /eyJ[\w-]{10,}\.[\w-]+\.[\w-]+/, 'no usable token on the page');
    assert.match(section(page.body, 'status'), /HTTP 200/);
    assert.match(page.body, /<code>x-request-id<\/code>/);
    assert.match(page.body, /<code>ratelimit-limit<\/code>/);
    const body = JSON.parse(section(page.body, 'body').replace(/<\/?code>/g, '')) as { data: Record<string, unknown> };
    assert.ok('avec_majoration' in body.data);
    assert.match(section(page.body, 'removed'), /Aucun champ retiré/);
  });

  test('unchecking a scope: the token lacks it, the field is gone and listed as removed', async () => {
    const path = '/v3/dss/revenu_solidarite_active/identite';
    const page = await get(await runUrl(path, ['revenu_solidarite_active']));
    assert.equal(page.status, 200);
    const body = JSON.parse(section(page.body, 'body').replace(/<\/?code>/g, '')) as { data: Record<string, unknown> };
    assert.ok(!('avec_majoration' in body.data), JSON.stringify(body.data));
    assert.ok('est_beneficiaire' in body.data);
    assert.match(section(page.body, 'removed'), /avec_majoration/);
  });

  test('a FranceConnect route runs with a cast token and applies the chosen scopes with the masking engine', async () => {
    const path = '/v3/dss/revenu_solidarite_active/france_connect';
    const page = await get(await runUrl(path, ['revenu_solidarite_active'], { fc: 'elena_nee_a_l_etranger' }));
    assert.equal(page.status, 200);
    assert.match(section(page.body, 'request'), /Authorization: Bearer elena_nee_a_l_etranger/);
    assert.match(section(page.body, 'status'), /HTTP 200/);
    const body = JSON.parse(section(page.body, 'body').replace(/<\/?code>/g, '')) as { data: Record<string, unknown> };
    assert.ok(!('avec_majoration' in body.data));
    assert.match(page.body, /même moteur de masquage/);
  });

  test('an error answer of the sandbox is shown as such', async () => {
    const e = byPath('/v3/dss/revenu_solidarite_active/identite');
    const url = (await runUrl(e.path, endpointScopes(e))).replace(/p%3AnomNaissance=[^&]+/, 'p%3AnomNaissance=LAMBERT').replace(/p%3Arecipient=[^&]+/, 'p%3Arecipient=123');
    const page = await get(url);
    assert.equal(page.status, 200);
    assert.match(section(page.body, 'status'), /HTTP 422 — erreur/);
    assert.match(section(page.body, 'body'), /00210/);
  });

  test('no scope, an over-long value or an unknown route: a message beside the field, no call', async () => {
    const path = '/v3/dss/revenu_solidarite_active/identite';
    const calls = async (): Promise<string | undefined> => {
      await t.app.services.journal.drain();
      return (await sql<{ n: string }>`select count(*)::text as n from access_journal`.execute(t.database.db)).rows[0]?.n;
    };
    const before = await calls();
    const noScope = await get(await runUrl(path, []));
    assert.equal(noScope.status, 400);
    assert.match(noScope.body, /id="scopes-erreur"[\s\S]*Cochez au moins un scope/);
    const long = await get((await runUrl(path, ['revenu_solidarite_active'])).replace(/p%3AnomNaissance=[^&]+/, `p%3AnomNaissance=${'A'.repeat(201)}`));
    assert.equal(long.status, 400);
    assert.match(long.body, /fr-input--error[\s\S]*trop longue/);
    assert.doesNotMatch(long.body, /data-explorer="request"/);
    const unknown = await get('/developpeurs/explorateur?route=n_existe_pas');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /id="route-erreur"/);
    assert.deepEqual(await calls(), before);
  });

  test('reuses one sandbox token per scope set', async () => {
    const path = '/v3/dss/revenu_solidarite_active/identite';
    const count = async () => (await t.app.services.tokens.list()).filter((x) => x.owner === 'sandbox-explorer').length;
    await get(await runUrl(path, ['revenu_solidarite_active_majoration']));
    const n = await count();
    await get(await runUrl(path, ['revenu_solidarite_active_majoration']));
    assert.equal(await count(), n);
    const view = (await t.app.services.tokens.list()).find((x) => x.owner === 'sandbox-explorer' && x.scopes.join() === 'revenu_solidarite_active_majoration');
    assert.ok(view, 'a token restricted to the chosen scope');
  });
});

describe('explorer in live mode', () => {
  test('explains and links to the sandbox, and runs nothing', async () => {
    const rig = await liveRig();
    try {
      const e = byPath('/v3/dss/revenu_solidarite_active/identite');
      const res = await rig.live.app.server.inject({ url: `/developpeurs/explorateur?route=${e.operationId}&executer=1&scopes=revenu_solidarite_active&p%3Arecipient=13002526500013` });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Indisponible sur cette instance/);
      assert.match(res.body, /href="\/developpeurs\/guides\/bac-a-sable"/);
      assert.doesNotMatch(res.body, /data-explorer=/);
      assert.equal((await rig.live.app.services.tokens.list()).filter((x) => x.owner === 'sandbox-explorer').length, 0);
    } finally {
      await rig.close();
    }
  });
});
