/**
 * Live mode end to end (issue 4 "done when"): every route of the registry, through the real
 * pipeline, against the upstream simulators speaking each upstream's contract over loopback.
 *
 * - each route answers every 200 and 404 case of the cast exactly as the sandbox does (the
 *   simulators serve the same cast in the upstreams' own formats, so this proves both mappings);
 * - each route maps the upstream's timeout, 5xx, malformed and schema-breaking bodies and throttling
 *   to the contract's status and code, with `meta.provider`, never the upstream's words.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointDefinition, ProviderManifest } from '../src/core/endpoint.ts';
import { menNullFields } from '../src/providers/men/live/upstream.ts';
import { allEndpoints } from '../src/providers/index.ts';
import { Cast } from '../simulators/cast.ts';
import { castFranceConnect, FC_CLIENT, liveRig, providerNameFor, UNLIMITED, upstreamOf, urlOf, type LiveRig } from './helpers/live-apps.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ code: string; title: string; detail: string; meta: Record<string, unknown> }> };
}

let rig: LiveRig;
let sandbox: TestApp;
let sandboxToken: string;
let cast: Cast;

async function ask(app: TestApp, url: string, bearer: string): Promise<Answer> {
  const res = await app.app.server.inject({ url, headers: { authorization: `Bearer ${bearer}`, 'cache-control': 'no-cache' } });
  return { status: res.statusCode, body: res.json() as Answer['body'] };
}

/** The fields an upstream cannot fill are `null` in live answers (the contract allows it). */
function withUpstreamNulls(endpoint: EndpointDefinition, data: unknown): unknown {
  if (!endpoint.operationId.includes('_men_')) return data;
  const copy = structuredClone(data) as Record<string, Record<string, unknown>>;
  for (const field of menNullFields) {
    const [outer, inner] = field.split('.') as [string, string];
    if (copy[outer] !== undefined) copy[outer][inner] = null;
  }
  return copy;
}

/** Requests of a route from its cast: case params (identite, ine, identifiant) or fake FranceConnect tokens. */
function requestsOf(endpoint: EndpointDefinition, fcTokens: string[]): Array<{ url: string; bearer: 'api' | string; label: string }> {
  if (endpoint.modality === 'france_connect') {
    // The route's own params (ANTS: the plate) as the cases give them, for every fake token.
    const own = Object.keys(endpoint.params.properties).map((k) => k.replace(/\[\]$/, ''));
    const extras = new Map<string, Record<string, unknown>>([['{}', {}]]);
    for (const c of cast.cases(endpoint.operationId)) {
      const extra = Object.fromEntries(Object.entries(c.params).filter(([k]) => own.includes(k)));
      extras.set(JSON.stringify(extra), extra);
    }
    // Only tokens whose person has a case: without one the sandbox answers the route's generic example.
    return fcTokens.flatMap((token) =>
      [...extras.values()]
        .filter((extra) => {
          const identity = cast.franceConnectParams(token);
          if (identity === undefined) return false;
          const merged = { ...extra, ...(endpoint.franceConnectParams?.(identity) ?? identity) };
          const params = endpoint.providerParams?.(merged, { now: new Date() }) ?? merged;
          return cast.lookUp([endpoint.operationId], params).kind !== 'unknown';
        })
        .map((extra) => ({ url: urlOf(endpoint, extra), bearer: token, label: `FranceConnect ${token} ${JSON.stringify(extra)}` })),
    );
  }
  return cast
    .cases(endpoint.operationId)
    .filter((c) => c.status === 200 || c.status === 404)
    .map((c) => {
      const params = { ...c.params };
      const perimeter = ['degreEtablissement', 'codesBcnDepartements', 'codesBcnRegions'].some((k) => k in params);
      if (endpoint.operationId.includes('_men_') && !perimeter && !('codeEtablissement' in params)) {
        // A MEN case keyed on the pupil alone: ask in one school, as the published upstream requires.
        Object.assign(params, { codeEtablissement: '0691234K', anneeScolaire: params.anneeScolaire ?? '2025-2026' });
      }
      return { url: urlOf(endpoint, params), bearer: 'api', label: c.file.split('/').pop() ?? c.file };
    });
}

before(async () => {
  cast = await Cast.load();
  rig = await liveRig({ gateway: { timeoutMs: 400, breakerFailures: 1000, retries: 0 } });
  const fc = await castFranceConnect();
  sandbox = await testApp({ env: UNLIMITED, overrides: fc.overrides });
  sandboxToken = await sandbox.token({ allScopes: true, modalities: ['identite', 'france_connect', 'ine', 'identifiant'], fcClientIds: [FC_CLIENT] });
});

after(async () => {
  await rig?.close();
  await sandbox?.close();
});

describe('every route answers the cast in live mode as in sandbox mode', () => {
  for (const { endpoint } of allEndpoints()) {
    test(endpoint.path, async () => {
      const seen = { 200: 0, 404: 0 };
      for (const request of requestsOf(endpoint, rig.fcTokens)) {
        const expected = await ask(sandbox, request.url, request.bearer === 'api' ? sandboxToken : request.bearer);
        if (expected.status !== 200 && expected.status !== 404) continue;
        if (endpoint.operationId.includes('_men_') && !request.url.includes('codeEtablissement=')) {
          // A search by perimeter cannot be sent to the published MEN upstream (docs/adr/0084-men-upstream.md).
          const refused = await ask(rig.live, request.url, rig.token);
          assert.equal(refused.status, 504, request.label);
          assert.equal(refused.body.errors?.[0]?.code, '30001', request.label);
          continue;
        }
        const got = await ask(rig.live, request.url, request.bearer === 'api' ? rig.token : request.bearer);
        assert.equal(got.status, expected.status, `${request.label}: ${JSON.stringify(got.body)}`);
        seen[got.status as 200 | 404] += 1;
        if (got.status === 200) assert.deepEqual(got.body.data, withUpstreamNulls(endpoint, expected.body.data), request.label);
        else assert.deepEqual(got.body.errors, expected.body.errors, request.label);
      }
      assert.ok(seen[200] >= 1, `no 200 compared for ${endpoint.path}`);
      assert.ok(seen[404] >= 1, `no 404 compared for ${endpoint.path}`);
    });
  }
});

/** A request of the route that answers 200 in live mode. */
async function okRequest(endpoint: EndpointDefinition): Promise<{ url: string; bearer: string }> {
  for (const request of requestsOf(endpoint, rig.fcTokens)) {
    if (endpoint.operationId.includes('_men_') && !request.url.includes('codeEtablissement=')) continue;
    const bearer = request.bearer === 'api' ? rig.token : request.bearer;
    if ((await ask(rig.live, request.url, bearer)).status === 200) return { url: request.url, bearer };
  }
  throw new Error(`no 200 request for ${endpoint.path}`);
}

function assertProviderError(provider: ProviderManifest, endpoint: EndpointDefinition, got: Answer, status: number, suffix: string, what: string): void {
  assert.equal(got.status, status, `${what}: ${JSON.stringify(got.body)}`);
  const item = got.body.errors?.[0];
  assert.ok(item !== undefined);
  // The failure codes carry the prefix of the route's own failures (CNAV's 37 on the CAF/MSA routes), else of its 404.
  const declared = endpoint.providerErrors.filter((e) => !e.code.startsWith('00'));
  const prefix = (declared.find((e) => e.code.endsWith('999')) ?? declared[0])?.code.slice(0, 2);
  assert.equal(item.code, `${prefix}${suffix}`, what);
  assert.equal(item.meta.provider, providerNameFor(provider, item.code));
  assert.doesNotMatch(JSON.stringify(got.body), /fault injected|too many requests|est_benef|not a contract/);
}

describe('every route maps upstream failures to the contract codes', () => {
  const cases = [
    { fault: 'timeout', status: 504, suffix: '002', what: 'upstream timeout → PP002 504' },
    { fault: '500', status: 502, suffix: '999', what: 'upstream 5xx → PP999 502' },
    { fault: 'malformed', status: 502, suffix: '999', what: 'malformed body → PP999 502' },
    { fault: 'invalid', status: 502, suffix: '999', what: 'body failing the schema → PP999 502' },
    { fault: 'throttle', status: 504, suffix: '008', what: 'upstream throttling → PP008 504' },
  ];
  for (const { provider, endpoint } of allEndpoints()) {
    test(endpoint.path, async () => {
      const request = await okRequest(endpoint);
      const simulator = rig.sims.simulators.get(upstreamOf(endpoint));
      assert.ok(simulator !== undefined);
      for (const { fault, status, suffix, what } of cases) {
        simulator.faults.queue(fault);
        const got = await ask(rig.live, request.url, request.bearer);
        assertProviderError(provider, endpoint, got, status, suffix, what);
      }
      const healthy = await ask(rig.live, request.url, request.bearer);
      assert.equal(healthy.status, 200);
    });
  }
});
