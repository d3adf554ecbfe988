/**
 * The purge of the sandbox explorer's tokens (docs/adr/0163-explorer-token-purge.md), with a frozen
 * clock, on both engines: the scheduler as the service builds it deletes explorer tokens expired for
 * more than 24 h — and only those; a purged token's bearer still gets 401 `00103`, the very answer it
 * got before the purge; the journal keeps its rows and still verifies. Migration 0009 marks the
 * explorer's rows written before it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import * as m0009 from '../migrations/0009-token-purpose.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Database } from '../src/infra/db/open-database.ts';
import { createServiceScheduler } from '../src/jobs/service-jobs.ts';
import { verifyJournal } from '../src/journal/verify-journal.ts';
import { providers } from '../src/providers/index.ts';
import { engines } from './helpers/engines.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const HOUR = 3600_000;
const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const C2S = '/v3/dss/complementaire_sante_solidaire/identite';
const C2S_QUERY =
  '?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';
const EXPLORER = { name: 'Explorateur du bac à sable', owner: 'sandbox-explorer' };

const unescape = (html: string): string =>
  html.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

for (const engine of engines()) {
  describe(`explorer token purge (${engine.name})`, () => {
    let database: Database;
    let t: TestApp;
    let clock = T0;

    before(async () => {
      database = await engine.open();
      t = await testApp({ database, env: { DEMO_TOKEN: 'true' }, overrides: { now: () => new Date(clock) } });
    });
    after(async () => {
      await t?.close();
      await database?.close();
    });

    const call = (bearer: string) => t.app.server.inject({ url: C2S + C2S_QUERY, headers: { authorization: `Bearer ${bearer}` } });
    const jtis = async () => new Set((await t.app.services.tokens.list()).map((v) => v.jti));
    const journalRowsOf = async (jti: string) => {
      await t.app.services.journal.drain();
      return Number((await database.db.selectFrom('access_journal').select((eb) => eb.fn.countAll<string>().as('n')).where('token_jti', '=', jti).executeTakeFirstOrThrow()).n);
    };

    test('deletes explorer tokens 24 h after expiry, only them; the bearer still gets 00103; the journal verifies', async () => {
      // T0: the explorer page runs a call, which issues its own token (purpose explorer).
      const operationId = providers.flatMap((p) => p.endpoints).find((e) => e.path === C2S)?.operationId as string;
      const form = await t.app.server.inject({ url: `/developpeurs/explorateur?route=${operationId}` });
      assert.equal(form.statusCode, 200);
      const q = new URLSearchParams({ route: operationId, executer: '1', scopes: 'complementaire_sante_solidaire' });
      for (const m of form.body.matchAll(/name="(p:[^"]+)" value="([^"]*)"/g)) q.append(m[1] as string, unescape(m[2] as string));
      const run = await t.app.server.inject({ url: `/developpeurs/explorateur?${q}` });
      assert.equal(run.statusCode, 200);
      assert.match(run.body, /data-explorer="status"[^>]*>[^<]*HTTP 200/);
      const { rows: fromPage } = await sql<{ jti: string; purpose: string }>`select jti, purpose from tokens where owner = 'sandbox-explorer'`.execute(database.db);
      assert.deepEqual(fromPage.map((r) => r.purpose), ['explorer'], 'the explorer marks the token it issues');
      const pageJti = (fromPage[0] as { jti: string }).jti;

      // T0: an explorer token whose bearer we hold, used once; one revoked at once; a hand-made look-alike
      // (same owner, name and lifetime, purpose api); a long-lived token. The demo token exists too.
      const tokens = t.app.services.tokens;
      const scopes = ['complementaire_sante_solidaire'];
      const held = await tokens.create({ scopes, expiresIn: '3600s', ...EXPLORER }, { purpose: 'explorer' });
      assert.equal((await call(held.token)).statusCode, 200);
      const revoked = await tokens.create({ scopes, expiresIn: '3600s', ...EXPLORER }, { purpose: 'explorer' });
      await tokens.revoke(revoked.record.jti);
      const lookalike = await tokens.create({ scopes, expiresIn: '3600s', ...EXPLORER });
      const longLived = await tokens.create({ scopes, name: 'CCAS de Rennes' });
      // T0 + 2 h: a later explorer token, expiring at T0 + 3 h.
      clock = T0 + 2 * HOUR;
      const later = await tokens.create({ scopes, expiresIn: '3600s', ...EXPLORER }, { purpose: 'explorer' });
      const everyToken = await jtis();
      assert.equal(everyToken.size, 7, 'demo, page, held, revoked, look-alike, long-lived, later');
      assert.equal(await journalRowsOf(held.record.jti), 1);
      assert.equal(await journalRowsOf(pageJti), 1);

      const runs: Array<{ job: string; result: unknown }> = [];
      const scheduler = createServiceScheduler(database, loadConfig({}), {
        now: () => new Date(clock),
        onRun: (event) => runs.push({ job: event.job, result: event.ok ? event.result : String(event.error) }),
      });
      const purgeRuns = () => runs.filter((r) => r.job === 'explorer-token-purge').map((r) => r.result);
      try {
        // T0 + 25 h: the first two expired exactly 24 h ago, not more: nothing goes. Their bearer gets 00103.
        clock = T0 + 25 * HOUR;
        const beforePurge = await call(held.token);
        const revokedBeforePurge = await call(revoked.token);
        await scheduler.tick();
        assert.deepEqual(purgeRuns(), [{ purged: 0 }]);
        assert.deepEqual(await jtis(), everyToken);

        // 59 minutes later the job is not due; at one hour it is: the page's, the held and the revoked token go.
        clock += 59 * 60_000;
        await scheduler.tick();
        assert.deepEqual(purgeRuns(), [{ purged: 0 }]);
        clock += 60_000;
        await scheduler.tick();
        assert.deepEqual(purgeRuns(), [{ purged: 0 }, { purged: 3 }]);
        const left = await jtis();
        assert.deepEqual([...everyToken].filter((jti) => !left.has(jti)).sort(), [pageJti, held.record.jti, revoked.record.jti].sort());
        for (const kept of [lookalike, longLived, later]) assert.ok(left.has(kept.record.jti));

        // The purged token's bearer: 401 00103, byte for byte what it got while its row existed.
        const afterPurge = await call(held.token);
        assert.equal(afterPurge.statusCode, 401);
        assert.deepEqual(afterPurge.json(), {
          errors: [{ code: '00103', title: 'Jeton expiré', detail: 'Votre token est expiré. Vous devez refaire une demande', source: { parameter: 'token' }, meta: {} }],
        });
        assert.equal(beforePurge.statusCode, 401);
        assert.deepEqual(afterPurge.json(), beforePurge.json());
        // An expired JWT is answered 00103 before its row is read, revoked or not: the same before and after.
        const revokedAfterPurge = await call(revoked.token);
        assert.equal(revokedAfterPurge.statusCode, 401);
        assert.deepEqual(revokedAfterPurge.json(), afterPurge.json());
        assert.deepEqual(revokedBeforePurge.json(), afterPurge.json());

        // The journal keeps the purged tokens' rows and its chain.
        assert.equal(await journalRowsOf(held.record.jti), 1);
        assert.equal(await journalRowsOf(pageJti), 1);
        const total = Number((await database.db.selectFrom('access_journal').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
        const report = await verifyJournal(database.db);
        assert.deepEqual({ ok: report.ok, rows: report.rows }, { ok: true, rows: total });

        // Two hours on, the later one (expired at T0 + 3 h) passes its 24 h too.
        clock = T0 + 28 * HOUR;
        await scheduler.tick();
        assert.deepEqual(purgeRuns(), [{ purged: 0 }, { purged: 3 }, { purged: 1 }]);
        const final = await jtis();
        assert.equal(final.has(later.record.jti), false);
        assert.equal(final.size, 3, 'demo, look-alike, long-lived');
        assert.equal((await call(longLived.token)).statusCode, 200);
      } finally {
        await scheduler.stop();
      }
    });
  });

  describe(`migration 0009 on existing rows (${engine.name})`, () => {
    let database: Database;
    before(async () => {
      database = await engine.open();
    });
    after(async () => database?.close());

    test('marks the rows the explorer wrote before it, and nothing else', async () => {
      // Migrations are written against an untyped database.
      const untyped = database.db as unknown as Kysely<unknown>;
      await m0009.down(untyped);
      const insert = (jti: string, owner: string, name: string, lifetime: string) => sql`
        insert into tokens (jti, uid, name, owner, scopes, modalities, kid, created_at, expires_at)
        values (${jti}::uuid, gen_random_uuid(), ${name}, ${owner}, '{cnous_statut_boursier}', '{identite}', 'k1',
                '2026-01-01T00:00:00Z'::timestamptz, '2026-01-01T00:00:00Z'::timestamptz + ${lifetime}::interval)`.execute(database.db);
      await insert('00000000-0000-4000-8000-000000000001', 'sandbox-explorer', 'Explorateur du bac à sable', '1 hour');
      await insert('00000000-0000-4000-8000-000000000002', 'sandbox-explorer', 'Explorateur du bac à sable', '90 days');
      await insert('00000000-0000-4000-8000-000000000003', 'sandbox-explorer', 'Mon jeton', '1 hour');
      await insert('00000000-0000-4000-8000-000000000004', '13002526500013', 'Explorateur du bac à sable', '1 hour');
      await insert('00000000-0000-4000-8000-000000000005', 'admin', 'Jeton créé en ligne de commande', '548 days');
      await m0009.up(untyped);
      const { rows } = await sql<{ jti: string; purpose: string }>`select jti::text, purpose from tokens order by jti`.execute(database.db);
      assert.deepEqual(
        rows.map((r) => [r.jti.slice(-1), r.purpose]),
        [['1', 'explorer'], ['2', 'api'], ['3', 'api'], ['4', 'api'], ['5', 'api']],
      );
      // The column refuses any other purpose.
      await assert.rejects(sql`update tokens set purpose = 'demo'`.execute(database.db), (error: { code?: string }) => error.code === '23514');
    });
  });
}
