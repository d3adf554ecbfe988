/**
 * Portal sessions and users in the database (migration 0003), on PGlite and PostgreSQL: a session
 * lives until it expires or is destroyed, carries its user with their roles, and roles granted by
 * configuration add to those already held.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../src/infra/db/open-database.ts';
import type { PortalTables } from '../src/portal/portal-tables.ts';
import { SessionStore } from '../src/portal/session/session-store.ts';
import { PortalUsers } from '../src/portal/users/portal-users.ts';
import { engines } from './helpers/engines.ts';

const claims = { sub: 'agent-1', email: 'agent@commune.example.fr', given_name: 'Camille', usual_name: 'Durand', siret: '21990999900019', idp_id: 'idp' };

for (const engine of engines()) {
  describe(`portal sessions on ${engine.name}`, () => {
    let database: Database;
    let db: Kysely<PortalTables>;
    let clock = new Date('2026-01-10T10:00:00Z');
    const now = (): Date => clock;
    before(async () => {
      database = await engine.open();
      db = database.db as unknown as Kysely<PortalTables>;
    });
    after(async () => database.close());
    beforeEach(async () => {
      clock = new Date('2026-01-10T10:00:00Z');
      await db.deleteFrom('portal_sessions').execute();
      await db.deleteFrom('portal_users').execute();
    });

    test('an anonymous session keeps its sign-in checks, then expires', async () => {
      const store = new SessionStore({ db, now, ttlHours: 1 });
      const oidc = { state: 's', nonce: 'n', verifier: 'v', returnTo: '/catalogue' };
      const id = await store.create({ oidc });
      assert.match(id, /^[A-Za-z0-9_-]{43}$/);
      const loaded = await store.load(id);
      assert.deepEqual(loaded?.data.oidc, oidc);
      assert.equal(loaded?.user, undefined);
      clock = new Date(clock.getTime() + 3_600_001);
      assert.equal(await store.load(id), undefined);
      // The next creation purges the expired row.
      await store.create({});
      assert.equal((await db.selectFrom('portal_sessions').select('id').where('id', '=', id).execute()).length, 0);
    });

    test('a signed-in session carries its user and roles; destroy ends it', async () => {
      const users = new PortalUsers(db, now);
      const store = new SessionStore({ db, now, ttlHours: 8 });
      const user = await users.signedIn(claims, ['applicant', 'instructor']);
      assert.deepEqual(user.roles, ['applicant', 'instructor']);
      const id = await store.create({ idToken: 'x.y.z' }, user.sub);
      const loaded = await store.load(id);
      assert.equal(loaded?.user?.email, claims.email);
      assert.equal(loaded?.user?.siret, claims.siret);
      assert.deepEqual(loaded?.user?.roles, ['applicant', 'instructor']);
      assert.equal(loaded?.data.idToken, 'x.y.z');
      await store.destroy(id);
      assert.equal(await store.load(id), undefined);
    });

    test('a later sign-in refreshes the claims and keeps roles already held', async () => {
      const users = new PortalUsers(db, now);
      await users.signedIn(claims, ['applicant', 'admin']);
      const again = await users.signedIn({ ...claims, usual_name: 'Durand-Martin', email: 'new@commune.example.fr' }, ['applicant']);
      assert.equal(again.usualName, 'Durand-Martin');
      assert.equal(again.email, 'new@commune.example.fr');
      assert.deepEqual(again.roles, ['applicant', 'admin']);
      assert.deepEqual((await users.find(claims.sub))?.roles, ['applicant', 'admin']);
      assert.equal(await users.find('nobody'), undefined);
    });

    test('an unknown session id loads nothing', async () => {
      const store = new SessionStore({ db, now, ttlHours: 8 });
      assert.equal(await store.load('not-a-session'), undefined);
    });
  });
}
