/**
 * The newsletter (« infolettre », issue 7 item 4) with double opt-in: a subscription stays `pending`
 * until the single-use link of the confirmation mail is followed within its lifetime; only the
 * SHA-256 of that link's token is stored. Unsubscribe links carry an HMAC of the address, so every
 * mail can include one without storing a token (docs/adr/0144-newsletter-double-opt-in.md).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Mailer } from '../../mail/mailer.ts';
import type { FormsTables } from './forms-tables.ts';

const CONFIRM_HOURS = 48;
/** A pending address gets at most one confirmation mail per this delay (no mail bombing). */
const RESEND_AFTER_MS = 10 * 60_000;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export type ConfirmResult = 'confirmed' | 'invalid';

export class Newsletter {
  readonly #db: Kysely<FormsTables>;
  readonly #mailer: Mailer;
  readonly #unsubscribeKey: Buffer;
  readonly #now: () => Date;

  constructor(deps: { db: Kysely<FormsTables>; mailer: Mailer; unsubscribeKey: Buffer; now: () => Date }) {
    this.#db = deps.db;
    this.#mailer = deps.mailer;
    this.#unsubscribeKey = deps.unsubscribeKey;
    this.#now = deps.now;
  }

  /** The token of an address's unsubscribe link. */
  unsubscribeToken(email: string): string {
    return createHmac('sha256', this.#unsubscribeKey).update(email.toLowerCase()).digest('base64url');
  }

  unsubscribeUrl(baseUrl: string, email: string): string {
    return `${baseUrl}/infolettre/desinscription?${new URLSearchParams({ email: email.toLowerCase(), jeton: this.unsubscribeToken(email) })}`;
  }

  /**
   * Records a pending subscription and mails its confirmation link. The answer is the same whether the
   * address is new, pending or already confirmed, so the form reveals nobody's subscription.
   */
  async subscribe(rawEmail: string, baseUrl: string): Promise<void> {
    const email = rawEmail.toLowerCase();
    const now = this.#now();
    const existing = await this.#db.selectFrom('newsletter_subscriptions').selectAll().where('email', '=', email).executeTakeFirst();
    if (existing?.status === 'confirmed') return;
    if (existing !== undefined && now.getTime() - new Date(existing.created_at).getTime() < RESEND_AFTER_MS) return;
    const token = randomBytes(32).toString('base64url');
    const row = { status: 'pending', confirm_token_hash: sha256(token), confirm_expires_at: new Date(now.getTime() + CONFIRM_HOURS * 3_600_000), created_at: now };
    await this.#db
      .insertInto('newsletter_subscriptions')
      .values({ email, ...row, confirmed_at: null })
      .onConflict((oc) => oc.column('email').doUpdateSet(row))
      .execute();
    await this.#mailer.send({
      to: [email],
      subject: 'Confirmez votre inscription à l’infolettre d’API Particulier',
      text: [
        'Bonjour,',
        '',
        'Quelqu’un (vous, sans doute) a demandé à recevoir l’infolettre d’API Particulier à cette adresse.',
        `Pour confirmer, ouvrez ce lien dans les ${CONFIRM_HOURS} heures : ${baseUrl}/infolettre/confirmer?jeton=${token}`,
        '',
        'Si vous n’avez rien demandé, ignorez ce message : aucune inscription ne sera faite.',
        `Se désinscrire à tout moment : ${this.unsubscribeUrl(baseUrl, email)}`,
      ].join('\n'),
    });
  }

  /** Confirms the subscription of a link's token; the token works once and only before it expires. */
  async confirm(token: string): Promise<ConfirmResult> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return 'invalid';
    const now = this.#now();
    const updated = await this.#db
      .updateTable('newsletter_subscriptions')
      .set({ status: 'confirmed', confirmed_at: now, confirm_token_hash: null, confirm_expires_at: null })
      .where('confirm_token_hash', '=', sha256(token))
      .where('status', '=', 'pending')
      .where('confirm_expires_at', '>', now)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1 ? 'confirmed' : 'invalid';
  }

  /** Deletes the address when the link's token is its HMAC; false otherwise. */
  async unsubscribe(email: string, token: string): Promise<boolean> {
    const expected = Buffer.from(this.unsubscribeToken(email));
    const given = Buffer.from(token);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    await this.#db.deleteFrom('newsletter_subscriptions').where('email', '=', email.toLowerCase()).execute();
    return true;
  }

  /** Confirmed addresses, for sending an issue of the newsletter. */
  async confirmedAddresses(): Promise<string[]> {
    const rows = await this.#db.selectFrom('newsletter_subscriptions').select('email').where('status', '=', 'confirmed').orderBy('email').execute();
    return rows.map((r) => r.email);
  }
}
