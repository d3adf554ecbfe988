import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.ts';
import { parseLiveConfig, requiredUpstreams, UPSTREAM_KEYS } from './live-config.ts';
import { classifyError } from './upstream-client.ts';

const everyUpstream = (extra: Record<string, string> = {}) =>
  Object.fromEntries([...UPSTREAM_KEYS.map((k) => [`LIVE_${k.toUpperCase()}_URL`, `https://${k}.example.gouv.fr/api/`]), ...Object.entries(extra)]);

test('MODE=live needs every upstream URL, and lists every missing one', () => {
  assert.throws(
    () => loadConfig({ MODE: 'live' }),
    (e: { problems: string[] }) => requiredUpstreams('cnav').every((k) => e.problems.some((p) => p.startsWith(`LIVE_${k.toUpperCase()}_URL is required`))),
  );
  const config = loadConfig({ MODE: 'live', ...everyUpstream() });
  assert.equal(config.live?.c2sRsaUpstream, 'cnav');
  assert.equal(config.live?.upstreams.dss?.baseUrl, 'https://dss.example.gouv.fr/api');
  assert.equal(config.live?.upstreams.dss_prestations, undefined, 'only parsed when chosen');
  assert.deepEqual(config.live?.upstreams.men?.breaker, { failureThreshold: 5, openMs: 30_000 });
  assert.equal(loadConfig({}).live, undefined, 'sandbox mode has no live slice');
});

test('per-upstream auth: oauth2, api_key, mtls, with their required settings', () => {
  const problems: string[] = [];
  const live = parseLiveConfig(
    everyUpstream({
      LIVE_DSS_C2S_RSA_UPSTREAM: 'prestations',
      LIVE_DSS_PRESTATIONS_AUTH: 'oauth2',
      LIVE_DSS_PRESTATIONS_TOKEN_URL: 'https://auth.example.gouv.fr/token',
      LIVE_DSS_PRESTATIONS_CLIENT_ID: 'gw',
      LIVE_DSS_PRESTATIONS_CLIENT_SECRET: 'secret',
      LIVE_DSNJ_AUTH: 'api_key',
      LIVE_DSNJ_API_KEY: 'k',
      LIVE_ANTS_AUTH: 'mtls',
      LIVE_ANTS_CERT_FILE: '/etc/apip/ants.crt',
      LIVE_ANTS_KEY_FILE: '/etc/apip/ants.key',
      LIVE_CNAM_TIMEOUT_MS: '2500',
    }),
    problems,
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(live.upstreams.dss_prestations?.auth, { kind: 'oauth2', tokenUrl: 'https://auth.example.gouv.fr/token', clientId: 'gw', clientSecret: 'secret', scope: undefined });
  assert.deepEqual(live.upstreams.dsnj?.auth, { kind: 'api_key', key: 'k', header: undefined });
  assert.equal(live.upstreams.ants?.tls.certFile, '/etc/apip/ants.crt');
  assert.equal(live.upstreams.cnam?.timeoutMs, 2500);
});

test('bad live settings are all reported at once', () => {
  const problems: string[] = [];
  parseLiveConfig(
    everyUpstream({ LIVE_DSS_C2S_RSA_UPSTREAM: 'x', LIVE_CNOUS_AUTH: 'oauth2', LIVE_MEN_AUTH: 'mtls', LIVE_SDH_AUTH: 'basic', LIVE_ANTS_CERT_FILE: '/a.crt', LIVE_MESRI_URL: 'ftp://x', LIVE_DSNJ_TIMEOUT_MS: '0' }),
    problems,
  );
  for (const expected of [
    'LIVE_DSS_C2S_RSA_UPSTREAM must be cnav or prestations',
    'LIVE_CNOUS_TOKEN_URL is required',
    'LIVE_CNOUS_CLIENT_ID is required',
    'LIVE_CNOUS_CLIENT_SECRET is required',
    'LIVE_MEN_AUTH=mtls needs',
    'LIVE_SDH_AUTH must be one of',
    'LIVE_ANTS_CERT_FILE and LIVE_ANTS_KEY_FILE go together',
    'LIVE_MESRI_URL must be an http(s):// URL',
    'LIVE_DSNJ_TIMEOUT_MS must be an integer',
  ]) {
    assert.ok(problems.some((p) => p.startsWith(expected)), `${expected} in ${problems.join(' | ')}`);
  }
});

test('transport errors are sorted into the contract failure kinds', () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(classifyError(coded('ENOTFOUND'), false), 'dns');
  assert.equal(classifyError(new Error('x', { cause: coded('EAI_AGAIN') }), false), 'dns');
  assert.equal(classifyError(coded('UND_ERR_HEADERS_TIMEOUT'), false), 'timeout');
  assert.equal(classifyError(coded('ECONNREFUSED'), false), 'network');
  assert.equal(classifyError(coded('ECONNRESET'), true), 'timeout', 'our own budget ran out first');
  assert.equal(classifyError(Object.assign(new Error('aborted'), { name: 'AbortError' }), false), 'timeout');
});
