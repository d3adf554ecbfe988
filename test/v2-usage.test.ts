/**
 * Issue 8 §3: v2 use is counted per token, from the access journal, on both engines. Calls go
 * through the real HTTP API (so the journal rows are the pipeline's own), then `v2Usage()` and the
 * `api-particulier journal v2-usage` command report them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCli } from '../src/cli/main.ts';
import { loadConfig } from '../src/config/config.ts';
import { migrateToLatest } from '../src/infra/db/migrate.ts';
import { openDatabase, type Database } from '../src/infra/db/open-database.ts';
import { JournalWriter } from '../src/journal/journal-writer.ts';
import { v2Usage } from '../src/v2/v2-usage.ts';
import { engines } from './helpers/engines.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const C2S = '/api/v2/complementaire-sante-solidaire?nomNaissance=LEROY&prenoms[]=CAMILLE&prenoms[]=ANNE&anneeDateDeNaissance=1988&moisDateDeNaissance=3&jourDateDeNaissance=14&sexe=F&codePaysLieuDeNaissance=99100&codeInseeLieuDeNaissance=69123';
const PAIEMENTS = '/api/v2/paiements-pole-emploi?identifiant=marc.fontaine';
const V3 = '/v3/france_travail/indemnites/identifiant?identifiant=marc.fontaine&recipient=13002526500013';

for (const engine of engines()) {
  describe(`v2 usage per token (${engine.name})`, () => {
    let database: Database;
    let t: TestApp;
    let clock = new Date('2026-11-20T09:00:00Z');

    before(async () => {
      database = await engine.open();
      t = await testApp({ database, overrides: { now: () => clock } });
    });
    after(async () => {
      await t.close();
      await database.close();
    });

    test('counts each token’s v2 calls (errors included, v3 calls excluded) and its last call', async () => {
      const mairie = await t.app.services.tokens.create({ allScopes: true, name: 'Mairie de Lyon' });
      const ccas = await t.app.services.tokens.create({ allScopes: true, name: 'CCAS de Lille' });
      const call = (url: string, headers: Record<string, string>) => t.app.server.inject({ url, headers });

      clock = new Date('2026-11-20T09:00:00Z');
      assert.equal((await call(C2S, { 'x-api-key': mairie.token })).statusCode, 200);
      clock = new Date('2026-11-21T10:00:00Z');
      assert.equal((await call(PAIEMENTS, { 'x-api-key': mairie.token })).statusCode, 200);
      assert.equal((await call('/api/v2/paiements-pole-emploi', { 'x-api-key': mairie.token })).statusCode, 400);
      assert.equal((await call(V3, { authorization: `Bearer ${mairie.token}` })).statusCode, 200);
      clock = new Date('2026-11-22T11:00:00Z');
      assert.equal((await call(PAIEMENTS, { 'x-api-key': ccas.token })).statusCode, 200);
      assert.equal((await call(PAIEMENTS, {})).statusCode, 401);
      clock = new Date('2026-12-02T08:00:00Z');
      assert.equal((await call(PAIEMENTS, { 'x-api-key': ccas.token })).statusCode, 200);

      await t.app.services.journal.drain(); // spooled rows are moved in batches (ADR 0171)
      const november = await v2Usage(database.db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
      assert.equal(november[0]?.tokenJti, mairie.record.jti, 'most calls first');
      const byToken = new Map(november.map((r) => [r.tokenJti, [r.tokenName, r.calls, r.lastCallAt.toISOString(), r.routes]]));
      assert.deepEqual(
        byToken,
        new Map<string | null, unknown>([
          [mairie.record.jti, ['Mairie de Lyon', 3, '2026-11-21T10:00:00.000Z', ['/api/v2/complementaire-sante-solidaire', '/api/v2/paiements-pole-emploi']]],
          [ccas.record.jti, ['CCAS de Lille', 1, '2026-11-22T11:00:00.000Z', ['/api/v2/paiements-pole-emploi']]],
          [null, [null, 1, '2026-11-22T11:00:00.000Z', ['/api/v2/paiements-pole-emploi']]],
        ]),
      );
      const december = await v2Usage(database.db, { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
      assert.deepEqual(december.map((r) => [r.tokenJti, r.calls]), [[ccas.record.jti, 1]]);
      assert.deepEqual(await v2Usage(database.db, { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') }), []);
    });
  });
}

describe('api-particulier journal v2-usage', () => {
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'apip-v2-usage-cli-'));
    const database = await openDatabase({ dataDir });
    try {
      await migrateToLatest(database.db);
      const journal = new JournalWriter(database.db, { maxQueue: 10 });
      const row = (route: string, at: string) => ({
        request_id: `r-${at}`,
        at: new Date(at),
        token_jti: '3f2b6a1e-7c1d-4c1a-9a55-0d6f4b0e9a11',
        recipient: '13002526500013',
        route,
        operation_id: 'op',
        modality: 'identifiant',
        status: 200,
        error_code: null,
        latency_ms: 1,
        provider_latency_ms: 1,
        person_pseudonym: null,
      });
      await journal.append(row('/api/v2/situations-pole-emploi', '2026-11-05T08:00:00Z'));
      await journal.append(row('/api/v2/situations-pole-emploi', '2026-11-06T08:00:00Z'));
      await journal.append(row('/v3/france_travail/statut/identifiant', '2026-11-07T08:00:00Z'));
      await journal.drain();
    } finally {
      await database.close();
    }
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('prints one line per token with its count and last call, and JSON on demand', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const lines: string[] = [];
    await buildCli(() => config, (l) => lines.push(l)).parseAsync(['node', 'api-particulier', 'journal', 'v2-usage', '--from', '2026-11-01', '--to', '2026-11-30']);
    assert.match(lines.join('\n'), /1 jeton\(s\)/);
    assert.match(lines.join('\n'), /3f2b6a1e-7c1d-4c1a-9a55-0d6f4b0e9a11 : 2 appel\(s\), dernier le 2026-11-06T08:00:00.000Z — \/api\/v2\/situations-pole-emploi/);
    const json: string[] = [];
    await buildCli(() => config, (l) => json.push(l)).parseAsync(['node', 'api-particulier', 'journal', 'v2-usage', '--from', '2026-12-01', '--to', '2026-12-31', '--json']);
    assert.deepEqual(JSON.parse(json.join('')), []);
  });
});
