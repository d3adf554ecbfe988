/**
 * Expiry notices (issue 5 §7, U13–U15): 90, 60, 30 and 15 days before a token expires, one mail to
 * every contact of its habilitation (all in `to`), with a per-token "stop these reminders" link.
 * Never for a revoked token (even a scheduled revocation: it is being replaced), a replaced token
 * (prolonged or rotated) or a token whose contacts opted out. Idempotent: each (token, threshold)
 * is claimed in `expiry_notices` before sending, so a notice goes out once even when two runs
 * overlap; a failed send releases its claim for the next run. ADR 0114.
 */
import type { Mailer } from '../mail/mailer.ts';
import type { Keyring } from '../tokens/keyring.ts';
import { isUuid } from '../tokens/token-repository.ts';
import { optOutKey } from './habilitation-tokens.ts';
import { contactEmails, type Snapshot } from './snapshot.ts';
import type { HabilitationDb } from './tables.ts';

export const DEFAULT_NOTICE_DAYS: readonly number[] = [90, 60, 30, 15];
const DAY_MS = 86_400_000;

export interface ExpiryNoticeDeps {
  db: HabilitationDb;
  mailer: Mailer;
  keyring: Keyring;
  /** Days before expiry, e.g. [90, 60, 30, 15]. */
  days: readonly number[];
  /** Base of the links in the mail (the portal's public URL). */
  baseUrl: string;
}

export interface ExpiryNoticeReport {
  sent: Array<{ jti: string; daysBefore: number; recipients: string[] }>;
  failed: Array<{ jti: string; daysBefore: number; error: string }>;
}

/** The threshold a token is in now: the smallest `d` with expiry − d days ≤ now, if any. */
export function dueThreshold(expiresAt: Date, now: Date, days: readonly number[]): number | undefined {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return undefined;
  const reached = days.filter((d) => left <= d * DAY_MS);
  return reached.length === 0 ? undefined : Math.min(...reached);
}

const PARIS_DATE = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

function noticeText(input: { snapshot: Snapshot; habilitationId: string; jti: string; expiresAt: Date; daysBefore: number; optOutUrl: string; prolongUrl: string }): string {
  return [
    'Bonjour,',
    '',
    `Le jeton API Particulier ${input.jti.slice(0, 8)}… de « ${input.snapshot.organisationName} » pour la démarche « ${input.snapshot.title} » expire le ${PARIS_DATE.format(input.expiresAt)} (dans ${input.daysBefore} jours au plus).`,
    '',
    'Pour continuer à accéder aux données sans interruption, demandez sa prolongation : un formulaire court (rien n’a changé, ou vos contacts ont changé), validé par nos soins. Le nouveau jeton est valable 18 mois et l’ancien fonctionne jusqu’à son expiration.',
    input.prolongUrl,
    '',
    'Ne plus recevoir de rappel pour ce jeton :',
    input.optOutUrl,
    '',
    'L’équipe API Particulier',
  ].join('\n');
}

/**
 * Sends the notices due at `now`. A plain async function for the scheduler (src/jobs/).
 * @example
 * await sendExpiryNotices(new Date(), { db, mailer, keyring, days: [90, 60, 30, 15], baseUrl: 'https://particulier.api.gouv.fr' });
 */
export async function sendExpiryNotices(now: Date, deps: ExpiryNoticeDeps): Promise<ExpiryNoticeReport> {
  const report: ExpiryNoticeReport = { sent: [], failed: [] };
  if (deps.days.length === 0) return report;
  const horizon = new Date(now.getTime() + Math.max(...deps.days) * DAY_MS);
  const candidates = await deps.db
    .selectFrom('habilitation_tokens as h')
    .innerJoin('tokens as t', 't.jti', 'h.jti')
    .innerJoin('habilitations as a', 'a.id', 'h.habilitation_id')
    .select(['t.jti', 't.kid', 't.expires_at', 'a.id as habilitation_id', 'a.snapshot'])
    .where('t.revoked_at', 'is', null)
    .where('h.replaced_by', 'is', null)
    .where('h.notices_opt_out_at', 'is', null)
    .where('a.status', '=', 'validated')
    .where('t.expires_at', '>', now)
    .where('t.expires_at', '<=', horizon)
    .orderBy('t.expires_at')
    .execute();
  const base = deps.baseUrl.replace(/\/+$/, '');
  for (const row of candidates) {
    const daysBefore = dueThreshold(row.expires_at, now, deps.days);
    if (daysBefore === undefined || row.snapshot === null) continue;
    const snapshot = (typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot) as Snapshot;
    const recipients = contactEmails(snapshot);
    const claimed = await deps.db
      .insertInto('expiry_notices')
      .values({ jti: row.jti, days_before: daysBefore, sent_at: now, recipients })
      .onConflict((oc) => oc.columns(['jti', 'days_before']).doNothing())
      .returning('jti')
      .executeTakeFirst();
    if (claimed === undefined) continue; // already sent (or being sent by an overlapping run)
    const key = optOutKey(row.jti, row.kid, deps.keyring) ?? '';
    try {
      await deps.mailer.send({
        to: recipients,
        subject: `Votre jeton API Particulier expire dans ${daysBefore} jours`,
        text: noticeText({
          snapshot,
          habilitationId: row.habilitation_id,
          jti: row.jti,
          expiresAt: row.expires_at,
          daysBefore,
          optOutUrl: `${base}/compte/jetons/${row.jti}/rappels/arret?cle=${encodeURIComponent(key)}`,
          prolongUrl: `${base}/compte/habilitations/${row.habilitation_id}/prolongation`,
        }),
      });
      report.sent.push({ jti: row.jti, daysBefore, recipients });
    } catch (error) {
      await deps.db.deleteFrom('expiry_notices').where('jti', '=', row.jti).where('days_before', '=', daysBefore).execute();
      report.failed.push({ jti: row.jti, daysBefore, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

/** Notices already sent for a token, for the account page. */
export async function noticesOf(db: HabilitationDb, jti: string): Promise<Array<{ daysBefore: number; sentAt: Date }>> {
  if (!isUuid(jti)) return [];
  const rows = await db.selectFrom('expiry_notices').select(['days_before', 'sent_at']).where('jti', '=', jti).orderBy('sent_at').execute();
  return rows.map((r) => ({ daysBefore: r.days_before, sentAt: r.sent_at }));
}
