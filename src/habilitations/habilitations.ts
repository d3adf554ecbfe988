/**
 * Builds the habilitation domain from the config, for the composition root (`src/app.ts`): the
 * request workflow, the token lifecycle, the per-habilitation rate limit, vendor templates, the
 * mailer and the expiry-notice job.
 * The portal pages and the CLI use these objects; nothing here knows HTTP.
 */
import type { Config } from '../config/config.ts';
import type { ProviderManifest } from '../core/endpoint.ts';
import type { Database } from '../infra/db/open-database.ts';
import { createMailer, listOutbox, type Mailer, type OutboxEntry } from '../mail/mailer.ts';
import { outboxDb } from '../mail/outbox-table.ts';
import type { Keyring } from '../tokens/keyring.ts';
import { sendExpiryNotices, type ExpiryNoticeReport } from './expiry-notices.ts';
import { HabilitationRateLimit } from './habilitation-rate-limit.ts';
import { HabilitationService } from './habilitation-service.ts';
import { instructorMailRecipients } from './instructor-recipients.ts';
import { withHabilitationTables, type HabilitationDb } from './tables.ts';
import { TokenLifecycle } from './token-lifecycle.ts';
import { loadTemplates } from './use-case-templates.ts';
import { VendorTemplates } from './vendor-templates.ts';

export interface Habilitations {
  db: HabilitationDb;
  service: HabilitationService;
  lifecycle: TokenLifecycle;
  /** The per-habilitation rate limit: its default and its changes (ADR 0117). */
  rateLimit: HabilitationRateLimit;
  vendors: VendorTemplates;
  mailer: Mailer;
  /** The expiry-notice job: register it with the scheduler (idempotent, safe to run often). */
  sendExpiryNotices(now: Date): Promise<ExpiryNoticeReport>;
  /** The latest mails, for the portal's outbox page. */
  outbox(options?: { limit?: number; recipient?: string }): Promise<OutboxEntry[]>;
}

export function buildHabilitations(deps: {
  config: Pick<Config, 'mail' | 'portal' | 'host' | 'port' | 'rateLimits'>;
  database: Database;
  keyring: Keyring;
  now: () => Date;
  registry: readonly ProviderManifest[];
  /** Drops cached token verifications (on every instance, in the service: the revocation notices). */
  forgetVerifiedTokens: () => void;
  /** Where a mail failure after a committed decision is reported (the server log; never personal data). */
  onMailError?: (error: unknown) => void;
  /** Replace the mailer (tests). */
  mailer?: Mailer;
}): Habilitations {
  const db = withHabilitationTables(deps.database.db);
  const mailer = deps.mailer ?? createMailer(outboxDb(db), { smtpUrl: deps.config.mail.smtpUrl, from: deps.config.mail.from, now: deps.now });
  const service = new HabilitationService({
    db,
    keyring: deps.keyring,
    now: deps.now,
    registry: deps.registry,
    templates: loadTemplates(deps.registry),
    mailer,
    // The configured list, or the embedded provider's synthetic instructor (docs/adr/0164-instructor-mail-recipients.md).
    instructorEmails: instructorMailRecipients(deps.config.portal),
    forgetVerifiedTokens: deps.forgetVerifiedTokens,
    ...(deps.onMailError ? { onMailError: deps.onMailError } : {}),
  });
  const lifecycle = new TokenLifecycle({ db, keyring: deps.keyring, now: deps.now, service, forgetVerifiedTokens: deps.forgetVerifiedTokens });
  const rateLimit = new HabilitationRateLimit({ db, now: deps.now, defaultPerSecond: deps.config.rateLimits.token.perSecond, forgetVerifiedTokens: deps.forgetVerifiedTokens });
  const vendors = new VendorTemplates({ db, now: deps.now, registry: deps.registry, service });
  const baseUrl = deps.config.portal.publicUrl ?? `http://${deps.config.host}:${deps.config.port}`;
  return {
    db,
    service,
    lifecycle,
    rateLimit,
    vendors,
    mailer,
    sendExpiryNotices: (now) => sendExpiryNotices(now, { db, mailer, keyring: deps.keyring, days: deps.config.mail.expiryNoticeDays, baseUrl }),
    outbox: (options) => listOutbox(outboxDb(db), options),
  };
}
