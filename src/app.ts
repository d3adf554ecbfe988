/**
 * Composition root (STYLE §5): builds every module from the config, wires them, and returns the
 * HTTP server with the services the CLI and tests need. No module reaches for a singleton.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Config } from './config/config.ts';
import type { EndpointDefinition, ProviderManifest } from './core/endpoint.ts';
import type { ProviderDriver } from './core/driver.ts';
import { MaskCache } from './core/mask.ts';
import { createSandboxFranceConnectChecker, type FranceConnectChecker } from './franceconnect/checker.ts';
import { registerAdminRoutes } from './gateway/admin-routes.ts';
import { registerDataRoute } from './gateway/data-route.ts';
import { frameworkErrorHandler, installErrorHandlers } from './gateway/errors-plugin.ts';
import { InFlightLock } from './gateway/in-flight-lock.ts';
import { loggerOptions } from './gateway/logger-options.ts';
import { registerOpenApi } from './gateway/openapi.ts';
import { ResponseCache } from './gateway/response-cache.ts';
import { parseQuery } from './gateway/query-string.ts';
import { requestIdFrom } from './gateway/request-id.ts';
import { registerServiceRoutes } from './gateway/service-routes.ts';
import { migrateToLatest } from './infra/db/migrate.ts';
import { openDatabase, type Database } from './infra/db/open-database.ts';
import { loadLocalSecrets } from './infra/local-secrets.ts';
import { JournalWriter } from './journal/journal-writer.ts';
import { createPseudonymiser } from './journal/pseudonym.ts';
import { allScopes, providers as defaultProviders } from './providers/index.ts';
import { ensureDemoToken } from './sandbox/demo-token.ts';
import { registerSandboxReloadRoute } from './sandbox/admin-reload-route.ts';
import type { LoadReport } from './sandbox/load-cases.ts';
import { createSandboxDriver, OWN_CASES_DIR } from './sandbox/sandbox-driver.ts';
import { logCaseProblems, logReload, SandboxStore } from './sandbox/sandbox-store.ts';
import { createKeyring, type Keyring } from './tokens/keyring.ts';
import { FranceConnectClients } from './tokens/franceconnect-clients.ts';
import { TokenAdmin } from './tokens/token-admin.ts';
import type { TokenRecord } from './tokens/token-record.ts';
import { TokenRepository } from './tokens/token-repository.ts';
import { TokenVerifier } from './tokens/token-verifier.ts';

export interface AppOverrides {
  /** Frozen or shifted clocks for tests. */
  now?: () => Date;
  /** An already opened (and migrated) database, e.g. PostgreSQL in tests; the app will not close it. */
  database?: Database;
  providers?: readonly ProviderManifest[];
  franceConnect?: FranceConnectChecker;
  /** Replace the driver of some endpoints (tests of provider failures). */
  driverFor?: (endpoint: EndpointDefinition) => ProviderDriver | undefined;
  logger?: boolean;
  /** Reload sandbox cases when their files change (docs/adr/0060-sandbox-reload.md); off unless asked. */
  watchSandboxCases?: boolean;
  /** Where logs go (tests read them to prove no secret or personal data is written). */
  logStream?: { write(line: string): void };
}

export interface AppServices {
  database: Database;
  tokens: TokenAdmin;
  verifier: TokenVerifier;
  keyring: Keyring;
  journal: JournalWriter;
  /** The sandbox cases in force now (a reload replaces them). */
  sandbox: LoadReport;
  sandboxStore: SandboxStore;
  lock: InFlightLock;
  /** The sandbox demo token (JWT) when `config.demoToken` is on. */
  demoToken: string | undefined;
  adminSecret: string;
}

export interface App {
  server: FastifyInstance;
  services: AppServices;
  close(): Promise<void>;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const now = overrides.now ?? (() => new Date());
  const registry = overrides.providers ?? defaultProviders;
  const endpoints = registry.flatMap((p) => p.endpoints);

  // The local admin secret always lives here; keys configured in the environment take precedence.
  const localSecrets = loadLocalSecrets(config.dataDir);
  const keyring = createKeyring(config.tokens.signingKeys ?? localSecrets.signingKeys);
  const pseudonymise = createPseudonymiser(config.journal.pseudonymKey ?? localSecrets.pseudonymKey);
  const adminSecret = localSecrets.adminSecret;

  const ownsDatabase = overrides.database === undefined;
  const database = overrides.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    if (ownsDatabase) await migrateToLatest(database.db);

    const repository = new TokenRepository(database.db);
    const verifier = new TokenVerifier({ repository, keyring, now, cacheTtlMs: config.tokens.cacheTtlMs, cacheMax: config.tokens.cacheMax });
    const tokens = new TokenAdmin({ repository, keyring, now, knownScopes: allScopes(registry) });
    const journal = new JournalWriter(database.db, { maxQueue: config.journal.maxQueue });
    const lock = new InFlightLock();
    const responseCache = new ResponseCache({ max: config.responseCacheMax, now });

    const caseDirs = [...registry.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : [])), OWN_CASES_DIR, ...config.sandboxDataDirs];
    const sandboxStore = await SandboxStore.open(caseDirs, {
      onReload: (summary) => {
        logReload(server.log, summary);
        // Answers cached before a reload may come from replaced cases.
        responseCache.clear();
      },
    });
    const sandboxDriver = createSandboxDriver(sandboxStore);

    const demo = config.demoToken ? await ensureDemoToken({ dataDir: config.dataDir, tokens, verifier, knownScopes: allScopes(registry) }) : undefined;
    const demoRecord: TokenRecord | undefined = demo === undefined ? undefined : await verifier.verify(demo).catch(() => undefined);

    const server = Fastify({
      logger:
        overrides.logger === false
          ? false
          : { ...loggerOptions(config.logLevel), ...(overrides.logStream ? { stream: overrides.logStream } : {}) },
      genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
      routerOptions: { querystringParser: parseQuery },
      frameworkErrors: frameworkErrorHandler,
      bodyLimit: 64 * 1024,
    });
    server.addHook('onSend', async (request, reply) => {
      void reply.header('x-request-id', String(request.id));
    });
    installErrorHandlers(server);
    // Serialisation is plain JSON: masking already decides what leaves, and a response schema with
    // `required` fields would make fast-json-stringify throw on a legitimately masked key.
    server.setSerializerCompiler(() => (data) => JSON.stringify(data));

    if (overrides.logger !== false) {
      logCaseProblems(server.log, sandboxStore.current().problems);
    }

    await registerOpenApi(server);
    const masks = new MaskCache();
    const dataDeps = {
      auth: {
        verifier,
        franceConnectClients: new FranceConnectClients({ repository, now, cacheTtlMs: config.tokens.cacheTtlMs, cacheMax: config.tokens.cacheMax }),
        franceConnect: overrides.franceConnect ?? createSandboxFranceConnectChecker(sandboxStore.franceConnectTokens()),
        // Sandbox only (docs/adr/0004-franceconnect-callers.md): an unregistered FranceConnect client
        // is answered as the demo token, so integrators can try FranceConnect before registering.
        franceConnectFallback: () => Promise.resolve(config.mode === 'sandbox' ? demoRecord : undefined),
      },
      driverFor: (endpoint: EndpointDefinition) => overrides.driverFor?.(endpoint) ?? sandboxDriver,
      masks,
      lock,
      responseCache,
      journal,
      pseudonymise,
      now,
    };
    for (const provider of registry) for (const endpoint of provider.endpoints) registerDataRoute(server, provider, endpoint, dataDeps);
    registerServiceRoutes(server, {
      verifier,
      endpoints,
      ready: async () => {
        try {
          await sql`select 1`.execute(database.db);
          return true;
        } catch {
          return false;
        }
      },
    });
    registerAdminRoutes(server, { adminSecret, tokens });
    registerSandboxReloadRoute(server, { adminSecret, store: sandboxStore });

    server.addHook('onClose', async () => {
      sandboxStore.close();
      await journal.drain();
      if (ownsDatabase) await database.close();
    });
    await server.ready();
    if (overrides.watchSandboxCases) await sandboxStore.watch();

    return {
      server,
      // `sandbox` is a getter: the cases in force now, after any reload.
      services: { database, tokens, verifier, keyring, journal, get sandbox() { return sandboxStore.current(); }, sandboxStore, lock, demoToken: demo, adminSecret },
      close: () => server.close(),
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}
