/**
 * Who is told that a request waits for instruction (docs/adr/0164-instructor-mail-recipients.md),
 * over real SMTP (a loopback smtp-server receives what nodemailer sends):
 * - the embedded identity provider and no `PORTAL_INSTRUCTOR_EMAILS` (the demo): the synthetic
 *   instructor, for a new request and for a prolongation, and she reads it on the outbox page;
 * - a configured list: that list only, not the synthetic instructor;
 * - a real identity provider (`OIDC_ISSUER`) and no list: nobody.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Habilitations } from '../src/habilitations/habilitations.ts';
import { syntheticAgents, type SyntheticAgent } from '../src/idp/synthetic-agents.ts';
import { applicant, approvedHabilitation, stepInputs } from './helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { signIn } from './helpers/portal-client.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './helpers/smtp-sink.ts';

const NADIA = syntheticAgents.find((a) => a.role === 'instructor') as SyntheticAgent;
const NEW_REQUEST = 'Nouvelle demande d’habilitation : Tarif de la cantine';
const PROLONGATION = 'Demande de prolongation : Tarif de la cantine';

let sink: SmtpSink;
let received: ReceivedMail[];

/** Quoted-printable soft breaks and escapes undone: enough to read the French text. */
const bodyOf = (raw: string): string =>
  Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

/** Files and submits a request as the fixtures' applicant; returns its id. */
async function submitted(h: Habilitations): Promise<string> {
  const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
  assert.ok(draft.ok, JSON.stringify(draft));
  for (const [step, input] of Object.entries(stepInputs())) assert.ok((await h.service.saveStep(draft.id, step, input, applicant)).ok, step);
  assert.ok((await h.service.act(draft.id, 'submit', applicant)).ok);
  return draft.id;
}

/** The mails sent while `fn` runs: over SMTP, and as the outbox recorded them (oldest first). */
async function mailsDuring(t: TestApp, fn: () => Promise<unknown>) {
  const smtpBefore = received.length;
  const outboxBefore = (await t.app.services.habilitations.outbox({ limit: 500 })).length;
  await fn();
  const outbox = (await t.app.services.habilitations.outbox({ limit: 500 })).slice(0, -outboxBefore || undefined).reverse();
  return { smtp: received.slice(smtpBefore), outbox };
}

before(async () => {
  sink = await startSmtpSink();
  received = sink.received;
});
after(async () => {
  await sink.close();
});

describe('embedded identity provider, no PORTAL_INSTRUCTOR_EMAILS (the demo)', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await testApp({ env: { SMTP_URL: sink.url } });
    base = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  });
  after(async () => t?.close());

  test('a new request is mailed to the synthetic instructor, over SMTP and in the outbox', async () => {
    let id = '';
    const mails = await mailsDuring(t, async () => (id = await submitted(t.app.services.habilitations)));
    assert.equal(mails.smtp.length, 1);
    assert.deepEqual(mails.smtp[0]?.envelopeTo, [NADIA.email]);
    assert.deepEqual(
      mails.outbox.map((m) => ({ transport: m.transport, recipients: m.recipients, subject: m.subject, body: m.body })),
      [{ transport: 'smtp', recipients: [NADIA.email], subject: NEW_REQUEST, body: `La demande ${id} (« Tarif de la cantine ») attend votre instruction.` }],
    );
    assert.match(bodyOf(mails.smtp[0]?.raw ?? ''), new RegExp(`La demande ${id} \\(« Tarif de la cantine »\\) attend votre instruction\\.`));
  });

  test('so does a prolongation request', async () => {
    const h = t.app.services.habilitations;
    const { id, jti } = await approvedHabilitation(h);
    const mails = await mailsDuring(t, async () => assert.ok((await h.lifecycle.requestProlongation(id, applicant, { tokenJti: jti })).ok));
    assert.deepEqual(
      mails.outbox.map((m) => [m.recipients, m.subject]),
      [[[NADIA.email], PROLONGATION]],
    );
    assert.deepEqual(mails.smtp.map((m) => m.envelopeTo), [[NADIA.email]]);
  });

  test('the synthetic instructor, signed in, reads it on the outbox page', async () => {
    const client = await signIn(base, NADIA);
    const res = await client.go(`${base}/instruction/courriels`);
    assert.equal(res.status, 200);
    const html = await res.text();
    const section = new RegExp(`<h2 class="fr-h6" id="courriel-\\d+">${NEW_REQUEST}</h2>\\s*<p class="fr-text--sm">[^<]* — à ${NADIA.email.replace(/\./g, '\\.')} — envoyé par SMTP</p>`);
    assert.match(html, section);
  });
});

describe('embedded identity provider with PORTAL_INSTRUCTOR_EMAILS', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ env: { SMTP_URL: sink.url, PORTAL_INSTRUCTOR_EMAILS: 'instructeur@dinum.gouv.fr,Suppleant@dinum.gouv.fr' } });
  });
  after(async () => t?.close());

  test('the configured list only: the synthetic instructor is not added', async () => {
    const mails = await mailsDuring(t, () => submitted(t.app.services.habilitations));
    assert.deepEqual(mails.smtp.map((m) => m.envelopeTo), [['instructeur@dinum.gouv.fr', 'suppleant@dinum.gouv.fr']]);
    assert.deepEqual(
      mails.outbox.map((m) => [m.recipients, m.subject]),
      [[['instructeur@dinum.gouv.fr', 'suppleant@dinum.gouv.fr'], NEW_REQUEST]],
    );
  });
});

describe('a real identity provider (OIDC_ISSUER) and no list', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({
      env: { SMTP_URL: sink.url, OIDC_ISSUER: 'https://proconnect.example.gouv.fr', OIDC_CLIENT_ID: 'portail', OIDC_CLIENT_SECRET: 's'.repeat(32) },
    });
  });
  after(async () => t?.close());

  test('nobody is mailed, and nothing is recorded', async () => {
    const mails = await mailsDuring(t, () => submitted(t.app.services.habilitations));
    assert.deepEqual(mails, { smtp: [], outbox: [] });
  });
});
