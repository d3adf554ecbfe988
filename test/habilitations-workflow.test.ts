/**
 * The habilitation workflow end to end on the real app (issue 5 §4–6): drafts saved step by step,
 * bad input refused per field with nothing saved, review, provider review (CNAM), approval issuing
 * a real token usable on /v3 at once with exactly the snapshot's grants, FranceConnect honoured only
 * for client ids an approved habilitation lists, revocation, and the append-only event log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Habilitations } from '../src/habilitations/habilitations.ts';
import { C2S_FC, C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { applicant, approvedHabilitation, instructor, reviewer, stepInputs, stranger } from './helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const C2S_DATA = { data: { est_beneficiaire: true, avec_participation: true, date_debut_droit: '2025-01-01' }, links: {}, meta: {} };
const FC_ROUTE = '/v3/dss/complementaire_sante_solidaire/france_connect?recipient=13002526500013';

function fcIntrospection(clientId: string) {
  return {
    aud: 'sandbox-fc-data-provider',
    iat: 1763892000,
    iss: 'https://franceconnect.test/api/v2',
    token_introspection: {
      active: true,
      aud: clientId,
      sub: 'b6a2f0c1e0f94b7f9a1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5av1',
      iat: 1763892000,
      exp: 1763892060,
      acr: 'eidas1',
      jti: 'fc-jti-1',
      scope: 'openid identite_pivot complementaire_sante_solidaire',
      gender: 'female',
      family_name: 'ROCHEFORT',
      given_name: 'Léa Marie',
      given_name_array: ['Léa', 'Marie'],
      birthdate: '1991-06-02',
      birthplace: '35238',
      birthcountry: '99100',
    },
  };
}

let t: TestApp;
let h: Habilitations;

before(async () => {
  const root = writeCaseDir([
    { operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: C2S_DATA },
    {
      operationId: C2S_FC,
      file: 'lea.yaml',
      params: { ...LEA, prenoms: ['Léa', 'Marie'] },
      status: 200,
      body: C2S_DATA,
    },
  ]);
  const fcDir = path.join(root, 'france_connect');
  mkdirSync(fcDir);
  for (const [token, clientId] of [['lea_ccas', 'fc-ccas-rennes'], ['lea_inconnu', 'fc-ccas-sans-habilitation']]) {
    writeFileSync(path.join(fcDir, `${token}.yaml`), stringify({ params: { token }, status: 200, payload: JSON.stringify(fcIntrospection(clientId as string)) }));
  }
  t = await testApp({ env: { SANDBOX_DATA_DIRS: root, DEMO_TOKEN: 'false', PORTAL_INSTRUCTOR_EMAILS: 'instructeur@dinum.gouv.fr' } });
  h = t.app.services.habilitations;
});
after(async () => t.close());

const get = (url: string, bearer: string) => t.app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

describe('drafts and validation', () => {
  test('eligibility gates drafts: a company cannot file for API Particulier; a vendor is sent to referencing', async () => {
    const company = await h.service.createDraft({ product: 'api_particulier', kind: 'entreprise_association', actor: applicant });
    assert.deepEqual(company.ok ? 'ok' : company.code, 'not_eligible');
    assert.match(!company.ok ? (company.errors?.kind ?? '') : '', /acteurs publics/);
    const vendor = await h.service.createDraft({ product: 'api_particulier', kind: 'editeur_logiciel', actor: applicant });
    assert.deepEqual(vendor.ok ? 'ok' : vendor.code, 'not_eligible');
    const unknown = await h.service.createDraft({ product: 'api_x', kind: 'what', actor: applicant });
    assert.deepEqual(!unknown.ok && Object.keys(unknown.errors ?? {}), ['product']);
  });

  test('a template pre-fills scopes, legal basis and description', async () => {
    const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant, templateId: 'restauration-scolaire' });
    assert.ok(draft.ok);
    const saved = await h.service.get(draft.id);
    assert.deepEqual(saved?.form.scopes?.scopes, ['cnaf_allocataires', 'cnaf_enfants', 'cnaf_quotient_familial']);
    assert.match(saved?.form.legal?.text ?? '', /R531-52/);
    assert.equal(saved?.form.use_case?.templateId, 'restauration-scolaire');
    const bad = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant, templateId: 'inexistant' });
    assert.deepEqual(!bad.ok && Object.keys(bad.errors ?? {}), ['templateId']);
  });

  test('bad input on every step: a French message per field and nothing saved', async () => {
    const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
    assert.ok(draft.ok);
    const before = await h.service.get(draft.id);
    const bad: Record<string, Record<string, unknown>> = {
      organisation: { siret: '21350238800018', name: '' },
      use_case: { title: '', purpose: '?', description: 'x' },
      scopes: { scopes: ['nope'] },
      identification: { mode: 'france_connect' },
      contacts: { 'dpo.email': 'not-an-email' },
      legal: { text: '', expectedVolume: 'beaucoup' },
    };
    for (const [step, input] of Object.entries(bad)) {
      const r = await h.service.saveStep(draft.id, step, input, applicant);
      assert.ok(!r.ok, step);
      assert.equal(r.code, 'invalid');
      assert.ok(Object.keys(r.errors ?? {}).length > 0, step);
      for (const message of Object.values(r.errors ?? {})) assert.match(message, /[a-zà-ÿ’ ]{8}/i);
    }
    assert.deepEqual((await h.service.get(draft.id))?.form, before?.form);
    const unknownStep = await h.service.saveStep(draft.id, 'payment', {}, applicant);
    assert.deepEqual(unknownStep.ok ? 'ok' : unknownStep.code, 'invalid');
  });

  test('drafts are kept between steps; submitting an incomplete one lists the missing steps', async () => {
    const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
    assert.ok(draft.ok);
    assert.ok((await h.service.saveStep(draft.id, 'organisation', stepInputs().organisation, applicant)).ok);
    assert.equal((await h.service.get(draft.id))?.siret, '21350238800019');
    const r = await h.service.act(draft.id, 'submit', applicant);
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors ?? {}).sort(), ['contacts', 'identification', 'legal', 'scopes', 'use_case']);
    assert.equal((await h.service.get(draft.id))?.status, 'draft');
  });

  test('someone of another organisation neither sees nor edits a draft; a colleague of the same SIRET does', async () => {
    const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
    assert.ok(draft.ok);
    assert.ok((await h.service.saveStep(draft.id, 'organisation', stepInputs().organisation, applicant)).ok);
    const r = await h.service.saveStep(draft.id, 'organisation', stepInputs().organisation, stranger);
    assert.deepEqual(r.ok ? 'ok' : r.code, 'not_found');
    assert.ok(!(await h.service.listFor(stranger)).some((x) => x.id === draft.id));
    assert.ok((await h.service.listFor({ role: 'applicant', id: 'collegue@mairie-rennes.fr', siret: '21350238800019' })).some((x) => x.id === draft.id));
  });
});

describe('review', () => {
  test('request changes with a message, resubmit, approve: the token works on /v3 at once with exactly the snapshot’s grants', async () => {
    const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
    assert.ok(draft.ok);
    for (const [step, input] of Object.entries(stepInputs())) assert.ok((await h.service.saveStep(draft.id, step, input, applicant)).ok);
    assert.ok((await h.service.act(draft.id, 'submit', applicant)).ok);
    assert.ok((await h.service.queue('instructor')).some((x) => x.id === draft.id));
    const noMessage = await h.service.act(draft.id, 'request_changes', instructor);
    assert.deepEqual(noMessage.ok ? 'ok' : noMessage.code, 'message_required');
    assert.ok((await h.service.act(draft.id, 'request_changes', instructor, 'Précisez la délibération.')).ok);
    const selfApprove = await h.service.act(draft.id, 'approve', applicant);
    assert.deepEqual(selfApprove.ok ? 'ok' : selfApprove.code, 'wrong_role');
    assert.ok((await h.service.saveStep(draft.id, 'legal', { ...stepInputs().legal, reference: 'Délibération 2026-12' }, applicant)).ok);
    assert.ok((await h.service.act(draft.id, 'submit', applicant)).ok);
    const approved = await h.service.act(draft.id, 'approve', instructor);
    assert.ok(approved.ok && approved.tokenJti);
    assert.equal(approved.status, 'validated');

    // Validated: the form can no longer change; the snapshot is frozen.
    const frozen = await h.service.get(draft.id);
    assert.deepEqual(frozen?.snapshot?.scopes, ['cnaf_quotient_familial', 'complementaire_sante_solidaire']);
    assert.deepEqual(frozen?.snapshot?.modalities, ['france_connect', 'identite']);
    assert.deepEqual(frozen?.snapshot?.fcClientIds, ['fc-mairie-rennes']);
    const late = await h.service.saveStep(draft.id, 'scopes', { scopes: ['cnous_email'] }, applicant);
    assert.deepEqual(late.ok ? 'ok' : late.code, 'wrong_status');

    const instructorReveal = await h.lifecycle.reveal(approved.tokenJti, instructor);
    assert.equal(instructorReveal.ok, false, 'the instructor never sees the token');
    const revealed = await h.lifecycle.reveal(approved.tokenJti, applicant);
    assert.ok(revealed.ok);
    const again = await h.lifecycle.reveal(approved.tokenJti, applicant);
    assert.deepEqual(again.ok ? 'ok' : again.code, 'already_revealed');

    const data = await get(`/v3/dss/complementaire_sante_solidaire/identite?${leaQuery()}`, revealed.token);
    assert.equal(data.statusCode, 200);
    assert.deepEqual(data.json(), C2S_DATA);
    const introspect = await get('/api/introspect', revealed.token);
    assert.equal(introspect.json()._id, approved.tokenJti);
    assert.deepEqual(introspect.json().scopes, ['cnaf_quotient_familial', 'complementaire_sante_solidaire']);
    assert.deepEqual([...introspect.json().modalities].sort(), ['france_connect', 'identite']);
    await t.app.services.journal.drain(); // spooled rows are moved in batches (ADR 0171)
    const views = await h.lifecycle.tokens(draft.id, applicant);
    assert.equal(views?.[0]?.prefix, approved.tokenJti.slice(0, 8));
    assert.equal(views?.[0]?.toRenew, false);
    assert.ok(views?.[0]?.lastUsedAt instanceof Date, 'last use comes from the journal');

    const events = (await h.service.events(draft.id)).map((e) => `${e.event}:${e.fromStatus}>${e.toStatus}`);
    assert.deepEqual(events, [
      'create:draft>draft',
      'submit:draft>submitted',
      'request_changes:submitted>changes_requested',
      'submit:changes_requested>submitted',
      'approve:submitted>validated',
      'reveal_token:validated>validated',
    ]);
  });

  test('FranceConnect: a client id listed by an approved habilitation is honoured; any other is refused', async () => {
    const { jti } = await approvedHabilitation(h, { mode: 'france_connect', fcClientIds: 'fc-ccas-rennes', ownMeans: [], scopes: ['complementaire_sante_solidaire'] });
    const ok = await get(FC_ROUTE, 'lea_ccas');
    assert.equal(ok.statusCode, 200);
    await t.app.services.journal.drain();
    const row = await t.database.db.selectFrom('access_journal').select('token_jti').where('request_id', '=', String(ok.headers['x-request-id'])).executeTakeFirst();
    assert.equal(row?.token_jti, jti, 'the call is traced to the habilitation’s token');
    const refused = await get(FC_ROUTE, 'lea_inconnu');
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().errors[0].code, '00101');
  });

  test('refusal needs a message and is final; a refused request can only be archived', async () => {
    const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
    assert.ok(draft.ok);
    for (const [step, input] of Object.entries(stepInputs())) assert.ok((await h.service.saveStep(draft.id, step, input, applicant)).ok);
    assert.ok((await h.service.act(draft.id, 'submit', applicant)).ok);
    assert.ok((await h.service.act(draft.id, 'refuse', instructor, 'Base légale insuffisante.')).ok);
    const resubmit = await h.service.act(draft.id, 'submit', applicant);
    assert.deepEqual(resubmit.ok ? 'ok' : resubmit.code, 'wrong_status');
    assert.ok((await h.service.act(draft.id, 'archive', applicant)).ok);
    assert.equal((await h.service.get(draft.id))?.status, 'archived');
  });

  test('revoking a habilitation revokes its tokens at once (401 00105)', async () => {
    const { id, token } = await approvedHabilitation(h);
    assert.equal((await get('/api/introspect', token)).statusCode, 200);
    assert.ok((await h.service.act(id, 'revoke', instructor, 'Fin de la convention.')).ok);
    const res = await get('/api/introspect', token);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().errors[0].code, '00105');
  });

  test('the CNAM: provider review before approval; its reserved data only for healthcare establishments', async () => {
    const cnam = { product: 'api_droits_cnam', mode: 'france_connect', fcClientIds: 'fc-clinique-1', ownMeans: [], purpose: 'sante' };
    const mutuelle = await h.service.createDraft({ product: 'api_droits_cnam', kind: 'organisme_complementaire_sante', actor: applicant });
    assert.ok(mutuelle.ok);
    const reserved = await h.service.saveStep(mutuelle.id, 'scopes', { scopes: ['cnam_droits', 'cnam_medecin_traitant'] }, applicant);
    assert.match(!reserved.ok ? (reserved.errors?.scopes ?? '') : '', /réservée aux établissements de soins/);

    const clinic = await h.service.createDraft({ product: 'api_droits_cnam', kind: 'etablissement_soins', actor: applicant });
    assert.ok(clinic.ok);
    for (const [step, input] of Object.entries(stepInputs({ ...cnam, scopes: ['cnam_droits', 'cnam_medecin_traitant'] }))) {
      assert.ok((await h.service.saveStep(clinic.id, step, input, applicant)).ok, step);
    }
    assert.ok((await h.service.act(clinic.id, 'submit', applicant)).ok);
    const early = await h.service.act(clinic.id, 'approve', instructor);
    assert.deepEqual(early.ok ? 'ok' : early.code, 'provider_review_pending');
    assert.ok((await h.service.queue('provider_reviewer')).some((x) => x.id === clinic.id));
    assert.ok((await h.service.act(clinic.id, 'provider_approve', reviewer)).ok);
    assert.ok(!(await h.service.queue('provider_reviewer')).some((x) => x.id === clinic.id));
    const approved = await h.service.act(clinic.id, 'approve', instructor);
    assert.ok(approved.ok);
    assert.deepEqual((await h.service.get(clinic.id))?.snapshot?.modalities, ['france_connect']);
  });
});

describe('the event log is append-only', () => {
  test('updates, deletes and truncation of events are refused by the database', async () => {
    const db = h.db;
    const first = await db.selectFrom('habilitation_events').select('id').executeTakeFirstOrThrow();
    await assert.rejects(db.updateTable('habilitation_events').set({ actor: 'quelqu’un d’autre' }).where('id', '=', first.id).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('habilitation_events').where('id', '=', first.id).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('habilitation_events').execute(), /append-only/);
    assert.ok(await db.selectFrom('habilitation_events').select('id').where('id', '=', first.id).executeTakeFirst());
  });
});
