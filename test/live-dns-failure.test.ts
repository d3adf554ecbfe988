/**
 * DNS failure end to end (issue 4 leftover 2, CONTRACT §4.3, docs/adr/0086-dns-failure-end-to-end.md):
 * in live mode, the Cnous upstream's base URL is a host that cannot resolve (the reserved `.invalid`
 * TLD, RFC 6761), the others are the simulators. A call through the HTTP API answers 504 `26004`
 * with `meta.provider` and `meta.retry_in`, the contract's headers, and its journal row — at once,
 * without network (names under `.invalid` never reach a resolver: `src/live/upstream-lookup.ts`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveRig, RECIPIENT, type LiveRig } from './helpers/live-apps.ts';

const URL = `/v3/cnous/etudiant_boursier/ine?recipient=${RECIPIENT}&ine=1234567890A`;
const REQUEST_ID = 'dns-failure-e2e-1';
/** The default limits, so that the rate-limit headers read as in production. */
const DEFAULT_LIMITS = { RATE_LIMIT_PER_SECOND: '20', RATE_LIMIT_BURST: '20', RATE_LIMIT_IP_PER_SECOND: '50', RATE_LIMIT_IP_BURST: '100' };

let rig: LiveRig;

before(async () => {
  rig = await liveRig({ gateway: { retries: 1 } }, { ...DEFAULT_LIMITS, LIVE_CNOUS_URL: 'http://cnous.invalid' });
});

after(async () => {
  await rig?.close();
});

test('an upstream host that does not resolve → 504 26004 with meta.provider and retry_in, at once, journaled', async () => {
  const cnous = rig.sims.simulators.get('cnous');
  assert.ok(cnous !== undefined);
  const started = performance.now();
  const res = await rig.live.app.server.inject({ url: URL, headers: { authorization: `Bearer ${rig.token}`, 'x-request-id': REQUEST_ID } });
  const elapsed = performance.now() - started;

  assert.equal(res.statusCode, 504);
  assert.deepEqual(res.json(), {
    errors: [
      {
        code: '26004',
        title: 'Erreur de résolution DNS',
        detail: "Problème de résolution DNS de l'adresse du serveur",
        source: null,
        meta: { provider: 'CNOUS', retry_in: 10 },
      },
    ],
  });
  const { date, 'ratelimit-remaining': remaining, 'ratelimit-reset': reset, ...stable } = res.headers;
  assert.deepEqual(stable, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(res.body)),
    'x-request-id': REQUEST_ID,
    'ratelimit-policy': '"ip";q=50;w=1, "token";q=20;w=1',
    ratelimit: '"ip";r=99;t=1, "token";r=19;t=1',
    'ratelimit-limit': '1200',
    connection: 'keep-alive',
  });
  assert.ok(!Number.isNaN(Date.parse(String(date))));
  assert.match(String(remaining), /^\d+$/);
  assert.match(String(reset), /^\d{10}$/);

  // A resolver time-out would take seconds; `.invalid` is refused before any DNS query.
  assert.ok(elapsed < 2_000, `answered in ${Math.round(elapsed)} ms`);
  assert.equal(cnous.stats.requests - cnous.stats.tokensIssued, 0, 'the simulator is never reached');

  await rig.live.app.services.journal.drain();
  const row = await rig.live.database.db
    .selectFrom('access_journal')
    .select(['route', 'operation_id', 'modality', 'status', 'error_code', 'recipient', 'token_jti', 'provider_latency_ms', 'person_pseudonym'])
    .where('request_id', '=', REQUEST_ID)
    .executeTakeFirst();
  assert.ok(row !== undefined, 'the call is journaled');
  const { token_jti: jti, provider_latency_ms: providerMs, person_pseudonym: pseudonym, ...rest } = row;
  assert.deepEqual(rest, {
    route: '/v3/cnous/etudiant_boursier/ine',
    operation_id: 'api_particulier_v3_cnous_etudiant_boursier_with_ine',
    modality: 'ine',
    status: 504,
    error_code: '26004',
    recipient: RECIPIENT,
  });
  assert.ok(typeof jti === 'string' && jti !== '');
  assert.ok(Number(providerMs) >= 0);
  assert.ok(typeof pseudonym === 'string' && pseudonym !== '');
});

test('a DNS failure counts as a failed call on the status page', async () => {
  const health = rig.live.app.services.liveHealth().find((h) => h.provider === 'cnous');
  assert.equal(health?.calls, 1);
  assert.equal(health?.successRate, 0);
  const res = await rig.live.app.server.inject({ url: URL, headers: { authorization: `Bearer ${rig.token}` } });
  assert.equal(res.json().errors[0].code, '26004');
  assert.equal(rig.live.app.services.liveHealth().find((h) => h.provider === 'cnous')?.calls, 2);
});
