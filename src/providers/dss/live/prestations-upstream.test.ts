/**
 * Which form of the DSS "API des prestations" a call uses (docs/adr/0085-franceconnect-token-to-drivers.md):
 * the `/fc/` form with `X-FranceConnect-Token` and no civil status when the call came through
 * FranceConnect, the civil-status form otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRANCECONNECT_TOKEN_MAX_LENGTH, prestationsRequest, prestationsRoutes } from './prestations-upstream.ts';

const UUID = '2f1c5e0a-4b7d-4c1e-9f3a-6d8e2b1c0a9f';
const CAMILLE = {
  nomNaissance: 'LEROY',
  'prenoms[]': ['CAMILLE', 'ANNE'],
  anneeDateNaissance: 1988,
  moisDateNaissance: 3,
  jourDateNaissance: 14,
  sexeEtatCivil: 'F',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '69123',
};

test('a FranceConnect call uses the /fc/ form: the token in X-FranceConnect-Token, no civil status sent', () => {
  assert.deepEqual(prestationsRequest('CSS', CAMILLE, { requestId: UUID, franceConnect: { accessToken: 'fc-token-1' } }), {
    method: 'GET',
    path: '/prestations/v1/fc/CSS',
    headers: { 'x-correlation-id': UUID, 'x-franceconnect-token': 'fc-token-1' },
  });
});

test('a call without FranceConnect uses the civil-status form', () => {
  assert.deepEqual(prestationsRequest('RSA', CAMILLE, { requestId: UUID }), {
    method: 'GET',
    path: '/prestations/v1/RSA',
    query: {
      nom_naissance: 'LEROY',
      liste_prenoms: 'CAMILLE ANNE',
      nom_usage: undefined,
      code_lieunaissance: '69123',
      code_paysnaissance: '99100',
      date_naissance: '1988-03-14',
      genre: 'F',
    },
    headers: { 'x-correlation-id': UUID },
  });
});

test('a token longer than the published header allows falls back on the civil status FranceConnect returned', () => {
  const long = 'x'.repeat(FRANCECONNECT_TOKEN_MAX_LENGTH + 1);
  const request = prestationsRequest('CSS', CAMILLE, { requestId: UUID, franceConnect: { accessToken: long } });
  assert.equal(request.path, '/prestations/v1/CSS');
  assert.deepEqual(request.headers, { 'x-correlation-id': UUID });
  const exact = prestationsRequest('CSS', CAMILLE, { requestId: UUID, franceConnect: { accessToken: long.slice(1) } });
  assert.equal(exact.path, '/prestations/v1/fc/CSS');
});

test('a request id that is not a UUID gets a fresh UUID correlation id (the API demands one)', () => {
  const request = prestationsRequest('CSS', CAMILLE, { requestId: 'my-request', franceConnect: { accessToken: 't' } });
  assert.match(String(request.headers?.['x-correlation-id']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('the four routes build their request from the call, by resource', () => {
  const paths = prestationsRoutes.map((route) => {
    const request = route.request(CAMILLE, { endpoint: undefined as never, params: CAMILLE, requestId: UUID, signal: AbortSignal.abort(), franceConnect: { accessToken: 't' } });
    return 'kind' in request ? request.kind : request.path;
  });
  assert.deepEqual(paths, ['/prestations/v1/fc/CSS', '/prestations/v1/fc/CSS', '/prestations/v1/fc/RSA', '/prestations/v1/fc/RSA']);
});
