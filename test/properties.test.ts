/**
 * Property tests (fast-check) over EVERY route of the registry, through the real app: whatever the
 * query string, the gateway never answers 5xx and every error is in the contract's envelope; whatever
 * the token's scopes, no field outside them leaves; FranceConnect tokens of an unregistered client
 * are refused outside the sandbox fallback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EndpointDefinition } from '../src/core/endpoint.ts';
import { scopesOfTable } from '../src/core/mask.ts';
import { querySchema } from '../src/gateway/validate-params.ts';
import { allEndpoints } from '../src/providers/index.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const FC_BEARER = 'camille_c2s';
const RECIPIENT = '13002526500013';

function assertEnvelope(status: number, body: unknown, context: string): void {
  assert.ok(status < 500, `5xx on ${context}: ${status} ${JSON.stringify(body)}`);
  const b = body as Record<string, unknown>;
  if (status === 200) {
    assert.deepEqual(Object.keys(b).sort(), ['data', 'links', 'meta'], context);
    return;
  }
  assert.ok(Array.isArray(b.errors) && b.errors.length > 0, `${context}: ${JSON.stringify(body)}`);
  for (const item of b.errors as Array<Record<string, unknown>>) {
    assert.deepEqual(Object.keys(item).sort(), ['code', 'detail', 'meta', 'source', 'title'], context);
    assert.match(String(item.code), /^\d{5}$/, context);
  }
}

const nastyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '99100', RECIPIENT, '2A004', 'M', 'F', '1D', '2025-2026', '0', '-1', '1e3', '2147483648', '%00', '\u0000', 'null', '[]', '{}', '__proto__'),
  fc.integer().map(String),
  fc.string({ minLength: 200, maxLength: 3000 }),
);

function toQuery(params: Record<string, unknown>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    const wire = Array.isArray(value) && !key.endsWith('[]') ? `${key}[]` : key;
    if (Array.isArray(value)) for (const item of value) q.append(wire, String(item));
    else if (value !== null && value !== undefined) q.set(wire, String(value));
  }
  return q;
}

let t: TestApp;
let token: string;
before(async () => {
  t = await testApp({ env: { DEMO_TOKEN: 'true' } });
  token = await t.token();
});
after(async () => t.close());

function bearerFor(endpoint: EndpointDefinition): string {
  return endpoint.modality === 'france_connect' ? FC_BEARER : token;
}

/** Params of the route's first shipped 200 case, as a valid starting point. */
function validSample(endpoint: EndpointDefinition): Record<string, unknown> {
  const found = (t.app.services.sandbox.cases.get(endpoint.operationId) ?? []).find((c) => c.status === 200);
  const base = endpoint.modality === 'france_connect' ? {} : (found?.params ?? {});
  const declared = Object.keys(querySchema(endpoint).properties);
  const extra = Object.fromEntries(Object.entries(found?.params ?? {}).filter(([k]) => declared.includes(k) && endpoint.modality === 'france_connect'));
  return { recipient: RECIPIENT, ...base, ...extra };
}

for (const { endpoint } of allEndpoints()) {
  describe(endpoint.path, () => {
    const names = [...Object.keys(querySchema(endpoint).properties), '__proto__', 'constructor', 'prenoms'];

    test('random query strings: never a 5xx, always the envelope', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), nastyValue), { maxLength: 14 }), async (pairs) => {
          const q = new URLSearchParams();
          for (const [k, v] of pairs) q.append(k, v);
          const res = await t.app.server.inject({ url: `${endpoint.path}?${q.toString()}`, headers: { authorization: `Bearer ${bearerFor(endpoint)}` } });
          assertEnvelope(res.statusCode, res.json(), `${endpoint.path}?${q.toString()}`);
        }),
        { numRuns: 60 },
      );
    });

    test('a valid call with one param replaced: never a 5xx, always the envelope', async () => {
      const sample = toQuery(validSample(endpoint));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), nastyValue, async (name, value) => {
          const q = new URLSearchParams(sample);
          q.set(name, value);
          const res = await t.app.server.inject({ url: `${endpoint.path}?${q.toString()}`, headers: { authorization: `Bearer ${bearerFor(endpoint)}` } });
          assertEnvelope(res.statusCode, res.json(), `${endpoint.path}?${q.toString()}`);
        }),
        { numRuns: 60 },
      );
    });

    if (endpoint.modality !== 'france_connect') {
      test('masking: a 200 never carries a field outside the token’s scopes', async () => {
        const scopes = scopesOfTable(endpoint.masking);
        const query = toQuery(validSample(endpoint)).toString();
        await fc.assert(
          fc.asyncProperty(fc.subarray(scopes, { minLength: 1 }), async (held) => {
            const { token: partial } = await t.app.services.tokens.create({ scopes: held });
            const res = await t.app.server.inject({
              url: `${endpoint.path}?${query}`,
              headers: { authorization: `Bearer ${partial}`, 'cache-control': 'no-cache' },
            });
            assertEnvelope(res.statusCode, res.json(), endpoint.path);
            if (res.statusCode !== 200) return;
            const heldSet = new Set(held);
            const allowed = Object.entries(endpoint.masking)
              .filter(([key]) => scopesOfTable({ [key]: [] }).every((scope) => heldSet.has(scope)))
              .flatMap(([, paths]) => paths);
            const leaves = (value: unknown, prefix: string): string[] => {
              if (Array.isArray(value)) return value.length === 0 ? [prefix] : value.flatMap((v) => leaves(v, prefix));
              if (value !== null && typeof value === 'object') {
                const entries = Object.entries(value);
                return entries.length === 0 ? [prefix] : entries.flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`));
              }
              return [prefix];
            };
            for (const path of leaves(res.json().data, '')) {
              if (path === '') continue;
              assert.ok(
                allowed.some((a) => path === a || path.startsWith(`${a}.`) || a.startsWith(`${path}.`)),
                `${endpoint.path}: ${path} leaked with scopes ${held.join(',')}`,
              );
            }
          }),
          { numRuns: 15 },
        );
      });
    }
  });
}

describe('FranceConnect tokens', () => {
  test('a fake token the sandbox does not know is refused with 401 00101 on every FranceConnect route', async () => {
    for (const { endpoint } of allEndpoints().filter((e) => e.endpoint.modality === 'france_connect')) {
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9._~-]{1,80}$/), async (bearer) => {
          fc.pre(!t.app.services.sandbox.franceConnectTokens.has(bearer));
          const res = await t.app.server.inject({ url: `${endpoint.path}?recipient=${RECIPIENT}`, headers: { authorization: `Bearer ${bearer}` } });
          assert.equal(res.statusCode, 401, endpoint.path);
          assert.equal(res.json().errors[0].code, '00101');
        }),
        { numRuns: 20 },
      );
    }
  });
});
