/**
 * Expiry notices over real SMTP (issue 5 "done when"): a loopback SMTP server (smtp-server) started
 * here receives what nodemailer sends. Frozen clock: 90/60/30/15 days before expiry, every contact
 * in `to`, once each; the per-token opt-out works; nothing for revoked or replaced tokens.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Habilitations } from '../src/habilitations/habilitations.ts';
import { CONTACT_EMAILS, applicant, approvedHabilitation, instructor } from './helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './helpers/smtp-sink.ts';

const DAY = 86_400_000;
const t0 = new Date('2026-01-05T08:00:00.000Z');
let clock = t0;

let sink: SmtpSink;
let received: ReceivedMail[];
let t: TestApp;
let h: Habilitations;

/** Quoted-printable soft breaks and escapes undone: enough to read ASCII links and French text. */
function bodyOf(raw: string): string {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(qp, 'latin1').toString('utf8');
}

async function runAt(at: Date): Promise<ReceivedMail[]> {
  clock = at;
  const before = received.length;
  const report = await h.sendExpiryNotices(at);
  assert.deepEqual(report.failed, []);
  assert.equal(report.sent.length, received.length - before, 'every notice reported sent reached the SMTP server');
  return received.slice(before);
}

const about = (mails: ReceivedMail[], jti: string) => mails.filter((m) => bodyOf(m.raw).includes(jti.slice(0, 8)));

let A: { id: string; jti: string; token: string };
let optedOut: { id: string; jti: string; token: string };
let revokedLater: { id: string; jti: string };
let replaced: { id: string; jti: string };
let successor: string;
let expiry: Date;

before(async () => {
  sink = await startSmtpSink();
  received = sink.received;
  t = await testApp({ env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://particulier.example.gouv.fr', JOBS_ENABLED: 'false' }, overrides: { now: () => clock } });
  h = t.app.services.habilitations;

  A = await approvedHabilitation(h);
  optedOut = await approvedHabilitation(h);
  revokedLater = await approvedHabilitation(h);
  assert.ok((await h.lifecycle.revoke(revokedLater.jti, applicant, new Date(t0.getTime() + 500 * DAY))).ok);
  replaced = await approvedHabilitation(h);
  expiry = (await h.lifecycle.tokens(A.id, applicant))![0]!.expiresAt;
  // Prolonged 10 days later: the successor expires 10 days after the others.
  clock = new Date(t0.getTime() + 10 * DAY);
  const asked = await h.lifecycle.requestProlongation(replaced.id, applicant, { tokenJti: replaced.jti });
  assert.ok(asked.ok);
  const validated = await h.lifecycle.decideProlongation(asked.prolongationId, instructor, 'validate');
  assert.ok(validated.ok && validated.tokenJti);
  successor = validated.tokenJti;
  received.length = 0; // the workflow mails (approval, prolongation) are not what this file tests
});
after(async () => {
  await t.close();
  await sink.close();
});

describe('expiry notices over SMTP', () => {
  test('nothing more than 90 days before expiry', async () => {
    assert.deepEqual(await runAt(new Date(expiry.getTime() - 91 * DAY)), []);
  });

  test('90 days before: one mail per live token, every contact in `to`, with working links', async () => {
    const mails = await runAt(new Date(expiry.getTime() - 90 * DAY + 3600_000));
    assert.equal(about(mails, A.jti).length, 1);
    assert.equal(about(mails, optedOut.jti).length, 1);
    assert.equal(mails.length, 2, 'none for the revoked, the replaced or the not-yet-due successor');
    const mail = about(mails, A.jti)[0]!;
    assert.deepEqual(mail.envelopeTo, CONTACT_EMAILS);
    const body = bodyOf(mail.raw);
    for (const address of CONTACT_EMAILS) assert.match(body.split(/\r?\n\r?\n/)[0] ?? '', new RegExp(address.replace('.', '\\.')));
    assert.match(body, /Subject: .*90/);
    assert.match(body, new RegExp(`https://particulier\\.example\\.gouv\\.fr/compte/habilitations/${A.id}/prolongation`));
    assert.match(body, new RegExp(`https://particulier\\.example\\.gouv\\.fr/compte/jetons/${A.jti}/rappels/arret\\?cle=`));
    assert.doesNotMatch(body, new RegExp(A.token.split('.')[2] as string), 'the token itself is never mailed');
  });

  test('idempotent: running again sends nothing', async () => {
    assert.deepEqual(await runAt(new Date(expiry.getTime() - 90 * DAY + 7200_000)), []);
  });

  test('the per-token opt-out link works; a forged key does not', async () => {
    const outbox = await h.outbox({ recipient: 'dpo@mairie-rennes.fr' });
    const notice = outbox.find((m) => m.body.includes(optedOut.jti));
    const key = decodeURIComponent(/rappels\/arret\?cle=([^\s]+)/.exec(notice?.body ?? '')?.[1] ?? '');
    assert.notEqual(key, '');
    const forged = await h.lifecycle.optOut(optedOut.jti, key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
    assert.deepEqual(forged.ok ? 'ok' : forged.code, 'invalid_link');
    const otherToken = await h.lifecycle.optOut(A.jti, key);
    assert.deepEqual(otherToken.ok ? 'ok' : otherToken.code, 'invalid_link', 'a key opts out its own token only');
    assert.ok((await h.lifecycle.optOut(optedOut.jti, key)).ok);
    assert.ok((await h.lifecycle.optOut(optedOut.jti, key)).ok, 'clicking twice is fine');
    assert.equal((await h.lifecycle.tokens(optedOut.id, applicant))?.[0]?.noticesOptedOut, true);
  });

  test('60, 30 and 15 days before: once each, never for the opted-out, revoked or replaced token', async () => {
    for (const days of [60, 30, 15]) {
      const mails = await runAt(new Date(expiry.getTime() - days * DAY + 60_000));
      const forA = about(mails, A.jti);
      assert.equal(forA.length, 1, `${days} days`);
      assert.match(bodyOf(forA[0]!.raw), new RegExp(`Subject: .*${days} jours`));
      for (const other of [optedOut.jti, revokedLater.jti, replaced.jti]) assert.equal(about(mails, other).length, 0, `${days} days`);
      assert.deepEqual(await runAt(new Date(expiry.getTime() - days * DAY + 120_000)), [], `${days} days, second run`);
    }
  });

  test('the successor of a prolonged token gets its own notices, on its own schedule', async () => {
    const rows = await h.db.selectFrom('expiry_notices').select(['days_before', 'sent_at']).where('jti', '=', successor).orderBy('days_before', 'desc').execute();
    // Its expiry is 10 days after the others': its 90-day notice went out with their 60-day run, and so on.
    assert.deepEqual(rows.map((r) => r.days_before), [90, 60, 30]);
    const successorExpiry = new Date(expiry.getTime() + 10 * DAY);
    const mails = await runAt(new Date(successorExpiry.getTime() - 15 * DAY + 60_000));
    assert.equal(about(mails, successor).length, 1);
    assert.equal(about(mails, replaced.jti).length, 0);
  });

  test('nothing after expiry; the record of sent notices is complete', async () => {
    assert.deepEqual(await runAt(new Date(expiry.getTime() + DAY)), []);
    const rows = await h.db.selectFrom('expiry_notices').select(['jti', 'days_before']).orderBy('jti').orderBy('days_before', 'desc').execute();
    const of = (jti: string) => rows.filter((r) => r.jti === jti).map((r) => r.days_before);
    assert.deepEqual(of(A.jti), [90, 60, 30, 15]);
    assert.deepEqual(of(optedOut.jti), [90]);
    assert.deepEqual(of(revokedLater.jti), []);
    assert.deepEqual(of(replaced.jti), []);
  });
});
