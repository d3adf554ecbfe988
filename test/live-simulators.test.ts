/**
 * The simulators' own behaviour (dev and test only, but tests rely on it): fault parsing and drawing,
 * the OAuth2 token endpoint with short-lived tokens, the API key check, the `X-Simulator-Fault`
 * header, and the published upstream formats over loopback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { Faults, parseFaults } from '../simulators/faults.ts';
import { parseLatency } from '../simulators/simulate-command.ts';
import { startSimulators } from '../simulators/start-simulators.ts';

test('fault header parsing lists unknown items instead of guessing', () => {
  assert.deepEqual(parseFaults('latency=200, 503,throttle'), {
    faults: [{ kind: 'latency', ms: 200 }, { kind: 'status', status: 503 }, { kind: 'throttle' }],
    unknown: [],
  });
  assert.deepEqual(parseFaults('slow, 404').unknown, ['slow', '404']);
  assert.deepEqual(parseLatency('20-80:500'), { minMs: 20, maxMs: 80, tailMs: 500 });
  assert.throws(() => parseLatency('80-20'), TypeError);
});

test('configured rates and queued faults are drawn in order: header, queue, then rates', () => {
  const rolls = [0.05, 0.5];
  const faults = new Faults({ timeoutRate: 0.1, errorRate: 0.2 }, () => rolls.shift() ?? 0.99);
  faults.queue('throttle');
  assert.deepEqual(faults.draw('500').faults, [{ kind: 'status', status: 500 }]);
  assert.deepEqual(faults.draw(undefined).faults, [{ kind: 'throttle' }]);
  assert.deepEqual(faults.draw(undefined).faults, [{ kind: 'timeout' }]);
  assert.deepEqual(faults.draw(undefined).faults, [], 'roll 0.5 is past timeout + error rates');
  assert.throws(() => faults.queue('nonsense'), TypeError);
});

test('OAuth2 tokens expire, API keys are checked, the fault header applies, the DSNJ answers as published', async () => {
  const sims = await startSimulators({ only: ['cnous', 'dsnj'], tokenTtlSeconds: 1 });
  try {
    const env = sims.env;
    const basic = Buffer.from(`${env.LIVE_CNOUS_CLIENT_ID}:${env.LIVE_CNOUS_CLIENT_SECRET}`).toString('base64');
    const tokenAnswer = await request(env.LIVE_CNOUS_TOKEN_URL ?? '', { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    const token = (await tokenAnswer.body.json()) as { access_token: string; expires_in: number; token_type: string };
    assert.equal(token.expires_in, 1);
    assert.equal(token.token_type, 'Bearer');
    const wrong = await request(env.LIVE_CNOUS_TOKEN_URL ?? '', { method: 'POST', headers: { authorization: `Basic ${Buffer.from('x:y').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    assert.equal(wrong.statusCode, 401);
    await wrong.body.dump();

    const cnous = (headers: Record<string, string> = {}) => request(`${env.LIVE_CNOUS_URL}/v1/etudiants-boursiers?ine=0000000000X`, { headers: { authorization: `Bearer ${token.access_token}`, ...headers } });
    const unknown = await cnous();
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(((await unknown.body.json()) as { erreur: { code: string } }).erreur.code, 'NON_TROUVE');
    const throttled = await cnous({ 'x-simulator-fault': 'throttle' });
    assert.equal(throttled.statusCode, 429);
    await throttled.body.dump();
    const bad = await cnous({ 'x-simulator-fault': 'explode' });
    assert.equal(bad.statusCode, 400);
    await bad.body.dump();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await cnous();
    assert.equal(expired.statusCode, 401, 'the token has expired');
    await expired.body.dump();

    const dsnj = (key: string) =>
      request(`${env.LIVE_DSNJ_URL}/dln1f`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ identites_pivot: [{ given_name: 'Inconnu', family_name: 'PERSONNE', birthdate: '2005-01-01', gender: 'male', birthcountry: '99100' }] }),
      });
    const refused = await dsnj('not-the-key');
    assert.equal(refused.statusCode, 403);
    await refused.body.dump();
    const answer = await dsnj(env.LIVE_DSNJ_API_KEY ?? '');
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(((await answer.body.json()) as { return_code: string; results: Array<{ code: string }> }).results[0]?.code, 'NON_TROUVE');
  } finally {
    await sims.close();
  }
});
