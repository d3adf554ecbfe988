/**
 * `/metrics` through the real app: counts by route and status, provider latency, rate-limit
 * rejections, journal queue and flush figures — and who may read them (docs/adr/0009-metrics.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const cases = writeCaseDir([{ operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY }]);

/** The value of one sample line, e.g. `apip_data_calls_total{route="…",status="200"}`. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('metrics for a direct loopback scrape', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp({ env: { SANDBOX_DATA_DIRS: cases, RATE_LIMIT_PER_SECOND: '2', RATE_LIMIT_BURST: '2' } });
    token = await t.token();
  });
  after(async () => t.close());

  test('counts calls by route and status, rejections by policy, and never shows a token or a parameter', async () => {
    const call = (auth: string) => t.app.server.inject({ url: `${ROUTE}?${leaQuery()}&nocache=1`, headers: { authorization: `Bearer ${auth}`, 'cache-control': 'no-cache' } });
    assert.equal((await call(token)).statusCode, 200);
    assert.equal((await call(token)).statusCode, 200);
    assert.equal((await call(token)).statusCode, 429);
    assert.equal((await call('not-a-token')).statusCode, 401);
    // The embedded journal moves spooled rows in batches (ADR 0171): the queue is empty once they are moved.
    await t.app.services.journal.drain();

    const res = await t.app.server.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = res.body;
    assert.equal(sample(text, `apip_data_calls_total{route="${ROUTE}",status="200"}`), 2);
    assert.equal(sample(text, `apip_data_calls_total{route="${ROUTE}",status="429"}`), 1);
    assert.equal(sample(text, `apip_data_calls_total{route="${ROUTE}",status="401"}`), 1);
    assert.equal(sample(text, 'apip_rate_limit_rejections_total{policy="token"}'), 1);
    assert.equal(sample(text, 'apip_provider_latency_seconds_count{provider="dss"}'), 2);
    assert.equal(sample(text, 'apip_gateway_overhead_seconds_count'), 4);
    assert.equal(sample(text, 'apip_journal_wait_seconds_count'), 4);
    assert.equal(sample(text, 'apip_journal_queue_depth'), 0);
    assert.ok((sample(text, 'apip_journal_flush_seconds_count') ?? 0) >= 1, 'journal flushes are timed');
    assert.ok((sample(text, 'apip_journal_rows_total{outcome="written"}') ?? 0) >= 4);
    assert.ok(text.includes('apip_process_resident_memory_bytes'), 'process metrics');
    for (const secret of [token, 'ROCHEFORT', '13002526500013', '127.0.0.1']) assert.equal(text.includes(secret), false, secret);
  });

  test('a scrape through a proxy (X-Forwarded-For) is answered as an unknown route', async () => {
    const res = await t.app.server.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<{ errors: Array<{ code: string }> }>().errors[0]?.code, '00404');
  });
});

describe('metrics with METRICS_TOKEN', () => {
  const secret = 'm'.repeat(40);
  let t: TestApp;
  before(async () => {
    t = await testApp({ env: { METRICS_TOKEN: secret } });
  });
  after(async () => t.close());

  test('the bearer token is required, even on loopback', async () => {
    assert.equal((await t.app.server.inject({ url: '/metrics' })).statusCode, 404);
    assert.equal((await t.app.server.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 404);
    const ok = await t.app.server.inject({ url: '/metrics', headers: { authorization: `Bearer ${secret}`, 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /apip_journal_queue_depth 0/);
  });
});
