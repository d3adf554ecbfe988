/**
 * The DPO export (issue 6 §1): CSV content (RFC 4180 header and quoting, no params, no data) and its
 * filters by period, token and recipient, on both engines; the CLI commands against PostgreSQL; and
 * the local admin routes the CLI uses when a service holds the embedded database.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCli } from '../src/cli/main.ts';
import { loadConfig } from '../src/config/config.ts';
import { migrateToLatest } from '../src/infra/db/migrate.ts';
import { openDatabase, type Database } from '../src/infra/db/open-database.ts';
import { parseExportFilter, JournalInputError } from '../src/journal/export-filter.ts';
import { csvField, EXPORT_COLUMNS, exportJournalCsv, type ExportFilter } from '../src/journal/journal-export.ts';
import { JournalWriter } from '../src/journal/journal-writer.ts';
import { engines } from './helpers/engines.ts';
import { testApp } from './helpers/test-app.ts';
import { journalRow, throwawayPostgres } from './journal-support.ts';

const A = randomUUID();
const B = randomUUID();
const OTHER_SIRET = '21750001600019';

async function seed(db: Database['db']): Promise<void> {
  const writer = new JournalWriter(db, { maxQueue: 10_000 });
  await Promise.all([
    writer.append(journalRow(1, { token_jti: A, at: new Date('2026-01-10T08:00:00Z') })),
    writer.append(journalRow(2, { token_jti: A, at: new Date('2026-01-31T23:59:59.999Z'), recipient: OTHER_SIRET, status: 404, error_code: '37002' })),
    writer.append(journalRow(3, { token_jti: B, at: new Date('2026-01-15T12:00:00Z') })),
    writer.append(journalRow(4, { token_jti: A, at: new Date('2026-02-01T00:00:00Z') })),
    writer.append(journalRow(5, { token_jti: A, at: new Date('2025-12-31T23:59:59.999Z') })),
  ]);
}

async function collect(db: Database['db'], filter: ExportFilter): Promise<string> {
  let csv = '';
  for await (const chunk of exportJournalCsv(db, filter, 2)) csv += chunk;
  return csv;
}

const requestIds = (csv: string): string[] =>
  csv
    .trim()
    .split('\r\n')
    .slice(1)
    .map((l) => l.split(',')[0] as string);

test('CSV fields are quoted as RFC 4180 says, and formulas are defused', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField('=cmd()'), "'=cmd()");
  assert.equal(csvField(-1.5), '-1.5');
  assert.equal(csvField(new Date('2026-01-01T00:00:00Z')), '2026-01-01T00:00:00.000Z');
});

test('export options are checked before anything runs', () => {
  const bad = [
    { to: '2026-01-31' },
    { from: '2026-01-01', to: 'tomorrow' },
    { from: '2026-02-01', to: '2026-01-01' },
    { from: '2026-01-01', to: '2026-01-31', token: 'abc' },
    { from: '2026-01-01', to: '2026-01-31', recipient: '123' },
  ];
  for (const input of bad) assert.throws(() => parseExportFilter(input), JournalInputError, JSON.stringify(input));
  const filter = parseExportFilter({ from: '2026-01-01', to: '2026-01-31', token: A.toUpperCase() });
  assert.deepEqual(filter, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z'), tokenJti: A });
});

for (const engine of engines()) {
  describe(`DPO export (${engine.name})`, () => {
    let database: Database;
    before(async () => {
      database = await engine.open();
      await seed(database.db);
    });
    after(async () => database?.close());

    test('a period gives its rows in time order, with the header, and nothing else', async () => {
      const csv = await collect(database.db, parseExportFilter({ from: '2026-01-01', to: '2026-01-31' }));
      const lines = csv.split('\r\n');
      assert.equal(lines[0], EXPORT_COLUMNS.join(','));
      assert.deepEqual(requestIds(csv), ['req-1', 'req-3', 'req-2']);
      const first = lines[1]?.split(',') ?? [];
      const record = Object.fromEntries(EXPORT_COLUMNS.map((c, k) => [c, first[k]]));
      assert.deepEqual(
        { request_id: record.request_id, at: record.at, token_jti: record.token_jti, habilitation_id: record.habilitation_id, recipient: record.recipient, status: record.status, person_pseudonym: record.person_pseudonym },
        { request_id: 'req-1', at: '2026-01-10T08:00:00.000Z', token_jti: A, habilitation_id: '', recipient: '13002526500013', status: '200', person_pseudonym: 'pseudo-1' },
      );
      assert.equal(first.length, EXPORT_COLUMNS.length);
      assert.ok(csv.endsWith('\r\n'));
    });

    test('filters by token, by recipient, and both', async () => {
      const period = { from: '2026-01-01', to: '2026-02-01' };
      assert.deepEqual(requestIds(await collect(database.db, parseExportFilter({ ...period, token: A }))), ['req-1', 'req-2', 'req-4']);
      assert.deepEqual(requestIds(await collect(database.db, parseExportFilter({ ...period, recipient: OTHER_SIRET }))), ['req-2']);
      assert.deepEqual(requestIds(await collect(database.db, parseExportFilter({ ...period, token: B, recipient: OTHER_SIRET }))), []);
      assert.deepEqual(requestIds(await collect(database.db, parseExportFilter({ from: '2025-12-31T23:59:59.999Z', to: '2026-01-10T08:00:00Z' }))), ['req-5']);
    });
  });
}

describe('journal commands against PostgreSQL', () => {
  let pgDb: Awaited<ReturnType<typeof throwawayPostgres>>;
  let dir: string;
  before(async () => {
    pgDb = await throwawayPostgres();
    dir = mkdtempSync(path.join(tmpdir(), 'apip-export-'));
    const database = await openDatabase({ databaseUrl: pgDb.url, dataDir: dir });
    await migrateToLatest(database.db);
    await seed(database.db);
    await database.close();
  });
  after(async () => {
    await pgDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]): Promise<{ lines: string[]; error?: Error }> => {
    const lines: string[] = [];
    const program = buildCli(() => loadConfig({ DATABASE_URL: pgDb.url, DATA_DIR: dir }), (line) => lines.push(line));
    program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    try {
      await program.parseAsync(['node', 'api-particulier', ...args]);
      return { lines };
    } catch (error) {
      return { lines, error: error as Error };
    }
  };

  test('journal export --out writes the CSV file; to stdout it prints the same rows', async () => {
    const file = path.join(dir, 'dpo.csv');
    const written = await cli('journal', 'export', '--from', '2026-01-01', '--to', '2026-01-31', '--token', A, '--out', file);
    assert.equal(written.error, undefined);
    assert.deepEqual(written.lines, [`2 ligne(s) exportée(s) dans ${file}.`]);
    assert.deepEqual(requestIds(readFileSync(file, 'utf8')), ['req-1', 'req-2']);
    const printed = await cli('journal', 'export', '--from', '2026-01-01', '--to', '2026-01-31', '--token', A);
    assert.equal(`${printed.lines.join('\n')}\n`, readFileSync(file, 'utf8'));
  });

  test('journal verify passes, then fails with exit on a tampered row', async () => {
    const ok = await cli('journal', 'verify');
    assert.equal(ok.error, undefined);
    assert.match(ok.lines.join('\n'), /Journal intègre : 5 ligne\(s\)/);
    const database = await openDatabase({ databaseUrl: pgDb.url, dataDir: dir });
    await database.db.updateTable('access_journal').set({ status: 500 }).where('request_id', '=', 'req-3').execute();
    await database.close();
    const bad = await cli('journal', 'verify');
    assert.match(bad.error?.message ?? '', /journal altéré : 1 problème/);
    assert.match(bad.lines.join('\n'), /\[hash-mismatch\].*requête req-3/);
  });

  test('bad options are refused before the database is opened', async () => {
    const bad = await cli('journal', 'export', '--from', '2026-01-01', '--to', '2026-01-31', '--recipient', 'x');
    assert.ok(bad.error instanceof JournalInputError);
  });
});

test('the local admin routes verify and export for the CLI, behind the admin secret', async () => {
  const t = await testApp();
  try {
    await seed(t.database.db);
    const auth = { authorization: `Bearer ${t.app.services.adminSecret}` };
    assert.equal((await t.app.server.inject({ method: 'POST', url: '/admin/v1/journal/verify' })).statusCode, 401);
    const verified = await t.app.server.inject({ method: 'POST', url: '/admin/v1/journal/verify', headers: auth });
    assert.deepEqual({ ok: verified.json().ok, rows: verified.json().rows }, { ok: true, rows: 5 });
    const exported = await t.app.server.inject({ url: '/admin/v1/journal/export?from=2026-01-01&to=2026-01-31&recipient=21750001600019', headers: auth });
    assert.equal(exported.statusCode, 200);
    assert.match(String(exported.headers['content-type']), /^text\/csv/);
    assert.deepEqual(requestIds(exported.body), ['req-2']);
    const refused = await t.app.server.inject({ url: '/admin/v1/journal/export?from=2026-01-01', headers: auth });
    assert.equal(refused.statusCode, 422);
  } finally {
    await t.close();
  }
});
