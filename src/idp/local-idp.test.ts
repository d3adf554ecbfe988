/**
 * The embedded identity provider speaks OIDC strictly enough to be trusted by openid-client, and
 * refuses what a real provider refuses: wrong client secret, PKCE mismatch, replayed or expired
 * code, unknown access token. Real loopback HTTP, frozen clock for expiry.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startLocalIdp, type LocalIdp } from './local-idp.ts';
import { syntheticAgents } from './synthetic-agents.ts';

const redirect = 'http://127.0.0.1:9/connexion/retour';
const verifier = 'v'.repeat(43);
const challenge = createHash('sha256').update(verifier).digest('base64url');
let clock = new Date('2026-03-01T08:00:00Z');
let idp: LocalIdp;

before(async () => {
  idp = await startLocalIdp({ port: 0, clientId: 'portal', clientSecret: 's3cret', redirectUriAllowed: (u) => u === redirect, now: () => clock });
});
after(async () => idp.close());

async function code(agent = syntheticAgents[0]!): Promise<string> {
  const form = { client_id: 'portal', redirect_uri: redirect, response_type: 'code', scope: 'openid email', state: 'st', nonce: 'no', code_challenge: challenge, code_challenge_method: 'S256', agent: agent.sub };
  const res = await fetch(`${idp.issuer}/authorize`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  assert.equal(res.status, 303);
  const location = new URL(res.headers.get('location') as string);
  assert.equal(location.searchParams.get('state'), 'st');
  assert.equal(location.searchParams.get('iss'), idp.issuer);
  return location.searchParams.get('code') as string;
}

function exchange(c: string, overrides: Record<string, string> = {}, secret = 's3cret'): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: c, redirect_uri: redirect, code_verifier: verifier, ...overrides });
  return fetch(`${idp.issuer}/token`, { method: 'POST', body, headers: { authorization: `Basic ${Buffer.from(`portal:${secret}`).toString('base64')}` } });
}

describe('local identity provider', () => {
  test('discovery names its endpoints under the issuer', async () => {
    const meta = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(meta.issuer, idp.issuer);
    assert.equal(meta.token_endpoint, `${idp.issuer}/token`);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  });

  test('a code gives an RS256 ID token with the nonce, and signed ProConnect-like userinfo', async () => {
    const agent = syntheticAgents[2]!;
    const res = await exchange(await code(agent));
    assert.equal(res.status, 200);
    const tokens = (await res.json()) as { id_token: string; access_token: string };
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`));
    const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer: idp.issuer, audience: 'portal', currentDate: clock });
    assert.equal(payload.sub, agent.sub);
    assert.equal(payload.nonce, 'no');
    const info = await fetch(`${idp.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(info.headers.get('content-type'), 'application/jwt');
    const claims = (await jwtVerify(await info.text(), jwks, { issuer: idp.issuer, audience: 'portal', currentDate: clock })).payload;
    assert.equal(claims.email, agent.email);
    assert.equal(claims.siret, agent.siret);
    assert.equal(claims.usual_name, agent.usual_name);
  });

  test('a wrong client secret, a PKCE mismatch or a replayed code are refused', async () => {
    assert.equal((await exchange(await code(), {}, 'wrong')).status, 401);
    const pkce = await exchange(await code(), { code_verifier: 'w'.repeat(43) });
    assert.equal(pkce.status, 400);
    assert.equal(((await pkce.json()) as { error: string }).error, 'invalid_grant');
    const c = await code();
    assert.equal((await exchange(c)).status, 200);
    assert.equal((await exchange(c)).status, 400, 'single use');
    assert.equal((await exchange(await code(), { redirect_uri: 'http://127.0.0.1:9/autre' })).status, 400);
  });

  test('a code expires after a minute', async () => {
    const c = await code();
    clock = new Date(clock.getTime() + 61_000);
    assert.equal((await exchange(c)).status, 400);
  });

  test('userinfo refuses an unknown token; authorize refuses what is not registered', async () => {
    assert.equal((await fetch(`${idp.issuer}/userinfo`, { headers: { authorization: 'Bearer nope' } })).status, 401);
    const bad = new URL(`${idp.issuer}/authorize`);
    for (const [k, v] of Object.entries({ client_id: 'portal', redirect_uri: redirect, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'plain' })) bad.searchParams.set(k, v);
    assert.equal((await fetch(bad)).status, 400, 'PKCE plain');
    bad.searchParams.set('code_challenge_method', 'S256');
    assert.equal((await fetch(bad)).status, 200);
    bad.searchParams.set('client_id', 'other');
    assert.equal((await fetch(bad)).status, 400);
  });
});
