/** The same repository tests on PGlite and PostgreSQL (issue 2: storage on both engines). */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../infra/db/open-database.ts';
import { engines } from '../../test/helpers/engines.ts';
import { TokenRepository } from './token-repository.ts';
import type { TokenRecord } from './token-record.ts';

const t0 = new Date('2026-11-23T10:00:00.000Z');

function record(overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    jti: randomUUID(),
    uid: randomUUID(),
    name: 'Mairie de Rennes – restauration scolaire',
    owner: '21350238800019',
    scopes: ['complementaire_sante_solidaire', 'cnaf_quotient_familial'],
    modalities: ['identite', 'france_connect'],
    fcClientIds: [],
    kid: 'k1',
    createdAt: t0,
    expiresAt: new Date(t0.getTime() + 86_400_000),
    revokedAt: null,
    rateLimitPerSecond: null,
    habilitationId: null,
    ...overrides,
  };
}

for (const engine of engines()) {
  describe(`TokenRepository on ${engine.name}`, () => {
    let database: Database;
    let repository: TokenRepository;
    before(async () => {
      database = await engine.open();
      repository = new TokenRepository(database.db);
    });
    after(async () => database.close());
    beforeEach(async () => {
      await database.db.deleteFrom('tokens').execute();
    });

    test('inserts and reads back identical values (arrays, instants, null)', async () => {
      const r = record({ fcClientIds: ['fc-client-1'] });
      await repository.insert(r);
      assert.deepEqual(await repository.findByJti(r.jti), r);
    });

    test("a token's own rate limit round-trips, and the database refuses one out of bounds", async () => {
      const r = record({ rateLimitPerSecond: 5 });
      await repository.insert(r);
      assert.deepEqual(await repository.findByJti(r.jti), r);
      await assert.rejects(repository.insert(record({ rateLimitPerSecond: 0 })), (error: { code?: string }) => error.code === '23514');
    });

    test('an unknown or malformed jti is simply not found', async () => {
      assert.equal(await repository.findByJti(randomUUID()), undefined);
      assert.equal(await repository.findByJti("'; drop table tokens; --"), undefined);
      assert.equal(await repository.revoke('not-a-uuid', t0), undefined);
    });

    test('findByJtis reads several records at once, each as findByJti reads it, by the ids as given', async () => {
      const a = record({ fcClientIds: ['fc-client-1'], rateLimitPerSecond: 5 });
      const b = record({ revokedAt: t0 });
      await repository.insert(a);
      await repository.insert(b);
      const unknown = randomUUID();
      const upper = b.jti.toUpperCase();
      const found = await repository.findByJtis([a.jti, unknown, "'; drop table tokens; --", upper, a.jti]);
      assert.deepEqual([...found.keys()].sort(), [a.jti, upper].sort());
      assert.deepEqual(found.get(a.jti), await repository.findByJti(a.jti));
      assert.deepEqual(found.get(upper), await repository.findByJti(b.jti));
      assert.deepEqual(await repository.findByJtis([]), new Map());
      assert.deepEqual(await repository.findByJtis(['not-a-uuid']), new Map());
    });

    test('a duplicate jti is refused by the database', async () => {
      const r = record();
      await repository.insert(r);
      await assert.rejects(repository.insert(r), (error: { code?: string }) => error.code === '23505');
    });

    test('revocation keeps the earliest instant', async () => {
      const r = record();
      await repository.insert(r);
      const later = new Date(t0.getTime() + 3600_000);
      assert.deepEqual((await repository.revoke(r.jti, later))?.revokedAt, later);
      assert.deepEqual((await repository.revoke(r.jti, t0))?.revokedAt, t0);
      assert.deepEqual((await repository.revoke(r.jti, later))?.revokedAt, t0);
    });

    test('finds the active records registered for a FranceConnect client id, newest first', async () => {
      const older = record({ fcClientIds: ['fc-a', 'fc-b'], createdAt: t0 });
      const newer = record({ fcClientIds: ['fc-b'], createdAt: new Date(t0.getTime() + 1000) });
      const revoked = record({ fcClientIds: ['fc-b'], revokedAt: t0 });
      const expired = record({ fcClientIds: ['fc-b'], expiresAt: t0 });
      const other = record({ fcClientIds: ['fc-c'] });
      for (const r of [older, newer, revoked, expired, other]) await repository.insert(r);
      const now = new Date(t0.getTime() + 5000);
      assert.deepEqual(
        (await repository.findByFranceConnectClientId('fc-b', now)).map((r) => r.jti),
        [newer.jti, older.jti],
      );
      assert.deepEqual(await repository.findByFranceConnectClientId('unknown', now), []);
    });

    test('lists every record in creation order', async () => {
      const a = record({ createdAt: t0 });
      const b = record({ createdAt: new Date(t0.getTime() + 1) });
      await repository.insert(b);
      await repository.insert(a);
      assert.deepEqual((await repository.list()).map((r) => r.jti), [a.jti, b.jti]);
    });
  });
}
