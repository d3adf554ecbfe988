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
import type { FranceConnectChecker } from './franceconnect/checker.ts';
import { franceConnectCheckerFor } from './franceconnect/checker-for-mode.ts';
import { registerAdminRoutes } from './gateway/admin-routes.ts';
import { registerDataRoute } from './gateway/data-route.ts';
import { frameworkErrorHandler, installErrorHandlers } from './gateway/errors-plugin.ts';
import { InFlightLock } from './gateway/in-flight-lock.ts';
import { loggerOptions } from './gateway/logger-options.ts';
import { registerOpenApi } from './gateway/openapi.ts';
import { ResponseCache } from './gateway/response-cache.ts';
import { LocalCallGate, type CallGate } from './gateway/call-gate.ts';
import { createSharedState, type AnswerCache } from './gateway/shared-state.ts';
import { parseQuery } from './gateway/query-string.ts';
import { requestIdFrom } from './gateway/request-id.ts';
import { registerServiceRoutes } from './gateway/service-routes.ts';
import { setUpPortal } from './portal/portal-wiring.ts';
import { secureTransferPurgeJob } from './portal/forms/secure-transfers.ts';
import { tokenHabilitationLookup } from './portal/account/token-habilitation.ts';
import { buildHabilitations, type Habilitations } from './habilitations/habilitations.ts';
import { registerV2Routes, V2_CASES_DIR } from './v2/register-v2-routes.ts';
import { migrateToLatest } from './infra/db/migrate.ts';
import { openDatabase, type Database } from './infra/db/open-database.ts';
import { loadLocalSecrets } from './infra/local-secrets.ts';
import { JournalWriter, type JournalSink } from './journal/journal-writer.ts';
import { replayEmbeddedJournal, spoolDirOf } from './journal/journal-spool.ts';
import { SpooledJournalWriter } from './journal/spooled-journal-writer.ts';
import { createPseudonymiser } from './journal/pseudonym.ts';
import { registerJournalAdminRoutes } from './journal/journal-admin-routes.ts';
import { createServiceScheduler, logJobRun } from './jobs/service-jobs.ts';
import { ProbeStore } from './status/probe-store.ts';
import { statusProbeJob } from './status/probe-job.ts';
import { registerStatusRoutes } from './status/status-routes.ts';
import { TrafficHealth } from './status/traffic-health.ts';
import { registerPublicStatsRoute } from './stats/public-stats-route.ts';
import { createRateLimits } from './ratelimit/create-rate-limits.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { registerMetricsRoute } from './metrics/metrics-route.ts';
import { allScopes, providers as defaultProviders } from './providers/index.ts';
import { ensureDemoToken } from './sandbox/demo-token.ts';
import { registerSandboxReloadRoute } from './sandbox/admin-reload-route.ts';
import type { LoadReport } from './sandbox/load-cases.ts';
import { createSandboxDriver, OWN_CASES_DIR } from './sandbox/sandbox-driver.ts';
import { createLiveMode } from './live/live-mode.ts';
import type { ProviderHealth } from './live/provider-health.ts';
import { logCaseProblems, logReload, SandboxStore } from './sandbox/sandbox-store.ts';
import { createKeyring, type Keyring } from './tokens/keyring.ts';
import { FranceConnectClients } from './tokens/franceconnect-clients.ts';
import { TokenAdmin } from './tokens/token-admin.ts';
import type { TokenRecord } from './tokens/token-record.ts';
import { TokenRepository } from './tokens/token-repository.ts';
import { TokenVerifier } from './tokens/token-verifier.ts';
import { ANY_TOKEN, createRevocationNotices } from './tokens/revocation-notices.ts';

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
  /**
   * Replace the access journal. Only `bench/` uses it, to measure the pipeline "before the journal"
   * as issues 2 and 4 set their targets (docs/benchmarks.md); no configuration reaches it.
   */
  journal?: JournalSink;
}

export interface AppServices {
  database: Database;
  tokens: TokenAdmin;
  verifier: TokenVerifier;
  keyring: Keyring;
  journal: JournalSink;
  /** The sandbox cases in force now (a reload replaces them). */
  sandbox: LoadReport;
  sandboxStore: SandboxStore;
  lock: InFlightLock;
  /** The sandbox demo token (JWT) when `config.demoToken` is on. */
  demoToken: string | undefined;
  adminSecret: string;
  /** Live mode: per upstream, breaker state, rolling success rate and latency (status page); `[]` in sandbox. */
  liveHealth(): ProviderHealth[];
  /** Habilitation requests, token lifecycle, vendor templates, mail and the expiry-notice job (issue 5). */
  habilitations: Habilitations;
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
  const pseudonymKey = config.journal.pseudonymKey ?? localSecrets.pseudonymKey;
  const pseudonymise = createPseudonymiser(pseudonymKey);
  const adminSecret = localSecrets.adminSecret;

  const ownsDatabase = overrides.database === undefined;
  const database = overrides.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    if (ownsDatabase) await migrateToLatest(database.db);

    const repository = new TokenRepository(database.db);
    const verifier = new TokenVerifier({ repository, keyring, now, cacheTtlMs: config.tokens.cacheTtlMs, cacheMax: config.tokens.cacheMax });
    const franceConnectClients = new FranceConnectClients({ repository, now, cacheTtlMs: config.tokens.cacheTtlMs, cacheMax: config.tokens.cacheMax });
    // A revocation, made here, on another instance or by the CLI, empties the caches at once (docs/adr/0008-rate-limits.md).
    const revocations = createRevocationNotices(config.redisUrl);
    revocations.subscribe(() => {
      verifier.forget();
      franceConnectClients.forget();
    });
    await revocations.ready(2_000);
    const tokens = new TokenAdmin({ repository, keyring, now, knownScopes: allScopes(registry), revocations });
    // The gauge reads the journal's queue when scraped, by then the journal exists.
    const traffic = new TrafficHealth(() => now().getTime());
    const metrics = new GatewayMetrics({ journalQueueDepth: () => journal.queueDepth });
    const onFlush = (ms: number, rows: number, ok: boolean) => metrics.observeJournalFlush(ms, rows, ok);
    // Embedded: rows go to the spool before the answer, then into the table in batches (ADR 0171).
    const spoolRecovery = overrides.journal === undefined ? await replayEmbeddedJournal(database, config.dataDir) : undefined;
    const journal: JournalSink =
      overrides.journal ??
      (database.engine === 'pglite'
        ? new SpooledJournalWriter(database.db, {
            dir: spoolDirOf(config.dataDir),
            maxQueue: config.journal.maxQueue,
            sync: config.journal.fsync,
            onFlush,
            onMoveError: (error) => server.log.error({ err: error }, 'journal rows not moved from the spool to the table yet; retrying'),
          })
        : new JournalWriter(database.db, { maxQueue: config.journal.maxQueue, onFlush, ...(database.prepared === undefined ? {} : { prepared: database.prepared }) }));
    const lock = new InFlightLock();
    const localCache = new ResponseCache({ max: config.responseCacheMax, now });
    const rateLimits = createRateLimits(config, () => now().getTime());
    // With Redis, every instance shares the limits, the 409 lock and the response cache, a call's
    // admission being one script (docs/adr/0008-rate-limits.md, docs/adr/0172-one-redis-round-trip-per-call.md).
    const shared =
      config.redisUrl === undefined
        ? undefined
        : createSharedState(config.redisUrl, { lock, localCache, limits: rateLimits, failure: config.rateLimits.redisFailure, secret: pseudonymKey, now: () => now().getTime(), log: () => server.log });
    // With Redis down at start the service still starts; each call then fails open or closed as configured.
    if (shared !== undefined) await shared.ready(2_000);
    const gate: CallGate = shared?.gate ?? new LocalCallGate(rateLimits, lock, localCache);
    const responseCache: AnswerCache = shared?.cache ?? localCache;

    const caseDirs = [...registry.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : [])), OWN_CASES_DIR, V2_CASES_DIR, ...config.sandboxDataDirs];
    const sandboxStore = await SandboxStore.open(caseDirs, {
      onReload: (summary) => {
        logReload(server.log, summary);
        // Answers cached before a reload may come from replaced cases.
        responseCache.clear();
      },
    });
    const sandboxDriver = createSandboxDriver(sandboxStore);
    // Live mode (docs/guides/live-mode.md): every route gets its upstream's driver; sandbox stays the default.
    const live = config.mode === 'live' && config.live !== undefined ? createLiveMode(config.live, registry) : undefined;

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
      trustProxy: config.trustProxy,
    });
    // A callback hook, not an async one: it runs on every answer, and a promise per call showed in the profile.
    server.addHook('onSend', (request, reply, payload, done) => {
      void reply.header('x-request-id', String(request.id));
      done(null, payload);
    });
    installErrorHandlers(server);
    // Serialisation is plain JSON: masking already decides what leaves, and a response schema with
    // `required` fields would make fast-json-stringify throw on a legitimately masked key.
    server.setSerializerCompiler(() => (data) => JSON.stringify(data));

    if (overrides.logger !== false) {
      logCaseProblems(server.log, sandboxStore.current().problems);
    }
    if (spoolRecovery !== undefined && spoolRecovery.files > 0) {
      // Counts only: the rows themselves never reach the logs.
      server.log[spoolRecovery.unreadable > 0 ? 'warn' : 'info'](spoolRecovery, 'journal spool replayed into the table');
    }

    await registerOpenApi(server);
    const masks = new MaskCache();
    const dataDeps = {
      auth: {
        verifier,
        franceConnectClients,
        franceConnect:
          overrides.franceConnect ??
          franceConnectCheckerFor({ mode: config.mode, franceConnect: config.franceConnect, sandboxTokens: sandboxStore.franceConnectTokens(), now, log: server.log }),
        // Sandbox only (docs/adr/0004-franceconnect-callers.md): an unregistered FranceConnect client
        // is answered as the demo token, so integrators can try FranceConnect before registering.
        franceConnectFallback: () => Promise.resolve(config.mode === 'sandbox' ? demoRecord : undefined),
      },
      driverFor: (endpoint: EndpointDefinition) => overrides.driverFor?.(endpoint) ?? live?.driverFor(endpoint) ?? sandboxDriver,
      masks,
      gate,
      responseCache,
      journal,
      pseudonymise,
      metrics,
      traffic,
      now,
    };
    for (const provider of registry) for (const endpoint of provider.endpoints) registerDataRoute(server, provider, endpoint, dataDeps);
    registerV2Routes(server, { ...dataDeps, v2Cases: config.mode === 'sandbox' ? sandboxStore : undefined });
    registerServiceRoutes(server, {
      verifier,
      endpoints,
      habilitationOf: tokenHabilitationLookup({ db: database.db, now }),
      defaultRateLimitPerSecond: config.rateLimits.token.perSecond,
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
    registerMetricsRoute(server, { metrics, token: config.metricsToken });
    registerSandboxReloadRoute(server, { adminSecret, store: sandboxStore });
    const habilitations = buildHabilitations({
      config,
      database,
      keyring,
      now,
      registry,
      // A revocation or a new rate limit decided on a habilitation reaches every instance's caches,
      // like a CLI revocation: at once here, through Redis elsewhere, TOKEN_CACHE_TTL_MS at worst (ADR 0117).
      forgetVerifiedTokens: () => {
        void revocations.publish(ANY_TOKEN);
      },
      // SMTP replies may quote recipient addresses: log the code only, never the message.
      onMailError: (error) => server.log.error({ code: (error as { code?: unknown; responseCode?: unknown }).responseCode ?? (error as { code?: unknown }).code }, 'mail not sent'),
    });
    // The status API and the portal's /statut pages read the same sources (docs/adr/0150-status-and-stats-pages.md).
    const probes = new ProbeStore(database.db);
    const statusDeps = { registry, mode: config.mode, traffic, liveHealth: () => live?.health() ?? [], probes, now };
    await setUpPortal(server, { config, database, registry, sandbox: () => sandboxStore.current(), now, habilitations, tokens, status: statusDeps });
    registerJournalAdminRoutes(server, { adminSecret, db: database.db, journal });
    registerPublicStatsRoute(server, { db: database.db, now });
    // Retention and statistics rollups, on the leader instance only (docs/adr/0094-scheduled-jobs-and-leader.md).
    registerStatusRoutes(server, statusDeps);
    const probeJob = statusProbeJob({ registry, cases: () => sandboxStore.current().cases, driverFor: dataDeps.driverFor, store: probes, now, intervalSeconds: config.statusProbeIntervalSeconds });
    const scheduler = createServiceScheduler(database, config, { now, onRun: (event) => logJobRun(server.log, event), extraJobs: [
        ...(probeJob === undefined ? [] : [probeJob]),
        // The job's result is logged: counts only, never the contacts' addresses (ADR 0114).
        { name: 'expiry-notices', everyMs: 3600_000, run: async (at) => habilitations.sendExpiryNotices(at).then((r) => ({ sent: r.sent.length, failed: r.failed.length })) },
        secureTransferPurgeJob(database),
      ] });

    server.addHook('onClose', async () => {
      await scheduler.stop();
      sandboxStore.close();
      await journal.drain();
      await journal.close?.();
      await live?.close();
      await rateLimits.close();
      await revocations.close();
      shared?.close();
      metrics.registry.clear();
      if (ownsDatabase) await database.close();
    });
    await server.ready();
    if (config.jobs.enabled) scheduler.start();
    if (overrides.watchSandboxCases) await sandboxStore.watch();

    return {
      server,
      // `sandbox` is a getter: the cases in force now, after any reload.
      services: { database, tokens, verifier, keyring, journal, get sandbox() { return sandboxStore.current(); }, sandboxStore, lock, demoToken: demo, adminSecret, liveHealth: () => live?.health() ?? [], habilitations },
      close: () => server.close(),
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}
