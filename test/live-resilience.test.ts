/**
 * Live mode resilience, end to end against the simulators (issue 4 "done when"): the circuit breaker
 * opens and recovers, an expiring OAuth2 token is renewed without a failed call, a wrong client
 * certificate fails cleanly, a refused connection answers `00501` with `retry_in`, the concurrency
 * budget refuses at once, and the DSS "API des prestations" serves the C2S and RSA routes when chosen.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { request } from 'undici';
import { UpstreamClient } from '../src/live/upstream-client.ts';
import { Cast } from '../simulators/cast.ts';
import { startSimulators } from '../simulators/start-simulators.ts';
import { liveRig, RECIPIENT, type LiveRig } from './helpers/live-apps.ts';

const CNOUS_INE = `/v3/cnous/etudiant_boursier/ine?recipient=${RECIPIENT}&ine=`;
const C2S = '/v3/dss/complementaire_sante_solidaire/identite';
const CAMILLE = `recipient=${RECIPIENT}&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123`;
const LAMBERT = `recipient=${RECIPIENT}&nomNaissance=LAMBERT&prenoms[]=THIERRY&anneeDateNaissance=1960&moisDateNaissance=2&jourDateNaissance=29&sexeEtatCivil=M&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=75056`;

async function ask(rig: LiveRig, url: string, bearer = rig.token) {
  const res = await rig.live.app.server.inject({ url, headers: { authorization: `Bearer ${bearer}`, 'cache-control': 'no-cache' } });
  return { status: res.statusCode, body: res.json() as { data?: Record<string, unknown>; errors?: Array<{ code: string; detail: string; meta: Record<string, unknown> }> } };
}

/** An INE of the Cnous cast that answers 200. */
async function cnousIne(): Promise<string> {
  const cast = await Cast.load();
  const found = cast.cases('api_particulier_v3_cnous_etudiant_boursier_with_ine').find((c) => c.status === 200);
  assert.ok(found !== undefined);
  return String(found.params.ine);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('circuit breaker', () => {
  test('opens after consecutive failures, answers at once with 26001 and retry_in, then recovers through a probe', async () => {
    const rig = await liveRig({ only: ['cnous', 'dss', 'mesri', 'men', 'france_travail', 'dsnj', 'gip_mds', 'sdh', 'ants', 'cnam'], gateway: { timeoutMs: 500, breakerFailures: 3, breakerOpenMs: 400, retries: 0 } });
    try {
      const url = CNOUS_INE + (await cnousIne());
      const cnous = rig.sims.simulators.get('cnous');
      assert.ok(cnous !== undefined);
      assert.equal((await ask(rig, url)).status, 200);
      cnous.faults.queue('500', 3);
      for (let i = 0; i < 3; i++) assert.equal((await ask(rig, url)).body.errors?.[0]?.code, '26999');
      const requestsBefore = cnous.stats.requests;
      const refused = await ask(rig, url);
      assert.equal(refused.status, 504);
      assert.equal(refused.body.errors?.[0]?.code, '26001');
      assert.equal(refused.body.errors?.[0]?.meta.provider, 'CNOUS');
      assert.ok(Number(refused.body.errors?.[0]?.meta.retry_in) >= 1);
      assert.equal(cnous.stats.requests, requestsBefore, 'an open breaker does not call the upstream');
      assert.equal(rig.live.app.services.liveHealth().find((h) => h.provider === 'cnous')?.breaker, 'open');

      await sleep(450);
      assert.equal(rig.live.app.services.liveHealth().find((h) => h.provider === 'cnous')?.breaker, 'half-open');
      assert.equal((await ask(rig, url)).status, 200, 'the probe succeeds');
      const health = rig.live.app.services.liveHealth().find((h) => h.provider === 'cnous');
      assert.equal(health?.breaker, 'closed');
      assert.equal(health?.calls, 5);
      assert.equal(health?.successRate, 2 / 5);
      assert.ok((health?.latencyMs.p50 ?? -1) >= 0);
    } finally {
      await rig.close();
    }
  });

  test('a failed probe opens the breaker again', async () => {
    const rig = await liveRig({ only: ['cnous', 'dss', 'mesri', 'men', 'france_travail', 'dsnj', 'gip_mds', 'sdh', 'ants', 'cnam'], gateway: { timeoutMs: 300, breakerFailures: 2, breakerOpenMs: 300, retries: 0 } });
    try {
      const url = CNOUS_INE + (await cnousIne());
      const cnous = rig.sims.simulators.get('cnous');
      assert.ok(cnous !== undefined);
      cnous.faults.queue('timeout', 3);
      assert.equal((await ask(rig, url)).body.errors?.[0]?.code, '26002');
      assert.equal((await ask(rig, url)).body.errors?.[0]?.code, '26002');
      assert.equal((await ask(rig, url)).body.errors?.[0]?.code, '26001');
      await sleep(350);
      assert.equal((await ask(rig, url)).body.errors?.[0]?.code, '26002', 'the probe times out');
      assert.equal((await ask(rig, url)).body.errors?.[0]?.code, '26001', 'open again at once');
    } finally {
      await rig.close();
    }
  });
});

describe('OAuth2 client credentials', () => {
  test('an expiring upstream token is renewed before expiry, without a failed call', async () => {
    const rig = await liveRig({ tokenTtlSeconds: 1, gateway: { timeoutMs: 1000 } });
    try {
      const cnav = rig.sims.simulators.get('dss');
      assert.ok(cnav !== undefined);
      for (let i = 0; i < 6; i++) {
        const got = await ask(rig, `${C2S}?${CAMILLE}`);
        assert.equal(got.status, 200, JSON.stringify(got.body));
        await sleep(350);
      }
      assert.equal(cnav.stats.unauthorized, 0, 'no call was made with an expired token');
      assert.ok(cnav.stats.tokensIssued >= 2, `tokens issued: ${cnav.stats.tokensIssued}`);
      assert.equal(rig.live.app.services.liveHealth().find((h) => h.provider === 'dss')?.successRate, 1);
    } finally {
      await rig.close();
    }
  });

  test('wrong client credentials fail cleanly with the provider code, never the upstream words', async () => {
    const bad = await liveRig({}, { LIVE_DSS_CLIENT_SECRET: 'not-the-secret' });
    try {
      const got = await ask(bad, `${C2S}?${CAMILLE}`);
      assert.equal(got.status, 502);
      assert.equal(got.body.errors?.[0]?.code, '37999');
      assert.doesNotMatch(JSON.stringify(got.body), /invalid_client/);
    } finally {
      await bad.close();
    }
  });
});

describe('mTLS', () => {
  const ANTS = `/v3/ants/extrait_immatriculation_vehicule/france_connect?recipient=${RECIPIENT}&immatriculation=AB-123-CD`;

  test('only a client certificate of the upstream CA reaches it; another CA or none fails as a connection failure', async () => {
    const sims = await startSimulators({ only: ['ants'] });
    try {
      const base = { baseUrl: sims.simulators.get('ants')?.url ?? '', auth: { kind: 'mtls' as const }, timeoutMs: 2000, concurrency: 4, retries: 0, breaker: { failureThreshold: 5, openMs: 1000 } };
      const client = (certFile?: string, keyFile?: string) => new UpstreamClient({ name: 'ants', config: { ...base, tls: { certFile, keyFile, caFile: sims.ca.caFile } } });
      const rogue = client(sims.ca.rogueCertFile, sims.ca.rogueKeyFile);
      const none = client();
      const good = client(sims.ca.clientCertFile, sims.ca.clientKeyFile);
      const req = { method: 'GET' as const, path: '/v1/extraits-immatriculation', query: { immatriculation: 'AA-000-AA' } };
      const interpret = (status: number) => ({ ok: status });
      try {
        assert.deepEqual(await rogue.call(req, { requestId: 'r1' }, interpret), { kind: 'failure', failure: 'network' });
        assert.deepEqual(await none.call(req, { requestId: 'r2' }, interpret), { kind: 'failure', failure: 'network' });
        assert.deepEqual(await good.call(req, { requestId: 'r3' }, interpret), { kind: 'answer', value: 404 });
        assert.equal(sims.simulators.get('ants')?.stats.requests, 1, 'only the right certificate reached the HTTP layer');
      } finally {
        await Promise.all([rogue.close(), good.close(), none.close()]);
      }
    } finally {
      await sims.close();
    }
  });

  test('through the gateway, the wrong certificate answers 504 00501 with meta.provider ANTS and retry_in 10', async () => {
    const sims = await startSimulators({ only: ['ants'] });
    try {
      const rig = await liveRig({}, { LIVE_ANTS_URL: sims.simulators.get('ants')?.url ?? '', LIVE_ANTS_CERT_FILE: sims.ca.rogueCertFile, LIVE_ANTS_KEY_FILE: sims.ca.rogueKeyFile, LIVE_ANTS_CA_FILE: sims.ca.caFile });
      try {
        const res = await rig.live.app.server.inject({ url: ANTS, headers: { authorization: `Bearer ${rig.fcTokens[0] ?? ''}` } });
        const body = res.json() as { errors: Array<{ code: string; meta: Record<string, unknown> }> };
        assert.equal(res.statusCode, 504, res.body);
        assert.equal(body.errors[0]?.code, '00501');
        assert.deepEqual(body.errors[0]?.meta, { provider: 'ANTS', retry_in: 10 });
        assert.equal(sims.simulators.get('ants')?.stats.requests, 0);
      } finally {
        await rig.close();
      }
    } finally {
      await sims.close();
    }
  });
});

describe('connection failures and budgets', () => {
  test('a refused connection answers 504 00501 with meta.retry_in and meta.provider', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const rig = await liveRig({}, { LIVE_SDH_URL: `http://127.0.0.1:${port}`, LIVE_SDH_RETRIES: '1' });
    try {
      const got = await ask(rig, `/v3/sdh/statut_sportif/identifiant?recipient=${RECIPIENT}&identifiant=123456`);
      assert.equal(got.status, 504);
      assert.equal(got.body.errors?.[0]?.code, '00501');
      assert.deepEqual(got.body.errors?.[0]?.meta, { provider: 'SDH', retry_in: 10 });
    } finally {
      await rig.close();
    }
  });

  test('a full concurrency budget refuses at once with PP001 and retry_in, it does not queue', async () => {
    const rig = await liveRig({ gateway: { concurrency: 1, timeoutMs: 2000 } });
    try {
      rig.sims.simulators.get('dss')?.faults.queue('latency=400');
      const slow = ask(rig, `${C2S}?${CAMILLE}`);
      await sleep(100);
      const started = performance.now();
      const refused = await ask(rig, `${C2S}?${LAMBERT}`);
      assert.ok(performance.now() - started < 200, 'answered at once');
      assert.equal(refused.status, 504);
      assert.equal(refused.body.errors?.[0]?.code, '37001');
      assert.equal(refused.body.errors?.[0]?.meta.retry_in, 1);
      assert.equal((await slow).status, 200);
    } finally {
      await rig.close();
    }
  });

  test('a GET is retried after a 503 inside the budget; a POST (DSNJ) is not', async () => {
    const rig = await liveRig({ gateway: { retries: 1 } });
    try {
      const cnav = rig.sims.simulators.get('dss');
      cnav?.faults.queue('503');
      assert.equal((await ask(rig, `${C2S}?${CAMILLE}`)).status, 200);
      const dsnj = rig.sims.simulators.get('dsnj');
      dsnj?.faults.queue('503');
      const got = await ask(rig, `/v3/dsnj/service_national/identite?${CAMILLE}`);
      assert.equal(got.status, 502);
      assert.equal(got.body.errors?.[0]?.code, '39999');
    } finally {
      await rig.close();
    }
  });
});

describe('DSS "API des prestations" as the C2S and RSA upstream', () => {
  test('beneficiary status from the published API, the other fields null; 404 codes of the routes', async () => {
    const rig = await liveRig({ gateway: { c2sRsaUpstream: 'prestations' } });
    try {
      const c2s = await ask(rig, `${C2S}?${CAMILLE}`);
      assert.equal(c2s.status, 200, JSON.stringify(c2s.body));
      assert.equal(typeof c2s.body.data?.est_beneficiaire, 'boolean');
      assert.equal(c2s.body.data?.avec_participation, null);
      assert.equal(c2s.body.data?.date_debut_droit, null);
      assert.ok((rig.sims.simulators.get('dss_prestations')?.stats.requests ?? 0) >= 1);
      assert.equal(rig.sims.simulators.get('dss')?.stats.requests, 0, 'the CNAV is not called for C2S');
      const missing = await ask(rig, `${C2S}?${LAMBERT}`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body.errors?.[0]?.meta, { provider: 'RNCPS' });
      assert.equal(missing.body.errors?.[0]?.code, '40003');
      const rsa = await ask(rig, `/v3/dss/revenu_solidarite_active/identite?${LAMBERT}`);
      assert.equal(rsa.status, 404);
      assert.equal(rsa.body.errors?.[0]?.code, '35003');
    } finally {
      await rig.close();
    }
  });

  test('the simulator serves the published FranceConnect form (X-FranceConnect-Token) and demands a UUID correlation id', async () => {
    const rig = await liveRig({ gateway: { c2sRsaUpstream: 'prestations' } });
    try {
      const env = rig.sims.env;
      const tokenRes = await request(env.LIVE_DSS_PRESTATIONS_TOKEN_URL ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${env.LIVE_DSS_PRESTATIONS_CLIENT_ID}:${env.LIVE_DSS_PRESTATIONS_CLIENT_SECRET}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      const { access_token: accessToken } = (await tokenRes.body.json()) as { access_token: string };
      const call = async (headers: Record<string, string>) => {
        const res = await request(`${env.LIVE_DSS_PRESTATIONS_URL}/prestations/v1/fc/CSS`, { headers: { authorization: `Bearer ${accessToken}`, ...headers } });
        return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
      };
      const uuid = '2f1c5e0a-4b7d-4c1e-9f3a-6d8e2b1c0a9f';
      const ok = await call({ 'x-correlation-id': uuid, 'x-franceconnect-token': 'camille_c2s' });
      assert.equal(ok.status, 200);
      assert.equal(typeof ok.body.code, 'boolean');
      assert.equal((await call({ 'x-correlation-id': 'not-a-uuid', 'x-franceconnect-token': 'camille_c2s' })).status, 400);
      assert.equal((await call({ 'x-correlation-id': uuid, 'x-franceconnect-token': 'unknown' })).status, 403);
      const faulted = await call({ 'x-correlation-id': uuid, 'x-franceconnect-token': 'camille_c2s', 'x-simulator-fault': 'throttle' });
      assert.equal(faulted.status, 429);
    } finally {
      await rig.close();
    }
  });
});
