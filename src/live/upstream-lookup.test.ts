/**
 * RFC 6761 §6.4: names under `.invalid` fail at once, whatever the resolver or the network
 * (docs/adr/0086-dns-failure-end-to-end.md); other names go to the system resolver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { classifyError } from './upstream-client.ts';
import { isReservedInvalidName, upstreamLookup } from './upstream-lookup.ts';

function resolve(hostname: string, all: boolean): Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }> {
  return new Promise((done) => upstreamLookup(hostname, { all }, (error, address) => done({ error, address })));
}

test('`invalid` and every name under it are reserved, whatever the case or a trailing dot', () => {
  for (const name of ['invalid', 'cnous.invalid', 'api.CNOUS.Invalid', 'cnous.invalid.']) assert.equal(isReservedInvalidName(name), true, name);
  for (const name of ['invalid.fr', 'notinvalid', 'cnous.invalide', 'localhost', '127.0.0.1']) assert.equal(isReservedInvalidName(name), false, name);
});

test('a name under .invalid fails at once with ENOTFOUND, classified as a DNS failure', async () => {
  for (const all of [false, true]) {
    const started = performance.now();
    const { error, address } = await resolve('cnous.invalid', all);
    assert.ok(performance.now() - started < 50, 'no resolver round trip');
    assert.equal(error?.code, 'ENOTFOUND');
    assert.equal(error?.message, 'getaddrinfo ENOTFOUND cnous.invalid');
    assert.deepEqual(address, all ? [] : '');
    assert.equal(classifyError(new TypeError('fetch failed', { cause: error }), false), 'dns');
  }
});

test('other names are resolved by the system resolver', async () => {
  const { error, address } = await resolve('localhost', true);
  assert.equal(error, null);
  assert.ok(Array.isArray(address) && address.length > 0);
});
