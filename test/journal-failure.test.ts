/**
 * "No trace, no data" (issue 6 §1): when the journal cannot be written — the database refuses the
 * INSERT, or the writer's queue is full — a data call gets 503 `00503` and no data; nothing of the
 * provider's answer leaves. The database is real: a trigger makes it refuse journal rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testApp, type TestApp } from './helpers/test-app.ts';

const C2S =
  '/v3/dss/complementaire_sante_solidaire/identite?recipient=13002526500013&nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE' +
  '&anneeDateNaissance=1988&moisDateNaissance=3&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';

let t: TestApp;
let token: string;
before(async () => {
  t = await testApp({ env: { JOURNAL_MAX_QUEUE: '1' } });
  token = await t.token();
});
after(async () => t?.close());

const call = (requestId: string, query = C2S) =>
  t.app.server.inject({ url: query, headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } });

test('the same call answers 200 with data while the journal is writable', async () => {
  const res = await call('ok-1');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /est_beneficiaire/);
});

test('a journal the database refuses turns a data answer into 503 00503 with no data, and no row', async () => {
  await sql`create function refuse_journal() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(t.database.db);
  await sql`create trigger refuse_journal before insert on access_journal for each row execute function refuse_journal()`.execute(t.database.db);
  try {
    const res = await call('refused-1', C2S.replace('LEROY', 'LEROYB'));
    assert.equal(res.statusCode, 503);
    const body = res.json() as { errors: Array<{ code: string }>; data?: unknown };
    assert.equal(body.errors[0]?.code, '00503');
    assert.equal(body.data, undefined);
    assert.ok(!res.body.includes('est_beneficiaire') && !res.body.includes('date_debut_droit'), res.body);
    // An error answer carries no personal data: it is sent as is (docs/adr/0006-journal-before-reply.md).
    const unauthenticated = await t.app.server.inject({ url: C2S, headers: { 'x-request-id': 'refused-2' } });
    assert.equal(unauthenticated.statusCode, 401);
  } finally {
    await sql`drop trigger refuse_journal on access_journal`.execute(t.database.db);
    await sql`drop function refuse_journal()`.execute(t.database.db);
  }
  const rows = await t.database.db.selectFrom('access_journal').select('request_id').where('request_id', 'like', 'refused-%').execute();
  assert.deepEqual(rows, []);
  assert.equal((await call('ok-2', C2S.replace('LEROY', 'LEROYC'))).statusCode, 200, 'the journal works again');
});

test('a full journal queue answers 503 rather than queue without bound; every 200 has its row', async () => {
  // JOURNAL_MAX_QUEUE=1: concurrent calls overflow the queue while a flush runs.
  const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => call(`burst-${i}`, C2S.replace('LEROY', `LEROY${i}Z`))));
  const statuses = responses.map((r) => r.statusCode);
  assert.ok(statuses.includes(503), statuses.join(','));
  for (const res of responses.filter((r) => r.statusCode === 503)) assert.ok(!res.body.includes('est_beneficiaire'));
  const rows = await t.database.db.selectFrom('access_journal').select('request_id').where('request_id', 'like', 'burst-%').execute();
  const journaled = new Set(rows.map((r) => r.request_id));
  responses.forEach((res, i) => assert.equal(journaled.has(`burst-${i}`), res.statusCode === 200, `burst-${i}: ${res.statusCode}`));
});
