/**
 * The status API (issue 6, item 3; docs/adr/0130-status-api.md): its versioned shape pinned, the
 * provider status rule, probes through the real sandbox driver, and 90 days of uptime on both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProviderDriver } from '../src/core/driver.ts';
import { providers } from '../src/providers/index.ts';
import { createSandboxDriver, OWN_CASES_DIR } from '../src/sandbox/sandbox-driver.ts';
import { SandboxStore } from '../src/sandbox/sandbox-store.ts';
import { ProbeStore } from '../src/status/probe-store.ts';
import { probeTargets, runProbes } from '../src/status/probes.ts';
import { statusOf } from '../src/status/status-report.ts';
import { engines } from './helpers/engines.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');

describe('probes', () => {
  test('every provider reachable without FranceConnect gets a probe from the shipped cast, and it passes in the sandbox', async () => {
    const dirs = [...providers.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : [])), OWN_CASES_DIR];
    const store = await SandboxStore.open(dirs);
    const targets = probeTargets(providers, store.current().cases, () => NOW);
    const expected = providers.filter((p) => p.endpoints.some((e) => e.modality !== 'france_connect')).map((p) => p.id);
    assert.deepEqual(targets.map((t) => t.provider).sort(), [...expected].sort());
    const [engine] = engines();
    const database = await (engine as NonNullable<typeof engine>).open();
    try {
      const probes = new ProbeStore(database.db);
      const results = await runProbes(targets, { driverFor: () => createSandboxDriver(store), store: probes, now: () => NOW });
      for (const r of results) assert.equal(r.ok, true, `${r.provider}: ${r.errorCode}`);
      assert.equal((await probes.latest()).size, targets.length);
    } finally {
      await database.close();
      store.close();
    }
  });

  test('a provider that fails, throws or times out is recorded as down, with the contract code only', async () => {
    const failing: ProviderDriver = {
      call: () => Promise.resolve({ kind: 'error', status: 504, body: { errors: [{ code: '37002', title: 't', detail: 'd', source: null, meta: {} }] } }),
    };
    const throwing: ProviderDriver = { call: () => Promise.reject(new Error('socket hang up')) };
    const [engine] = engines();
    const database = await (engine as NonNullable<typeof engine>).open();
    try {
      const probes = new ProbeStore(database.db);
      const dss = providers.find((p) => p.id === 'dss');
      const endpoint = dss?.endpoints.find((e) => e.modality === 'identite');
      assert.ok(endpoint);
      const [a] = await runProbes([{ provider: 'dss', endpoint, params: {} }], { driverFor: () => failing, store: probes, now: () => NOW });
      assert.deepEqual({ ok: a?.ok, code: a?.errorCode }, { ok: false, code: '37002' });
      const [b] = await runProbes([{ provider: 'dss', endpoint, params: {} }], { driverFor: () => throwing, store: probes, now: () => NOW });
      assert.deepEqual({ ok: b?.ok, code: b?.errorCode }, { ok: false, code: null });
    } finally {
      await database.close();
    }
  });
});

describe('the status rule', () => {
  const up = { provider: 'dss', at: NOW, ok: true, latencyMs: 3, errorCode: null };
  const down = { ...up, ok: false };
  test('open breaker → outage; failed probe with failing traffic → outage; any other failure sign → degraded', () => {
    assert.equal(statusOf('open', 1, up), 'outage');
    assert.equal(statusOf('closed', 0.2, down), 'outage');
    assert.equal(statusOf(null, null, down), 'outage');
    assert.equal(statusOf('closed', 0.99, down), 'degraded');
    assert.equal(statusOf('half_open', 1, up), 'degraded');
    assert.equal(statusOf(null, 0.9, up), 'degraded');
    assert.equal(statusOf(null, 0.99, up), 'operational');
    assert.equal(statusOf(null, null, undefined), 'unknown');
  });
});

for (const engine of engines()) {
  describe(`90-day uptime (${engine.name})`, () => {
    test('per day and overall; older probes purged', async () => {
      const database = await engine.open();
      try {
        const probes = new ProbeStore(database.db);
        const day = (d: number, h: number) => new Date(Date.UTC(2026, 10, 23 - d, h));
        await probes.record([
          { provider: 'dss', at: day(0, 1), ok: true, latencyMs: 2, errorCode: null },
          { provider: 'dss', at: day(0, 2), ok: false, latencyMs: 9, errorCode: '37002' },
          { provider: 'dss', at: day(1, 1), ok: true, latencyMs: 2, errorCode: null },
          { provider: 'dss', at: day(1, 2), ok: true, latencyMs: 2, errorCode: null },
          { provider: 'dss', at: day(95, 1), ok: false, latencyMs: 2, errorCode: null },
        ]);
        const uptime = (await probes.uptime(NOW)).get('dss');
        assert.deepEqual(uptime, {
          overall: 0.75,
          days: [
            { day: '2026-11-22', probes: 2, uptime: 1 },
            { day: '2026-11-23', probes: 2, uptime: 0.5 },
          ],
        });
        assert.equal(await probes.purge(NOW), 1);
        assert.deepEqual((await probes.latest()).get('dss')?.errorCode, '37002');
      } finally {
        await database.close();
      }
    });
  });
}

describe('GET /status/v1', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ overrides: { now: () => NOW } });
  });
  after(async () => t.close());

  test('the summary: a versioned shape, one entry per provider, from traffic and probes', async () => {
    const probes = new ProbeStore(t.database.db);
    await probes.record([
      { provider: 'dss', at: new Date(NOW.getTime() - 60_000), ok: true, latencyMs: 4.25, errorCode: null },
      { provider: 'sdh', at: new Date(NOW.getTime() - 60_000), ok: false, latencyMs: 10_000, errorCode: '00501' },
    ]);
    const token = await t.token();
    // Two calls that reach the DSS provider (a 200 and a 404 are both "the provider answered").
    const q = 'recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
    const first = await t.app.server.inject({ url: `/v3/dss/complementaire_sante_solidaire/identite?${q}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(first.statusCode, 200);

    const res = await t.app.server.inject({ url: '/status/v1/summary' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=10');
    const body = res.json<Record<string, unknown> & { providers: Array<Record<string, unknown>> }>();
    // The pinned shape: keys and types (values vary with time and traffic).
    assert.deepEqual(Object.keys(body), ['version', 'generated_at', 'mode', 'status', 'providers']);
    assert.equal(body.version, 1);
    assert.equal(body.generated_at, NOW.toISOString());
    assert.equal(body.mode, 'sandbox');
    assert.equal(body.status, 'outage', 'the worst provider status');
    assert.deepEqual(body.providers.map((p) => p.id), providers.map((p) => p.id));
    for (const p of body.providers) {
      assert.deepEqual(Object.keys(p), ['id', 'name', 'status', 'breaker', 'traffic', 'last_probe', 'uptime_90d']);
      assert.deepEqual(Object.keys(p.traffic as object), ['window_seconds', 'calls', 'success_rate', 'latency_ms']);
      assert.ok(['operational', 'degraded', 'outage', 'unknown'].includes(String(p.status)));
    }
    const dss = body.providers.find((p) => p.id === 'dss');
    assert.deepEqual({ ...dss, traffic: { ...(dss?.traffic as object), latency_ms: 'measured' } }, {
      id: 'dss',
      name: 'CNAV',
      status: 'operational',
      breaker: null,
      traffic: { window_seconds: 300, calls: 1, success_rate: 1, latency_ms: 'measured' },
      last_probe: { at: '2026-11-23T11:59:00.000Z', ok: true, latency_ms: 4.3, error_code: null },
      uptime_90d: 1,
    });
    const sdh = body.providers.find((p) => p.id === 'sdh');
    assert.equal(sdh?.status, 'outage');
    assert.deepEqual(sdh?.last_probe, { at: '2026-11-23T11:59:00.000Z', ok: false, latency_ms: 10000, error_code: '00501' });
    assert.equal(body.providers.find((p) => p.id === 'cnam')?.status, 'unknown');
  });

  test('one provider with its daily uptime; an unknown id is a 404 in the contract envelope', async () => {
    const res = await t.app.server.inject({ url: '/status/v1/providers/dss' });
    assert.equal(res.statusCode, 200);
    const body = res.json<Record<string, unknown>>();
    assert.deepEqual(Object.keys(body), ['version', 'generated_at', 'id', 'name', 'status', 'breaker', 'traffic', 'last_probe', 'uptime_90d', 'uptime_days']);
    assert.deepEqual(body.uptime_days, [{ day: '2026-11-23', probes: 1, uptime: 1 }]);
    const missing = await t.app.server.inject({ url: '/status/v1/providers/%3Cscript%3E' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<{ errors: Array<{ code: string; detail: string }> }>().errors[0]?.code, '00404');
    assert.equal(missing.body.includes('script'), false);
  });
});
