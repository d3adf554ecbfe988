/**
 * The mail slice of the config (issue 5 §7), parsed by `loadConfig` (the only reader of the
 * environment): `SMTP_URL` (absent → the embedded outbox), `MAIL_FROM`, `EXPIRY_NOTICE_DAYS`.
 */

export interface MailConfig {
  /** `smtp://` or `smtps://` URL; absent → mails are kept in the `mail_outbox` table only. */
  smtpUrl: string | undefined;
  from: string;
  /** Days before a token's expiry when its contacts are told, e.g. [90, 60, 30, 15]. */
  expiryNoticeDays: number[];
}

export const DEFAULT_MAIL_FROM = 'API Particulier <ne-pas-repondre@particulier.api.gouv.fr>';

type Env = Record<string, string | undefined>;

/** Appends every problem to `problems`; returns usable defaults for the rest. */
export function parseMailConfig(env: Env, problems: string[]): MailConfig {
  const smtpUrl = env.SMTP_URL === '' ? undefined : env.SMTP_URL;
  if (smtpUrl !== undefined) {
    let valid = false;
    try {
      valid = ['smtp:', 'smtps:'].includes(new URL(smtpUrl).protocol);
    } catch {
      valid = false;
    }
    if (!valid) problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  }
  const from = env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  if (!/^[^<>]*<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/.test(from)) {
    problems.push('MAIL_FROM must be an address, optionally with a name: "Name <address@domain>"');
  }
  const rawDays = env.EXPIRY_NOTICE_DAYS?.trim() || '90,60,30,15';
  const parts = rawDays.split(',').map((d) => d.trim());
  const days = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || days.some((d) => d < 1 || d > 365)) {
    problems.push(`EXPIRY_NOTICE_DAYS must be comma-separated whole numbers of days between 1 and 365 (got "${rawDays}")`);
  }
  const expiryNoticeDays = [...new Set(days.filter((d) => Number.isInteger(d) && d >= 1 && d <= 365))].sort((a, b) => b - a);
  return { smtpUrl, from, expiryNoticeDays };
}
