/**
 * Driving the portal over real HTTP like a browser without JavaScript: a cookie jar per host, no
 * automatic redirects, forms posted with their hidden fields (CSRF), and sign-in through the
 * embedded identity provider as one of the synthetic agents.
 *
 * @example
 * const base = await t.app.server.listen({ host: '127.0.0.1', port: 0 });
 * const instructor = await signIn(base, syntheticAgents.find((a) => a.role === 'instructor')!);
 * const { html, csrf } = await page(instructor, base, '/instruction');
 */
import assert from 'node:assert/strict';
import type { SyntheticAgent } from '../../src/idp/synthetic-agents.ts';

export class PortalClient {
  readonly jar = new Map<string, Map<string, string>>();

  async go(url: string, init: { form?: Record<string, string | string[]> } = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = this.jar.get(u.host) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of ([] as string[]).concat(v)) params.append(k, one);
      body = params.toString();
    }
    const res = await fetch(url, { method: init.form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(u.host, cookies);
    return res;
  }
}

/** HTML entities the views write, back to text. */
export const decodeHtml = (s: string): string =>
  s.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))).replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1] as string] = decodeHtml(m[2] as string);
  return fields;
}

/** GETs a page: its status, HTML and the CSRF token of its forms. */
export async function page(client: PortalClient, base: string, path: string): Promise<{ status: number; html: string; csrf: string }> {
  const res = await client.go(`${base}${path}`);
  const html = await res.text();
  return { status: res.status, html, csrf: hiddenFields(html)._csrf ?? '' };
}

/** Signs an agent in through the embedded identity provider; returns their client. */
export async function signIn(base: string, who: SyntheticAgent): Promise<PortalClient> {
  const client = new PortalClient();
  const start = await client.go(`${base}/connexion?retour=%2Fcompte`);
  const authorize = start.headers.get('location') as string;
  const login = await client.go(authorize);
  const issuer = new URL(authorize).origin;
  const chosen = await client.go(`${issuer}/authorize`, { form: { ...hiddenFields(await login.text()), agent: who.sub } });
  let next = new URL(chosen.headers.get('location') as string, issuer).href;
  for (let hops = 0; hops < 5 && !next.startsWith(base); hops++) next = new URL((await client.go(next)).headers.get('location') as string, next).href;
  const back = await client.go(next);
  assert.equal(back.status, 303, `${who.role} signed in`);
  return client;
}
