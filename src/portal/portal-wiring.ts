/**
 * Wires the portal from the configuration: the identity provider (ProConnect from OIDC_ISSUER, or
 * the embedded one started on loopback), the role grants, the session secret, then the portal
 * plugin. Called once by the composition root (src/app.ts).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { ProviderManifest } from '../core/endpoint.ts';
import { startLocalIdp } from '../idp/local-idp.ts';
import { syntheticAgents } from '../idp/synthetic-agents.ts';
import type { Habilitations } from '../habilitations/habilitations.ts';
import type { TokenAdmin } from '../tokens/token-admin.ts';
import { deriveFormsKeys, portalFormsSecret } from './forms/forms-secret.ts';
import type { Database } from '../infra/db/open-database.ts';
import type { LoadReport } from '../sandbox/load-cases.ts';
import type { StatusDeps } from '../status/status-report.ts';
import { OidcSignIn } from './auth/oidc-sign-in.ts';
import { registerPortal } from './portal-plugin.ts';
import { portalSessionSecret } from './session/session-secret.ts';
import type { RoleGrants } from './users/roles.ts';

export interface PortalWiring {
  config: Config;
  database: Database;
  registry: readonly ProviderManifest[];
  sandbox: () => LoadReport;
  now: () => Date;
  /** The habilitation domain, for the request, review and account pages (issue 5). */
  habilitations: Habilitations;
  /** Issues the sandbox explorer's tokens (issue 7). */
  tokens: TokenAdmin;
  /** The status API's sources, for the `/statut` pages (issue 6 item 3). */
  status: StatusDeps;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Redirect URIs the embedded provider accepts: the portal's callback on PUBLIC_URL, or on a loopback host. */
export function embeddedRedirectCheck(publicUrl: string | undefined, host: string): (uri: string) => boolean {
  return (uri) => {
    if (!URL.canParse(uri)) return false;
    const url = new URL(uri);
    if (url.search !== '' || url.hash !== '') return false;
    if (publicUrl !== undefined) return url.href === `${publicUrl}/connexion/retour`;
    return url.pathname === '/connexion/retour' && url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || url.hostname === host);
  };
}

/** Starts what the portal needs and registers it; the embedded identity provider stops with the server. */
export async function setUpPortal(server: FastifyInstance, wiring: PortalWiring): Promise<{ issuer: string }> {
  const { config } = wiring;
  const portal = config.portal;
  let issuer = portal.oidc.issuer;
  let clientSecret = portal.oidc.clientSecret;
  const grants: { [K in keyof RoleGrants]: string[] } = { admin: [...portal.adminEmails], instructor: [...portal.instructorEmails], provider_reviewer: [...portal.reviewerEmails] };

  if (issuer === undefined) {
    clientSecret = randomBytes(32).toString('base64url');
    const idp = await startLocalIdp({
      port: portal.oidc.localIdpPort,
      clientId: portal.oidc.clientId,
      clientSecret,
      redirectUriAllowed: embeddedRedirectCheck(portal.publicUrl, config.host),
    });
    server.addHook('onClose', () => idp.close());
    issuer = idp.issuer;
    // The synthetic agents get the role they demonstrate (docs/adr/0101-portal-sign-in.md).
    for (const agent of syntheticAgents) if (agent.role !== 'applicant') grants[agent.role].push(agent.email);
  }

  await registerPortal(server, {
    database: wiring.database,
    registry: wiring.registry,
    sandbox: wiring.sandbox,
    signIn: new OidcSignIn({ issuer, clientId: portal.oidc.clientId, clientSecret: clientSecret as string }),
    grants,
    sessionSecret: portalSessionSecret(portal.sessionSecret, config.dataDir),
    sessionTtlHours: portal.sessionTtlHours,
    publicUrl: portal.publicUrl,
    formActionOrigins: [new URL(issuer).origin],
    now: wiring.now,
    habilitations: wiring.habilitations,
    status: wiring.status,
    developerTools: {
      mode: config.mode,
      tokens: wiring.tokens,
      formsKeys: deriveFormsKeys(portalFormsSecret(config.secureTransfer.key, config.dataDir)),
      secureTransferRetentionDays: config.secureTransfer.retentionDays,
    },
  });
  return { issuer };
}
