import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { deriveFormsKeys } from './forms-secret.ts';
import { open, seal } from './sealed-box.ts';

const key = randomBytes(32);

test('seal then open gives the text back, for any text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 2000 }), fc.uuid(), (text, id) => open(key, seal(key, text, id), id) === text));
});

test('the ciphertext does not contain the text and differs each time', () => {
  const a = seal(key, 'Quotient familial erroné', 'id-1');
  const b = seal(key, 'Quotient familial erroné', 'id-1');
  assert.notEqual(a, b);
  assert.ok(!a.includes('Quotient'));
  assert.match(a, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
});

test('a wrong key, another row id or a changed byte do not open', () => {
  const sealed = seal(key, 'secret', 'id-1');
  assert.throws(() => open(randomBytes(32), sealed, 'id-1'));
  assert.throws(() => open(key, sealed, 'id-2'));
  const parts = sealed.split('.');
  const body = Buffer.from(parts[3] as string, 'base64url');
  body[0] = (body[0] as number) ^ 1;
  assert.throws(() => open(key, [parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'id-1'));
  assert.throws(() => open(key, 'v2.a.b.c', 'id-1'), /unknown sealed format/);
});

test('the two derived keys differ, are stable, and need a long secret', () => {
  const k1 = deriveFormsKeys('s'.repeat(32));
  assert.equal(k1.secureTransfer.length, 32);
  assert.notDeepEqual(k1.secureTransfer, k1.unsubscribe);
  assert.deepEqual(deriveFormsKeys('s'.repeat(32)), k1);
  assert.throws(() => deriveFormsKeys('court'), TypeError);
});
