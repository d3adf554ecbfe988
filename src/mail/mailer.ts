/**
 * Sending e-mail (issue 5 §7): one `Mailer` interface, two transports picked by wiring. The embedded
 * default only keeps mails in the `mail_outbox` table, readable in the portal; with `SMTP_URL`
 * they are delivered over SMTP (nodemailer) and kept in the outbox too. ADR 0115.
 */
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { MailTables } from './outbox-table.ts';

export interface Mail {
  /** Every recipient in `to` (U15: all contacts, none hidden in copy). */
  to: string[];
  subject: string;
  text: string;
}

export interface SentMail {
  transport: 'outbox' | 'smtp';
  messageId: string | null;
}

export interface Mailer {
  /** @throws Error when SMTP refuses the mail; nothing is recorded then. */
  send(mail: Mail): Promise<SentMail>;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`; absent → outbox only. */
  smtpUrl: string | undefined;
  from: string;
  now: () => Date;
}

async function record(db: Kysely<MailTables>, at: Date, from: string, mail: Mail, sent: SentMail): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({ at, transport: sent.transport, sender: from, recipients: mail.to, subject: mail.subject, body: mail.text, message_id: sent.messageId })
    .execute();
}

export function createMailer(db: Kysely<MailTables>, options: MailerOptions): Mailer {
  if (options.smtpUrl === undefined) {
    return {
      async send(mail) {
        const sent: SentMail = { transport: 'outbox', messageId: null };
        await record(db, options.now(), options.from, mail, sent);
        return sent;
      },
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
      const sent: SentMail = { transport: 'smtp', messageId: typeof info.messageId === 'string' ? info.messageId : null };
      await record(db, options.now(), options.from, mail, sent);
      return sent;
    },
  };
}

export interface OutboxEntry {
  id: string;
  at: Date;
  transport: string;
  recipients: string[];
  subject: string;
  body: string;
}

/** The latest mails, newest first, for the portal's outbox page. */
export async function listOutbox(db: Kysely<MailTables>, options: { limit?: number; recipient?: string } = {}): Promise<OutboxEntry[]> {
  let query = db.selectFrom('mail_outbox').select(['id', 'at', 'transport', 'recipients', 'subject', 'body']);
  if (options.recipient !== undefined) query = query.where((eb) => eb(eb.val(options.recipient), '=', eb.fn.any('recipients')));
  return query
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
    .execute();
}
