/**
 * Sign-in over real HTTP (issue 5 item 2): the app and its embedded identity provider each listen on
 * a loopback port; a client follows the authorization-code flow as a browser would (cookies, 303s,
 * the provider's login form), lands on its account with the roles seeded for the agent, then signs
 * out with the CSRF token of the page. Then the ways it must fail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { syntheticAgents } from '../src/idp/synthetic-agents.ts';
import type { PortalTables } from '../src/portal/portal-tables.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

/** A tiny browser: a cookie jar and no automatic redirects. */
class Client {
  readonly jar = new Map<string, Map<string, string>>();

  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = this.jar.get(u.host) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, at);
      const value = (pair as string).slice(at + 1);
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(u.host, cookies);
    return res;
  }
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1] as string] = (m[2] as string).replace(/&#(\d+);/g, (_s, c: string) => String.fromCharCode(Number(c)));
  }
  return fields;
}

let t: TestApp;
let base: string;
before(async () => {
  t = await testApp();
  base = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
});
after(async () => t.close());

const db = (): Kysely<PortalTables> => t.database.db as unknown as Kysely<PortalTables>;
const instructor = syntheticAgents.find((a) => a.role === 'instructor')!;

/** Runs the flow up to the provider's redirect back to the portal; returns that URL. */
async function untilCallback(client: Client, agentSub: string, returnTo = '/compte'): Promise<string> {
  const start = await client.go(`${base}/connexion?retour=${encodeURIComponent(returnTo)}`);
  assert.equal(start.status, 303);
  const authorize = start.headers.get('location') as string;
  assert.match(authorize, /^http:\/\/127\.0\.0\.1:\d+\/authorize\?/);
  assert.match(authorize, /code_challenge_method=S256/);
  const login = await client.go(authorize);
  assert.equal(login.status, 200);
  const page = await login.text();
  for (const agent of syntheticAgents) assert.ok(page.includes(agent.email), agent.email);
  const issuer = new URL(authorize).origin;
  const chosen = await client.go(`${issuer}/authorize`, { form: { ...hiddenFields(page), agent: agentSub } });
  assert.equal(chosen.status, 303);
  return chosen.headers.get('location') as string;
}

describe('sign-in with the embedded identity provider', () => {
  test('an instructor signs in, sees their account and roles, then signs out', async () => {
    const client = new Client();
    const callback = await untilCallback(client, instructor.sub);
    assert.ok(callback.startsWith(`${base}/connexion/retour?`), callback);
    const anonymousSession = client.jar.get(new URL(base).host)?.get('apip_session');

    const back = await client.go(callback);
    assert.equal(back.status, 303);
    assert.equal(back.headers.get('location'), '/compte');
    const signedSession = client.jar.get(new URL(base).host)?.get('apip_session');
    assert.ok(signedSession !== undefined && signedSession !== anonymousSession, 'a new session id after sign-in');
    const cookieLine = back.headers.getSetCookie().find((c) => c.startsWith('apip_session='));
    assert.match(cookieLine ?? '', /HttpOnly/);
    assert.match(cookieLine ?? '', /SameSite=Lax/);

    const account = await client.go(`${base}/compte`);
    assert.equal(account.status, 200);
    const html = await account.text();
    assert.ok(html.includes(instructor.email));
    assert.ok(html.includes(instructor.siret));
    assert.match(html, /<li>Demandeur<\/li><li>Instructeur<\/li>/);
    assert.match(html, /Se déconnecter/);

    const row = await db().selectFrom('portal_users').selectAll().where('sub', '=', instructor.sub).executeTakeFirstOrThrow();
    assert.deepEqual(row.roles, ['applicant', 'instructor']);
    assert.equal(row.idp_id, instructor.idp_id);
    assert.equal((await db().selectFrom('portal_sessions').select('id').execute()).length, 1, 'the pre-sign-in session is gone');

    const csrf = hiddenFields(html)._csrf as string;
    const out = await client.go(`${base}/deconnexion`, { form: { _csrf: csrf } });
    assert.equal(out.status, 303);
    const endSession = new URL(out.headers.get('location') as string);
    assert.equal(endSession.pathname, '/session/end');
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${base}/`);
    assert.equal((await client.go(endSession.href)).headers.get('location'), `${base}/`);
    assert.equal((await db().selectFrom('portal_sessions').select('id').execute()).length, 0);
    assert.equal((await client.go(`${base}/compte`)).status, 303, 'signed out');
  });

  test('a provider reviewer and an administrator get their roles', async () => {
    for (const role of ['provider_reviewer', 'admin'] as const) {
      const agent = syntheticAgents.find((a) => a.role === role)!;
      const client = new Client();
      await client.go(await untilCallback(client, agent.sub));
      const row = await db().selectFrom('portal_users').select('roles').where('sub', '=', agent.sub).executeTakeFirstOrThrow();
      assert.deepEqual(row.roles, ['applicant', role]);
    }
  });

  test('the return path stays on the portal', async () => {
    const client = new Client();
    const back = await client.go(await untilCallback(client, syntheticAgents[0]!.sub, '//evil.example/x'));
    assert.equal(back.headers.get('location'), '/compte');
    const client2 = new Client();
    const back2 = await client2.go(await untilCallback(client2, syntheticAgents[0]!.sub, '/catalogue?theme=Sant%C3%A9'));
    assert.equal(back2.headers.get('location'), '/catalogue?theme=Sant%C3%A9');
  });

  test('a forged state, a replayed code or a lost session do not sign anyone in', async () => {
    const client = new Client();
    const callback = new URL(await untilCallback(client, instructor.sub));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged');
    const res = await client.go(forged.href);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /La connexion n’a pas abouti/);
    // The session is dropped: the genuine callback no longer works either, nor does a replay.
    assert.equal((await client.go(callback.href)).status, 400);

    const stranger = new Client();
    const other = await untilCallback(new Client(), instructor.sub);
    assert.equal((await stranger.go(other)).status, 400, 'callback without the session that started it');
  });

  test('the provider refuses an unregistered redirect URI and a cancelled sign-in is reported', async () => {
    const client = new Client();
    const start = await client.go(`${base}/connexion`);
    const authorize = new URL(start.headers.get('location') as string);
    authorize.searchParams.set('redirect_uri', 'http://evil.example/connexion/retour');
    assert.equal((await client.go(authorize.href)).status, 400);
    const state = new URL(start.headers.get('location') as string).searchParams.get('state') as string;
    const cancelled = await client.go(`${base}/connexion/retour?error=access_denied&state=${state}`);
    assert.equal(cancelled.status, 400);
    assert.match(await cancelled.text(), /refusé ou annulé/);
  });
});
