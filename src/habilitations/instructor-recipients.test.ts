/** Who receives the "request waiting for instruction" mails (docs/adr/0164-instructor-mail-recipients.md). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.ts';
import { syntheticAgents } from '../idp/synthetic-agents.ts';
import { instructorMailRecipients } from './instructor-recipients.ts';

const PROCONNECT = { OIDC_ISSUER: 'https://proconnect.example.gouv.fr', OIDC_CLIENT_ID: 'portail', OIDC_CLIENT_SECRET: 's'.repeat(32) };
const recipients = (env: Record<string, string>) => instructorMailRecipients(loadConfig(env).portal);

test('embedded identity provider, no list: the synthetic instructor, and only them', () => {
  assert.deepEqual(recipients({}), ['nadia.benali@instruction.example.gouv.fr']);
  assert.deepEqual(
    recipients({}),
    syntheticAgents.filter((a) => a.role === 'instructor').map((a) => a.email),
    'follows the synthetic agents if they change',
  );
});

test('a configured list is the whole list, with either identity provider', () => {
  const list = { PORTAL_INSTRUCTOR_EMAILS: 'instructeur@dinum.gouv.fr, Second@Dinum.gouv.fr' };
  assert.deepEqual(recipients(list), ['instructeur@dinum.gouv.fr', 'second@dinum.gouv.fr']);
  assert.deepEqual(recipients({ ...list, ...PROCONNECT }), ['instructeur@dinum.gouv.fr', 'second@dinum.gouv.fr']);
});

test('a real identity provider and no list: nobody', () => {
  assert.deepEqual(recipients(PROCONNECT), []);
});

test('the result is a copy: changing it changes neither the config nor the next answer', () => {
  const config = loadConfig({ PORTAL_INSTRUCTOR_EMAILS: 'instructeur@dinum.gouv.fr' });
  instructorMailRecipients(config.portal).push('intrus@exemple.fr');
  assert.deepEqual(config.portal.instructorEmails, ['instructeur@dinum.gouv.fr']);
  instructorMailRecipients(loadConfig({}).portal).push('intrus@exemple.fr');
  assert.deepEqual(recipients({}), ['nadia.benali@instruction.example.gouv.fr']);
});
