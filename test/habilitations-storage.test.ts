/**
 * Habilitation storage on both engines (PGlite and PostgreSQL 15): the migration, jsonb round
 * trips, row locks inside transactions, the append-only trigger and the outbox mailer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config/config.ts';
import { buildHabilitations, type Habilitations } from '../src/habilitations/habilitations.ts';
import type { Database } from '../src/infra/db/open-database.ts';
import { providers } from '../src/providers/index.ts';
import { createKeyring } from '../src/tokens/keyring.ts';
import { engines } from './helpers/engines.ts';
import { applicant, approvedHabilitation, instructor } from './helpers/habilitation-fixtures.ts';

const clock = new Date('2026-02-01T10:00:00.000Z');

for (const engine of engines()) {
  describe(`habilitations on ${engine.name}`, () => {
    let database: Database;
    let h: Habilitations;
    before(async () => {
      database = await engine.open();
      h = buildHabilitations({
        config: loadConfig({ PORTAL_INSTRUCTOR_EMAILS: 'instructeur@dinum.gouv.fr' }),
        database,
        keyring: createKeyring([{ kid: 'k1', secret: 'x'.repeat(40) }]),
        now: () => clock,
        registry: providers,
        forgetVerifiedTokens: () => undefined,
      });
    });
    after(async () => database.close());

    test('a full request round-trips its form and frozen snapshot, and links its token', async () => {
      const { id, jti } = await approvedHabilitation(h);
      const saved = await h.service.get(id);
      assert.equal(saved?.status, 'validated');
      assert.equal(saved?.form.contacts?.dpo.email, 'dpo@mairie-rennes.fr');
      assert.deepEqual(saved?.snapshot?.scopes, ['cnaf_quotient_familial', 'complementaire_sante_solidaire']);
      assert.equal(saved?.snapshot?.legal.expectedVolume, 15000);
      const tokens = await h.lifecycle.tokens(id, applicant);
      assert.deepEqual(tokens?.map((t) => t.jti), [jti]);
      assert.equal(tokens?.[0]?.lastUsedAt, null);
    });

    test('events cannot be updated or deleted', async () => {
      const row = await h.db.selectFrom('habilitation_events').select('id').executeTakeFirstOrThrow();
      await assert.rejects(h.db.updateTable('habilitation_events').set({ message: 'réécrit' }).where('id', '=', row.id).execute(), /append-only/);
      await assert.rejects(h.db.deleteFrom('habilitation_events').where('id', '=', row.id).execute(), /append-only/);
    });

    test('a decision that fails validation changes nothing, in one transaction', async () => {
      const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
      assert.ok(draft.ok);
      const before = (await h.service.events(draft.id)).length;
      const r = await h.service.act(draft.id, 'submit', applicant);
      assert.equal(r.ok, false);
      assert.equal((await h.service.get(draft.id))?.status, 'draft');
      assert.equal((await h.service.events(draft.id)).length, before);
      assert.equal(await h.service.get('not-a-uuid'), undefined);
      const bad = await h.service.act('not-a-uuid', 'approve', instructor);
      assert.deepEqual(bad.ok ? 'ok' : bad.code, 'not_found');
    });

    test('without SMTP_URL, mails are kept in the outbox, newest first', async () => {
      await h.mailer.send({ to: ['a@exemple.fr', 'b@exemple.fr'], subject: 'Premier', text: 'Bonjour' });
      await h.mailer.send({ to: ['b@exemple.fr'], subject: 'Second', text: 'Re-bonjour' });
      const all = await h.outbox({ limit: 2 });
      assert.deepEqual(all.map((m) => m.subject), ['Second', 'Premier']);
      assert.equal(all[0]?.transport, 'outbox');
      assert.deepEqual((await h.outbox({ recipient: 'a@exemple.fr' })).map((m) => m.subject), ['Premier']);
    });
  });
}
