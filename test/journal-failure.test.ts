/**
 * "No trace, no data" (issue 6 §1): when the journal cannot be written, a data call gets 503 `00503`
 * and no data; nothing of the provider's answer leaves.
 *
 * On PostgreSQL the row is committed in the table before the answer: a trigger makes the database
 * refuse journal rows. On the embedded database the row is written to the spool before the answer
 * and moved into the table in batches (ADR 0171): the spool failing is what refuses a call — the
 * spool's files are `/dev/full`, where every write fails with the system's own ENOSPC — while a
 * database refusing rows only delays their move, up to `JOURNAL_MAX_QUEUE` rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { engines } from './helpers/engines.ts';
import type { Database } from '../src/infra/db/open-database.ts';
import { SpooledJournalWriter } from '../src/journal/spooled-journal-writer.ts';
import { spoolDirOf } from '../src/journal/journal-spool.ts';
import { verifyJournal } from '../src/journal/verify-journal.ts';
import { refuseJournalRows } from './journal-support.ts';

const C2S =
  '/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE' +
  '&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';

const call = (t: TestApp, token: string, requestId: string, query = C2S) =>
  t.app.server.inject({ url: query, headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } });

function assertRefused(res: Awaited<ReturnType<typeof call>>): void {
  assert.equal(res.statusCode, 503);
  const body = res.json() as { errors: Array<{ code: string }>; data?: unknown };
  assert.equal(body.errors[0]?.code, '00503');
  assert.equal(body.data, undefined);
  assert.ok(!res.body.includes('est_beneficiaire') && !res.body.includes('date_debut_droit'), res.body);
}

async function rowsLike(t: TestApp, pattern: string): Promise<Set<string>> {
  await t.app.services.journal.drain();
  const rows = await t.database.db.selectFrom('access_journal').select('request_id').where('request_id', 'like', pattern).execute();
  return new Set(rows.map((r) => r.request_id));
}


for (const engine of engines()) {
  describe(`journal failure on ${engine.name}`, () => {
    let database: Database;
    let t: TestApp;
    let token: string;
    before(async () => {
      database = await engine.open();
      t = await testApp({ database, env: { JOURNAL_MAX_QUEUE: '1' } });
      token = await t.token();
    });
    after(async () => {
      await t?.close();
      await database?.close();
    });

    test('the same call answers 200 with data while the journal is writable', async () => {
      const res = await call(t, token, 'ok-1');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /est_beneficiaire/);
      assert.ok((await rowsLike(t, 'ok-1')).has('ok-1'));
    });

    if (engine.name === 'postgres') {
      test('a journal the database refuses turns a data answer into 503 00503 with no data, and no row', async () => {
        const accept = await refuseJournalRows(t.database.db);
        try {
          assertRefused(await call(t, token, 'refused-1', C2S.replace('LEROY', 'LEROYB')));
          // An error answer carries no personal data: it is sent as is (docs/adr/0006-journal-before-reply.md).
          const unauthenticated = await t.app.server.inject({ url: C2S, headers: { 'x-request-id': 'refused-2' } });
          assert.equal(unauthenticated.statusCode, 401);
        } finally {
          await accept();
        }
        assert.deepEqual(await rowsLike(t, 'refused-%'), new Set());
        assert.equal((await call(t, token, 'ok-2', C2S.replace('LEROY', 'LEROYC'))).statusCode, 200, 'the journal works again');
      });
    } else {
      test('a spool that cannot be written (ENOSPC) turns a data answer into 503 00503 with no data, and no row', async () => {
        // Every generation's file is a link to /dev/full (the writer only ever deletes the link).
        const dir = spoolDirOf(t.dataDir);
        mkdirSync(dir, { recursive: true });
        const fileFor = (generation: number) => {
          const link = path.join(dir, `full-${generation}`);
          if (!existsSync(link)) symlinkSync('/dev/full', link);
          return link;
        };
        const full = await testApp({ database, overrides: { journal: new SpooledJournalWriter(database.db, { dir, maxQueue: 100, fileFor }) } });
        try {
          const res = await call(full, await full.token(), 'nospace-1', C2S.replace('LEROY', 'LEROYB'));
          assertRefused(res);
          assert.deepEqual(await rowsLike(full, 'nospace-%'), new Set());
        } finally {
          await full.close();
        }
      });

      test('a database refusing rows delays their move, not the calls: each row lands once it accepts again, and the chain verifies', async () => {
        const tolerant = await testApp({ database, env: { JOURNAL_MAX_QUEUE: '100' } });
        try {
          const bearer = await tolerant.token();
          const accept = await refuseJournalRows(database.db);
          let statuses: number[];
          try {
            const responses = [];
            for (let i = 0; i < 5; i += 1) responses.push(await call(tolerant, bearer, `delayed-${i}`, C2S.replace('LEROY', `LEROY${i}D`)));
            statuses = responses.map((r) => r.statusCode);
            assert.deepEqual(await rowsLike(tolerant, 'delayed-%'), new Set(), 'nothing in the table while the database refuses');
          } finally {
            await accept();
          }
          assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
          assert.deepEqual(await rowsLike(tolerant, 'delayed-%'), new Set([0, 1, 2, 3, 4].map((i) => `delayed-${i}`)));
          const report = await verifyJournal(database.db);
          assert.deepEqual(report.problems, []);
        } finally {
          await tolerant.close();
        }
      });

      test('past JOURNAL_MAX_QUEUE rows waiting for a refusing database, calls get 503; every 200 has its row', async () => {
        const accept = await refuseJournalRows(database.db);
        let responses;
        try {
          responses = [];
          for (let i = 0; i < 4; i += 1) responses.push(await call(t, token, `backlog-${i}`, C2S.replace('LEROY', `LEROY${i}B`)));
        } finally {
          await accept();
        }
        assert.deepEqual(
          responses.map((r) => r.statusCode),
          [200, 503, 503, 503],
        );
        for (const res of responses.slice(1)) assertRefused(res);
        assert.deepEqual(await rowsLike(t, 'backlog-%'), new Set(['backlog-0']));
      });
    }

    test('a full journal queue answers 503 rather than queue without bound; every 200 has its row', async () => {
      // JOURNAL_MAX_QUEUE=1: concurrent calls overflow the queue while a flush runs.
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => call(t, token, `burst-${i}`, C2S.replace('LEROY', `LEROY${i}Z`))));
      const statuses = responses.map((r) => r.statusCode);
      assert.ok(statuses.includes(503), statuses.join(','));
      for (const res of responses.filter((r) => r.statusCode === 503)) assertRefused(res);
      const journaled = await rowsLike(t, 'burst-%');
      responses.forEach((res, i) => assert.equal(journaled.has(`burst-${i}`), res.statusCode === 200, `burst-${i}: ${res.statusCode}`));
    });
  });
}
