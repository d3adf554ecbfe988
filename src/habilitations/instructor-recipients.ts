/**
 * Who is mailed when a request waits for instruction — a new habilitation request or a prolongation
 * (effect `notify_instructors`; docs/adr/0164-instructor-mail-recipients.md):
 *
 * 1. `PORTAL_INSTRUCTOR_EMAILS` when it is set: exactly that list, whatever the identity provider.
 *    An operator who wrote a list chose the recipients; nobody is added behind their back.
 * 2. Otherwise, with the embedded identity provider (no `OIDC_ISSUER`): the synthetic agents who
 *    demonstrate the instructor role. There, only synthetic agents can sign in and they already hold
 *    that role (src/portal/portal-wiring.ts), so the demo's instructor finds the mail in the outbox
 *    (`/instruction/courriels`) like a real one would in their mailbox.
 * 3. Otherwise (ProConnect or another real provider, and no list): nobody. A production instance
 *    never mails an address it was not given.
 *
 * The rule follows the identity provider rather than `MODE`: the synthetic agents exist exactly when
 * the embedded provider runs, in sandbox mode and in the live-mode demo (`npm run start:live`) alike.
 */
import type { PortalConfig } from '../config/config.ts';
import { syntheticAgents } from '../idp/synthetic-agents.ts';

/**
 * @example
 * instructorMailRecipients(loadConfig({}).portal); // ['nadia.benali@instruction.example.gouv.fr']
 * instructorMailRecipients(loadConfig({ PORTAL_INSTRUCTOR_EMAILS: 'a@dinum.gouv.fr' }).portal); // ['a@dinum.gouv.fr']
 */
export function instructorMailRecipients(portal: Pick<PortalConfig, 'instructorEmails' | 'oidc'>): string[] {
  if (portal.instructorEmails.length > 0) return [...portal.instructorEmails];
  if (portal.oidc.issuer === undefined) return syntheticAgents.filter((a) => a.role === 'instructor').map((a) => a.email);
  return [];
}
