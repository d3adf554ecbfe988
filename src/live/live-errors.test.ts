import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cnous } from '../providers/cnous/manifest.ts';
import { dss } from '../providers/dss/manifest.ts';
import { dssErrors } from '../providers/dss/errors.ts';
import { RouteErrors } from './live-errors.ts';

const route = (provider: typeof dss, fragment: string) => {
  const endpoint = provider.endpoints.find((e) => e.operationId.includes(fragment));
  assert.ok(endpoint !== undefined);
  return new RouteErrors(provider, endpoint);
};

test('failures map to the route’s declared codes with meta.provider, never upstream words', () => {
  const qf = route(dss, 'quotient_familial_with_civility');
  assert.deepEqual(qf.failure({ kind: 'failure', failure: 'timeout' }), {
    kind: 'error',
    status: 504,
    body: { errors: [{ code: '37002', title: dssErrors.timeout.title, detail: dssErrors.timeout.detail, source: null, meta: { provider: 'CNAV' } }] },
  });
  const codeOf = (o: ReturnType<RouteErrors['failure']>) => (o.kind === 'error' ? [o.status, o.body.errors[0]?.code, o.body.errors[0]?.meta] : []);
  assert.deepEqual(codeOf(qf.failure({ kind: 'failure', failure: 'dns' })), [504, '37004', { provider: 'CNAV', retry_in: 10 }]);
  assert.deepEqual(codeOf(qf.failure({ kind: 'failure', failure: 'throttled' })), [504, '37008', { provider: 'CNAV' }]);
  assert.deepEqual(codeOf(qf.failure({ kind: 'failure', failure: 'malformed' })), [502, '37999', { provider: 'CNAV' }]);
  assert.deepEqual(codeOf(qf.failure({ kind: 'failure', failure: 'network' })), [504, '00501', { provider: 'CNAV', retry_in: 10 }]);
  assert.deepEqual(codeOf(qf.failure({ kind: 'failure', failure: 'breaker_open', retryInMs: 12_300 })), [504, '37001', { provider: 'CNAV', retry_in: 13 }]);
  assert.deepEqual(codeOf(qf.notFound()), [404, '10003', { provider: 'MSA' }]);
  assert.deepEqual(codeOf(qf.notFound(dssErrors.notReferenced)), [404, '35003', { provider: 'CNAF & MSA' }]);
});

test('a FranceConnect route that documents only its 404 borrows its siblings’ failure codes', () => {
  const fc = route(cnous, 'v3_cnous_etudiant_boursier_with_france_connect');
  assert.equal(fc.definition('002').code, '26002');
  assert.equal(fc.definition('999').code, '26999');
  // Cnous declares no throttling code anywhere: built from its prefix and CONTRACT §4.3.
  assert.equal(fc.definition('008').code, '26008');
  assert.equal(fc.definition('008').status, 504);
});

test('C2S: the RNCPS 404 does not lend its prefix to the CNAV failures', () => {
  const c2s = route(dss, 'complementaire_sante_solidaire_with_civility');
  assert.equal(c2s.definition('004').code, '37004');
  assert.equal(c2s.definition('003').code, '40003');
});

test('the EAJE FranceConnect route keeps its own wording of 37003', () => {
  const eaje = route(dss, 'participation_familiale_eaje_with_france_connect');
  const outcome = eaje.notFound(dssErrors.eajeNotFound);
  assert.equal(outcome.kind === 'error' ? outcome.body.errors[0]?.detail : '', dssErrors.eajeNotFoundFranceConnect.detail);
});
