/**
 * The token lifecycle of a habilitation on the real app, with a frozen clock (issue 5 §7): rotation
 * with a chosen overlap, revocation now or later, prolongation validated by an instructor (the old
 * token keeps working), the single-use 4-hour magic link, ownership by the habilitation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Habilitations } from '../src/habilitations/habilitations.ts';
import { applicant, approvedHabilitation, contactsInput, instructor, stranger } from './helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const DAY = 86_400_000;
let clock = new Date('2026-03-02T09:00:00.000Z');
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

let t: TestApp;
let h: Habilitations;
before(async () => {
  t = await testApp({ env: { JOBS_ENABLED: 'false' }, overrides: { now: () => clock } });
  h = t.app.services.habilitations;
});
after(async () => t.close());

const introspect = (token: string) => t.app.server.inject({ url: '/api/introspect', headers: { authorization: `Bearer ${token}` } });
const codeOf = async (token: string) => {
  const res = await introspect(token);
  return res.statusCode === 200 ? 200 : res.json().errors[0].code;
};

describe('rotation', () => {
  test('a new token with the same grants and expiry; the old one works until the overlap date', async () => {
    const old = await approvedHabilitation(h);
    const bad = await h.lifecycle.rotate(old.jti, applicant, new Date(clock.getTime() - 1000));
    assert.match(!bad.ok ? (bad.errors?.overlapUntil ?? '') : '', /futur/);
    const tooLate = await h.lifecycle.rotate(old.jti, applicant, new Date(clock.getTime() + 600 * DAY));
    assert.match(!tooLate.ok ? (tooLate.errors?.overlapUntil ?? '') : '', /précéder l’expiration/);
    const notMine = await h.lifecycle.rotate(old.jti, stranger, new Date(clock.getTime() + DAY));
    assert.deepEqual(notMine.ok ? 'ok' : notMine.code, 'not_found');

    const rotated = await h.lifecycle.rotate(old.jti, applicant, new Date(clock.getTime() + 7 * DAY));
    assert.ok(rotated.ok && rotated.token !== undefined);
    assert.equal(await codeOf(old.token), 200);
    assert.equal(await codeOf(rotated.token), 200);
    const [fresh, previous] = (await h.lifecycle.tokens(old.id, applicant)) ?? [];
    assert.equal(fresh?.jti, rotated.jti);
    assert.equal(previous?.replacedBy, rotated.jti);
    assert.deepEqual(fresh?.expiresAt, previous?.expiresAt);
    assert.deepEqual(fresh?.scopes, previous?.scopes);
    assert.deepEqual(fresh?.fcClientIds, previous?.fcClientIds);

    const again = await h.lifecycle.rotate(old.jti, applicant, new Date(clock.getTime() + DAY));
    assert.deepEqual(again.ok ? 'ok' : again.code, 'inactive');
    advance(7 * DAY + 1000);
    assert.equal(await codeOf(old.token), '00105');
    assert.equal(await codeOf(rotated.token), 200);
  });
});

describe('revocation', () => {
  test('future-dated: the token works until then, then 401 00105; a past date is refused', async () => {
    const { jti, token } = await approvedHabilitation(h);
    const past = await h.lifecycle.revoke(jti, applicant, new Date(clock.getTime() - DAY));
    assert.match(!past.ok ? (past.errors?.revokeAt ?? '') : '', /passée/);
    const strangers = await h.lifecycle.revoke(jti, stranger);
    assert.deepEqual(strangers.ok ? 'ok' : strangers.code, 'not_found');
    const scheduled = await h.lifecycle.revoke(jti, applicant, new Date(clock.getTime() + DAY));
    assert.ok(scheduled.ok);
    assert.equal(await codeOf(token), 200);
    advance(DAY);
    assert.equal(await codeOf(token), '00105');
  });

  test('immediate, by an instructor', async () => {
    const { jti, token } = await approvedHabilitation(h);
    assert.ok((await h.lifecycle.revoke(jti, instructor)).ok);
    assert.equal(await codeOf(token), '00105');
    const twice = await h.lifecycle.revoke(jti, instructor);
    assert.deepEqual(twice.ok ? 'ok' : twice.code, 'inactive');
  });
});

describe('prolongation', () => {
  test('a short form validated by an instructor: a new 18-month token, the old one keeps working', async () => {
    const old = await approvedHabilitation(h);
    advance(400 * DAY);
    const bad = await h.lifecycle.requestProlongation(old.id, applicant, { tokenJti: old.jti, contacts: contactsInput({ 'dpo.email': 'pas-une-adresse' }) });
    assert.deepEqual(!bad.ok && Object.keys(bad.errors ?? {}), ['dpo.email']);
    assert.equal((await h.lifecycle.pendingProlongations()).length, 0, 'nothing saved');

    const asked = await h.lifecycle.requestProlongation(old.id, applicant, { tokenJti: old.jti, contacts: contactsInput({ 'dpo.email': 'nouveau-dpo@mairie-rennes.fr' }) });
    assert.ok(asked.ok);
    const twice = await h.lifecycle.requestProlongation(old.id, applicant, { tokenJti: old.jti });
    assert.deepEqual(twice.ok ? 'ok' : twice.code, 'already_pending');
    const byApplicant = await h.lifecycle.decideProlongation(asked.prolongationId, applicant, 'validate');
    assert.deepEqual(byApplicant.ok ? 'ok' : byApplicant.code, 'wrong_role');

    const validated = await h.lifecycle.decideProlongation(asked.prolongationId, instructor, 'validate');
    assert.ok(validated.ok && validated.tokenJti !== undefined);
    const revealed = await h.lifecycle.reveal(validated.tokenJti, applicant);
    assert.ok(revealed.ok);
    assert.equal(await codeOf(old.token), 200, 'no downtime: the old token still works');
    assert.equal(await codeOf(revealed.token), 200);
    const [fresh, previous] = (await h.lifecycle.tokens(old.id, applicant)) ?? [];
    assert.equal(fresh?.expiresAt.getTime(), Math.floor(clock.getTime() / 1000) * 1000 + 548 * DAY);
    assert.equal(previous?.replacedBy, fresh?.jti);
    assert.equal(previous?.toRenew, false, 'a replaced token is not “to renew”');
    assert.equal((await h.service.get(old.id))?.snapshot?.contacts.dpo.email, 'nouveau-dpo@mairie-rennes.fr');
    const spent = await h.lifecycle.decideProlongation(asked.prolongationId, instructor, 'validate');
    assert.deepEqual(spent.ok ? 'ok' : spent.code, 'wrong_status');
    // The replaced token cannot be prolonged again.
    const replaced = await h.lifecycle.requestProlongation(old.id, applicant, { tokenJti: old.jti });
    assert.ok(!replaced.ok && replaced.errors?.tokenJti);
    advance(200 * DAY);
    assert.equal(await codeOf(old.token), '00103');
    assert.equal(await codeOf(revealed.token), 200);
  });

  test('refusing needs a message; a token close to expiry is flagged “to renew”', async () => {
    const { id, jti } = await approvedHabilitation(h);
    advance(500 * DAY);
    assert.equal((await h.lifecycle.tokens(id, applicant))?.[0]?.toRenew, true);
    const asked = await h.lifecycle.requestProlongation(id, applicant, { tokenJti: jti });
    assert.ok(asked.ok);
    const silent = await h.lifecycle.decideProlongation(asked.prolongationId, instructor, 'refuse');
    assert.deepEqual(silent.ok ? 'ok' : silent.code, 'message_required');
    assert.ok((await h.lifecycle.decideProlongation(asked.prolongationId, instructor, 'refuse', 'Le besoin n’est plus justifié.')).ok);
    const events = (await h.service.events(id)).map((e) => e.event);
    assert.deepEqual(events.slice(-2), ['request_prolongation', 'refuse_prolongation']);
  });
});

describe('magic link', () => {
  test('single use, valid 4 hours, reveals the very token', async () => {
    const { jti } = await approvedHabilitation(h);
    const byInstructor = await h.lifecycle.createMagicLink(jti, instructor);
    assert.equal(byInstructor.ok, false);
    const link = await h.lifecycle.createMagicLink(jti, applicant);
    assert.ok(link.ok);
    assert.equal(link.expiresAt.getTime() - clock.getTime(), 4 * 3600_000);
    const stored = await h.db.selectFrom('magic_links').select('hash').execute();
    assert.ok(!stored.some((r) => r.hash === link.secret), 'only the hash is stored');

    const opened = await h.lifecycle.redeemMagicLink(link.secret);
    assert.ok(opened.ok);
    assert.equal(opened.jti, jti);
    assert.equal((await introspect(opened.token)).json()._id, jti);
    const again = await h.lifecycle.redeemMagicLink(link.secret);
    assert.deepEqual(again.ok ? 'ok' : again.code, 'used_link');

    const late = await h.lifecycle.createMagicLink(jti, applicant);
    assert.ok(late.ok);
    advance(4 * 3600_000);
    const expired = await h.lifecycle.redeemMagicLink(late.secret);
    assert.deepEqual(expired.ok ? 'ok' : expired.code, 'expired_link');
    for (const bogus of ['', 'x', 'A'.repeat(43), '../../etc/passwd']) {
      const r = await h.lifecycle.redeemMagicLink(bogus);
      assert.deepEqual(r.ok ? 'ok' : r.code, 'invalid_link', bogus);
    }
  });

  test('a link to a token revoked since then reveals nothing', async () => {
    const { jti } = await approvedHabilitation(h);
    const link = await h.lifecycle.createMagicLink(jti, applicant);
    assert.ok(link.ok);
    assert.ok((await h.lifecycle.revoke(jti, applicant)).ok);
    const r = await h.lifecycle.redeemMagicLink(link.secret);
    assert.deepEqual(r.ok ? 'ok' : r.code, 'inactive');
  });
});

describe('the access journal', () => {
  test('a call with a habilitation’s token is journaled under that habilitation', async () => {
    const { id, token } = await approvedHabilitation(h);
    const query =
      'recipient=21350238800019&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
    const res = await t.app.server.inject({
      url: `/v3/dss/complementaire_sante_solidaire/identite?${query}`,
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'habilitation-journal-1' },
    });
    assert.equal(res.statusCode, 200);
    await t.app.services.journal.drain();
    const row = await t.database.db.selectFrom('access_journal').select(['habilitation_id', 'status']).where('request_id', '=', 'habilitation-journal-1').executeTakeFirst();
    assert.deepEqual(row, { habilitation_id: id, status: 200 });
  });
});
