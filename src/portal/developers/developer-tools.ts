/**
 * Registers issue 7's pages beside the developer docs, from one set of dependencies: the sandbox
 * explorer, the FAQ and CGU, the newsletter and the secure transfer form with its operators' inbox.
 * The portal plugin calls this once (src/portal/portal-plugin.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Mode } from '../../config/config.ts';
import type { Database } from '../../infra/db/open-database.ts';
import type { ProviderManifest } from '../../core/endpoint.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { LoadReport } from '../../sandbox/load-cases.ts';
import type { TokenAdmin } from '../../tokens/token-admin.ts';
import { registerExplorerRoutes } from '../explorer/explorer-routes.ts';
import { explorerTokens } from '../explorer/explorer-tokens.ts';
import { registerFaqRoutes } from '../faq/faq-routes.ts';
import type { FormsKeys } from '../forms/forms-secret.ts';
import type { FormsTables } from '../forms/forms-tables.ts';
import { Newsletter } from '../forms/newsletter.ts';
import { registerNewsletterRoutes } from '../forms/newsletter-routes.ts';
import { registerSecureTransferRoutes } from '../forms/secure-transfer-routes.ts';
import { SecureTransfers } from '../forms/secure-transfers.ts';

/** What the wiring (src/portal/portal-wiring.ts) gives from the config. */
export interface DeveloperToolsDeps {
  mode: Mode;
  tokens: TokenAdmin;
  formsKeys: FormsKeys;
  secureTransferRetentionDays: number;
}

export interface DeveloperToolsContext extends DeveloperToolsDeps {
  database: Database;
  registry: readonly ProviderManifest[];
  sandbox: () => LoadReport;
  mailer: Mailer;
  now: () => Date;
  publicBase: (request: FastifyRequest) => string;
}

export function registerDeveloperTools(app: FastifyInstance, deps: DeveloperToolsContext): void {
  // The forms' tables are declared in src/portal/forms/forms-tables.ts, not in the shared schema.
  const db = deps.database.db as unknown as Kysely<FormsTables>;
  registerExplorerRoutes(app, {
    registry: deps.registry,
    sandbox: deps.sandbox,
    mode: deps.mode,
    // Live mode gets no token source at all: the explorer cannot call anything there.
    tokens: deps.mode === 'sandbox' ? explorerTokens(deps.tokens, deps.now) : undefined,
  });
  registerFaqRoutes(app);
  registerNewsletterRoutes(app, { newsletter: new Newsletter({ db, mailer: deps.mailer, unsubscribeKey: deps.formsKeys.unsubscribe, now: deps.now }), publicBase: deps.publicBase, now: deps.now });
  registerSecureTransferRoutes(app, { transfers: new SecureTransfers(db, { key: deps.formsKeys.secureTransfer, retentionDays: deps.secureTransferRetentionDays, now: deps.now }), now: deps.now });
}
