import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { safeReturnPath } from './auth-routes.ts';

test('local paths are kept, anything else goes to the account page', () => {
  assert.equal(safeReturnPath('/catalogue?theme=Sant%C3%A9'), '/catalogue?theme=Sant%C3%A9');
  for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'compte', undefined, 42, ['/x']]) assert.equal(safeReturnPath(bad), '/compte');
});

test('the result always resolves on the portal origin', () => {
  fc.assert(
    fc.property(fc.string(), (raw) => new URL(safeReturnPath(raw), 'https://portal.example').origin === 'https://portal.example'),
  );
});
