/**
 * Builds the real application for HTTP tests: a fresh migrated database (PGlite in memory by
 * default, or any engine of `engines()`), a temporary data directory, logs off.
 *
 * @example
 * const t = await testApp();
 * const token = await t.token({ scopes: ['complementaire_sante_solidaire'] });
 * const res = await t.app.server.inject({ url: '/v3/…', headers: { authorization: `Bearer ${token}` } });
 * await t.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type App, type AppOverrides } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Database } from '../../src/infra/db/open-database.ts';
import type { CreateTokenInput } from '../../src/tokens/token-admin.ts';
import { engines } from './engines.ts';

const UNLIMITED = { RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_IP_PER_SECOND: '0' };
/**
 * Scheduled jobs are off unless a test turns them on: their first tick (30 s after start) would
 * otherwise land in the middle of long tests — a status probe consuming a fault queued on a simulator,
 * say. The jobs themselves are tested by calling them (test/journal-retention.test.ts, test/status.test.ts…).
 */
const DEFAULTS = { ...UNLIMITED, JOBS_ENABLED: 'false' };

export interface TestApp {
  app: App;
  database: Database;
  dataDir: string;
  token(input?: CreateTokenInput): Promise<string>;
  close(): Promise<void>;
}

export async function testApp(options: { env?: Record<string, string>; overrides?: AppOverrides; database?: Database } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'apip-test-'));
  const pglite = engines().find((e) => e.name === 'pglite');
  const database = options.database ?? (await (pglite as NonNullable<typeof pglite>).open());
  // Rate limits are lifted unless a test sets them: most tests fire far more than 20 calls a second
  // with one token; test/rate-limits.test.ts exercises the limits themselves.
  const config = loadConfig({ DATA_DIR: dataDir, DEMO_TOKEN: 'false', LOG_LEVEL: 'silent', ...DEFAULTS, ...options.env });
  const app = await buildApp(config, { logger: false, database, ...options.overrides });
  return {
    app,
    database,
    dataDir,
    token: async (input = { allScopes: true }) => (await app.services.tokens.create(input)).token,
    close: async () => {
      await app.close();
      if (options.database === undefined) await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
