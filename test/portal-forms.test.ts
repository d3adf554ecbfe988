/**
 * Issue 7 item 4: the newsletter's double opt-in (single-use, expiring confirmation link, working
 * unsubscribe link) through the mail outbox, and the secure transfer form: ciphertext at rest, read
 * back only by operators, bad input saves nothing, purge after the retention. Real HTTP on loopback,
 * sign-in through the embedded identity provider, PGlite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { syntheticAgents } from '../src/idp/synthetic-agents.ts';
import type { Kysely } from 'kysely';
import type { FormsTables } from '../src/portal/forms/forms-tables.ts';
import { purgeSecureTransfers, SecureTransfers, secureTransferPurgeJob } from '../src/portal/forms/secure-transfers.ts';
import { deriveFormsKeys } from '../src/portal/forms/forms-secret.ts';
import { Newsletter } from '../src/portal/forms/newsletter.ts';
import type { Database } from '../src/infra/db/open-database.ts';
import { engines } from './helpers/engines.ts';
import { createMailer, listOutbox } from '../src/mail/mailer.ts';
import type { MailTables } from '../src/mail/outbox-table.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

/** A tiny browser: a cookie jar per host, no automatic redirects. */
class Client {
  readonly jar = new Map<string, Map<string, string>>();

  async go(url: string, form?: Record<string, string>): Promise<Response> {
    const u = new URL(url);
    const cookies = this.jar.get(u.host) ?? new Map<string, string>();
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (/max-age=0/i.test(line)) cookies.delete(pair.slice(0, at));
      else cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    this.jar.set(u.host, cookies);
    return res;
  }
}

const decode = (s: string): string => s.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));
function hidden(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1] as string] = decode(m[2] as string);
  return fields;
}

let t: TestApp;
let base: string;
let clock = new Date('2026-11-23T10:00:00Z');
before(async () => {
  t = await testApp({ overrides: { now: () => clock } });
  base = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
});
after(() => t?.close());
const forms = (): Kysely<FormsTables> => t.database.db as unknown as Kysely<FormsTables>;

/** GET a form page, then POST it with its hidden fields (CSRF) plus `fields`. */
async function submit(client: Client, page: string, action: string, fields: Record<string, string>): Promise<Response> {
  const html = await (await client.go(`${base}${page}`)).text();
  return client.go(`${base}${action}`, { ...hidden(html), ...fields });
}

async function signIn(client: Client, sub: string): Promise<void> {
  const start = await client.go(`${base}/connexion?retour=%2Fcompte`);
  const authorize = start.headers.get('location') as string;
  const login = await (await client.go(authorize)).text();
  const chosen = await client.go(`${new URL(authorize).origin}/authorize`, { ...hidden(login), agent: sub });
  let next = chosen.headers.get('location') as string;
  for (let i = 0; i < 5 && next !== null && !next.startsWith(`${base}/connexion/retour`); i += 1) next = (await client.go(next)).headers.get('location') as string;
  const back = await client.go(next);
  assert.equal(back.status, 303, 'signed in');
}

const mailsTo = async (email: string) => listOutbox(t.database.db as unknown as Kysely<MailTables>, { recipient: email });

describe('newsletter with double opt-in', () => {
  test('subscribe → pending + one confirmation mail; the link confirms once; unsubscribe deletes', async () => {
    const client = new Client();
    const email = 'Agent.Curieux@Mairie.example.fr';
    const res = await submit(client, '/infolettre', '/infolettre', { email });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/infolettre?envoye=1');
    const row = await forms().selectFrom('newsletter_subscriptions').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    const mails = await mailsTo(email.toLowerCase());
    assert.equal(mails.length, 1);
    const token = /\/infolettre\/confirmer\?jeton=([\w-]+)/.exec(mails[0]?.body ?? '')?.[1] as string;
    assert.ok(token);
    assert.ok(!JSON.stringify(row).includes(token), 'only a hash of the token is stored');

    // Subscribing again at once sends no second mail (no mail bombing) and says the same.
    assert.equal((await submit(client, '/infolettre', '/infolettre', { email })).status, 303);
    assert.equal((await mailsTo(email.toLowerCase())).length, 1);

    // The link opens a page whose button confirms (a link scanner following GETs confirms nothing).
    const confirmPage = await client.go(`${base}/infolettre/confirmer?jeton=${token}`);
    assert.equal(confirmPage.status, 200);
    const confirmHtml = await confirmPage.text();
    assert.equal((await forms().selectFrom('newsletter_subscriptions').select('status').where('email', '=', email.toLowerCase()).executeTakeFirstOrThrow()).status, 'pending');
    const confirmed = await client.go(`${base}/infolettre/confirmer`, hidden(confirmHtml));
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /Inscription confirmée/);
    assert.equal((await forms().selectFrom('newsletter_subscriptions').select('status').where('email', '=', email.toLowerCase()).executeTakeFirstOrThrow()).status, 'confirmed');
    const again = await client.go(`${base}/infolettre/confirmer`, hidden(confirmHtml));
    assert.equal(again.status, 400, 'single use');

    const unsubscribe = decode(/(\/infolettre\/desinscription\?[^\s]+)/.exec(mails[0]?.body ?? '')?.[1] ?? '');
    const forged = await submit(client, unsubscribe, '/infolettre/desinscription', { jeton: 'x'.repeat(43) });
    assert.equal(forged.status, 400);
    const done = await submit(client, unsubscribe, '/infolettre/desinscription', {});
    assert.equal(done.status, 200);
    assert.equal(await forms().selectFrom('newsletter_subscriptions').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst(), undefined);
  });

  test('a confirmation link expires after 48 hours', async () => {
    const client = new Client();
    const email = 'tardif@ccas.example.fr';
    await submit(client, '/infolettre', '/infolettre', { email });
    const token = /jeton=([\w-]+)/.exec((await mailsTo(email))[0]?.body ?? '')?.[1] as string;
    const saved = clock;
    clock = new Date(saved.getTime() + 49 * 3_600_000);
    try {
      const res = await submit(client, `/infolettre/confirmer?jeton=${token}`, '/infolettre/confirmer', {});
      assert.equal(res.status, 400);
      assert.match(await res.text(), /Lien invalide ou expiré/);
    } finally {
      clock = saved;
    }
  });

  test('a bad address: message beside the field, nothing saved, no mail', async () => {
    const client = new Client();
    const res = await submit(client, '/infolettre', '/infolettre', { email: 'pas-une-adresse' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /id="infolettre-email-erreur" class="fr-error-text"/);
    assert.equal(await forms().selectFrom('newsletter_subscriptions').select('id').where('email', '=', 'pas-une-adresse').executeTakeFirst(), undefined);
  });
});

describe('secure transfer form', () => {
  const message = { name: 'Claire Dupont', email: 'claire.dupont@ccas.example.fr', organisation: 'CCAS de Villebelle', subject: 'Quotient familial erroné', message: 'Le dossier de M. X renvoie un QF de 0 alors que…\nRéférence requête : 1234' };

  test('stored encrypted, read back by an operator only, purged after the retention', async () => {
    const sender = new Client();
    const res = await submit(sender, '/transfert-securise', '/transfert-securise', message);
    assert.equal(res.status, 303);
    const reference = /envoye=(TS-[A-Z0-9]{8})/.exec(res.headers.get('location') ?? '')?.[1] as string;
    assert.ok(reference);
    assert.match(await (await sender.go(`${base}/transfert-securise?envoye=${reference}`)).text(), new RegExp(reference));

    // At rest: nothing of the message in clear, anywhere in the row.
    const rows = await sql<Record<string, unknown>>`select * from secure_transfers`.execute(t.database.db);
    const dump = JSON.stringify(rows.rows);
    for (const value of Object.values(message)) for (const word of value.split(/\s+/).filter((w) => w.length > 4)) assert.ok(!dump.includes(word), `"${word}" stored in clear`);

    // Anonymous → sign-in; an applicant → 403; an instructor reads it.
    const anonymous = await new Client().go(`${base}/transfert-securise/boite`);
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.get('location') ?? '', /^\/connexion\?retour=/);
    const applicant = new Client();
    await signIn(applicant, syntheticAgents.find((a) => a.role === 'applicant')!.sub);
    assert.equal((await applicant.go(`${base}/transfert-securise/boite`)).status, 403);
    const operator = new Client();
    await signIn(operator, syntheticAgents.find((a) => a.role === 'instructor')!.sub);
    const inbox = await (await operator.go(`${base}/transfert-securise/boite`)).text();
    assert.match(inbox, new RegExp(reference));
    assert.match(inbox, /Non lu/);
    const id = new RegExp(`href="/transfert-securise/boite/([0-9a-f-]{36})">${reference}<`).exec(inbox)?.[1] as string;
    const opened = await operator.go(`${base}/transfert-securise/boite/${id}`);
    assert.equal(opened.status, 200);
    const html = decode(await opened.text());
    assert.ok(html.includes(message.message), 'the message, decrypted');
    assert.ok(html.includes(message.email));
    assert.equal((await applicant.go(`${base}/transfert-securise/boite/${id}`)).status, 403);
    const row = await forms().selectFrom('secure_transfers').select(['read_at', 'read_by']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.read_at !== null && row.read_by !== null, 'first reading recorded');

    // Purge: nothing before the retention, the message after it.
    assert.deepEqual(await purgeSecureTransfers(forms(), { now: new Date(clock.getTime() + 29 * 86_400_000) }), { purged: 0 });
    // The scheduler's job, on the app's own database.
    assert.deepEqual(await secureTransferPurgeJob(t.database).run(new Date(clock.getTime() + 30 * 86_400_000 + 1)), { purged: 1 });
    assert.equal((await operator.go(`${base}/transfert-securise/boite/${id}`)).status, 404);
  });

  test('bad input: a message beside each field at fault, nothing saved', async () => {
    const before = await forms().selectFrom('secure_transfers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const res = await submit(new Client(), '/transfert-securise', '/transfert-securise', { ...message, email: 'nope', subject: '', message: 'x'.repeat(10_001) });
    assert.equal(res.status, 400);
    const html = await res.text();
    for (const field of ['email', 'subject', 'message']) assert.match(html, new RegExp(`id="st-${field}-erreur" class="fr-error-text"`), field);
    assert.doesNotMatch(html, /id="st-name-erreur"/);
    const after = await forms().selectFrom('secure_transfers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(String(after.n), String(before.n));
  });

  test('a form without its CSRF token is refused and saves nothing', async () => {
    const res = await new Client().go(`${base}/transfert-securise`, message);
    assert.equal(res.status, 403);
  });

  test('at most five messages per client in ten minutes', async () => {
    const client = new Client();
    const statuses: number[] = [];
    // One was already sent from this IP by the first test.
    for (let i = 0; i < 5; i += 1) statuses.push((await submit(client, '/transfert-securise', '/transfert-securise', { ...message, subject: `Envoi ${i}` })).status);
    assert.deepEqual(statuses, [303, 303, 303, 303, 429]);
  });
});

for (const engine of engines()) {
  describe(`forms storage on ${engine.name}`, () => {
    let database: Database;
    let when = new Date('2026-05-01T08:00:00Z');
    before(async () => {
      database = await engine.open();
    });
    after(() => database?.close());

    test('secure transfers: sealed row, opened list, first reading recorded, purge', async () => {
      const db = database.db as unknown as Kysely<FormsTables>;
      const transfers = new SecureTransfers(db, { key: deriveFormsKeys('p'.repeat(40)).secureTransfer, retentionDays: 7, now: () => when });
      const reference = await transfers.submit({ name: 'Jean Test', email: 'jean@example.fr', organisation: '', subject: 'Sujet sensible', message: 'Texte sensible' });
      const raw = await db.selectFrom('secure_transfers').selectAll().executeTakeFirstOrThrow();
      assert.equal(raw.reference, reference);
      assert.ok(!raw.sealed.includes('sensible'));
      const [entry] = await transfers.list();
      assert.equal(entry?.message.subject, 'Sujet sensible');
      const read = await transfers.read(entry?.id as string, 'operator-sub');
      assert.ok(read?.readAt);
      assert.equal((await db.selectFrom('secure_transfers').select('read_by').executeTakeFirstOrThrow()).read_by, 'operator-sub');
      // Another key cannot open it.
      const other = new SecureTransfers(db, { key: deriveFormsKeys('q'.repeat(40)).secureTransfer, retentionDays: 7, now: () => when });
      await assert.rejects(() => other.list());
      when = new Date(when.getTime() + 7 * 86_400_000);
      assert.deepEqual(await transfers.list(), [], 'hidden once due');
      assert.deepEqual(await purgeSecureTransfers(db, { now: when }), { purged: 1 });
    });

    test('newsletter: pending, confirm once, unsubscribe with the signed link only', async () => {
      const db = database.db as unknown as Kysely<FormsTables>;
      const mailer = createMailer(database.db as unknown as Kysely<MailTables>, { smtpUrl: undefined, from: 'test@example.fr', now: () => when });
      const newsletter = new Newsletter({ db, mailer, unsubscribeKey: deriveFormsKeys('p'.repeat(40)).unsubscribe, now: () => when });
      await newsletter.subscribe('Lecteur@Example.fr', 'https://portail.example');
      const [mail] = await listOutbox(database.db as unknown as Kysely<MailTables>, { recipient: 'lecteur@example.fr' });
      const token = /jeton=([\w-]+)/.exec(mail?.body ?? '')?.[1] as string;
      assert.deepEqual(await newsletter.confirmedAddresses(), []);
      assert.equal(await newsletter.confirm(token), 'confirmed');
      assert.equal(await newsletter.confirm(token), 'invalid');
      assert.deepEqual(await newsletter.confirmedAddresses(), ['lecteur@example.fr']);
      assert.equal(await newsletter.unsubscribe('lecteur@example.fr', newsletter.unsubscribeToken('autre@example.fr')), false);
      assert.equal(await newsletter.unsubscribe('lecteur@example.fr', newsletter.unsubscribeToken('LECTEUR@example.fr')), true);
      assert.deepEqual(await newsletter.confirmedAddresses(), []);
    });
  });
}
