/**
 * Starts one simulator per upstream on loopback (dev and test only) and gives the `LIVE_*`
 * environment that wires the gateway to them: `api-particulier simulate`, `npm run start:live` and
 * the live end-to-end tests all start them through here. Credentials are random per run; the test
 * CA lives in a temporary directory removed on close.
 */
import { randomBytes } from 'node:crypto';
import { antsResources } from '../src/providers/ants/live/upstream.ts';
import { cnamResources } from '../src/providers/cnam/live/upstream.ts';
import { cnousResources } from '../src/providers/cnous/live/upstream.ts';
import { cnavResources } from '../src/providers/dss/live/cnav-upstream.ts';
import { franceTravailResources } from '../src/providers/france-travail/live/upstream.ts';
import { gipMdsResources } from '../src/providers/gip-mds/live/upstream.ts';
import { mesriResources } from '../src/providers/mesri/live/upstream.ts';
import { sdhResources } from '../src/providers/sdh/live/upstream.ts';
import type { UpstreamKey } from '../src/live/live-config.ts';
import { Cast } from './cast.ts';
import type { FaultConfig } from './faults.ts';
import type { DataProviderAccess } from './franceconnect/start-franceconnect-double.ts';
import { createTestCa, type TestCa } from './test-ca.ts';
import { dsnjHandler } from './upstreams/dsnj-handler.ts';
import { castTokenCheck, checkTokenAtFranceConnect } from './upstreams/franceconnect-token-check.ts';
import { jsonUpstreamHandler } from './upstreams/json-upstream-handler.ts';
import { menHandler } from './upstreams/men-handler.ts';
import { prestationsHandler } from './upstreams/prestations-handler.ts';
import { startSimulator, type RunningSimulator, type SimRequest, type SimResponse } from './upstream-simulator.ts';

type AuthKind = 'oauth2' | 'api_key' | 'mtls';

/** Each upstream's authentication, as its UPSTREAM.md describes it. */
export const SIMULATED_AUTH: Readonly<Record<UpstreamKey, AuthKind>> = {
  dss: 'oauth2',
  dss_prestations: 'oauth2',
  cnous: 'oauth2',
  mesri: 'api_key',
  men: 'oauth2',
  france_travail: 'oauth2',
  dsnj: 'api_key',
  gip_mds: 'api_key',
  sdh: 'api_key',
  ants: 'mtls',
  cnam: 'mtls',
};

export interface SimulatorsOptions {
  /** Lifetime of issued OAuth2 tokens (default 300 s; tests use 1–2 s). */
  tokenTtlSeconds?: number;
  /** Configured faults, for every upstream or by upstream. */
  faults?: FaultConfig | Partial<Record<UpstreamKey, FaultConfig>>;
  /** Gateway settings written into the environment. */
  gateway?: { timeoutMs?: number; breakerFailures?: number; breakerOpenMs?: number; retries?: number; concurrency?: number; c2sRsaUpstream?: 'cnav' | 'prestations' };
  /** Start only these upstreams (default: all). */
  only?: readonly UpstreamKey[];
  /**
   * The FranceConnect the DSS "API des prestations" asks about the tokens of its `/fc/` forms, as a
   * data provider (`FranceConnectDouble.registerDataProvider`). Default: the cast's fake tokens, as a
   * gateway on the sandbox's FranceConnect checker sees them.
   */
  franceConnect?: DataProviderAccess;
}

export interface RunningSimulators {
  simulators: ReadonlyMap<UpstreamKey, RunningSimulator>;
  /** `LIVE_*` variables (plus `MODE=live`) wiring a gateway to the simulators. */
  env: Record<string, string>;
  ca: TestCa;
  close(): Promise<void>;
}

function handlerOf(key: UpstreamKey, cast: Cast, options: SimulatorsOptions): (request: SimRequest) => SimResponse | { hang: true } | Promise<SimResponse | { hang: true }> {
  switch (key) {
    case 'dss':
      return jsonUpstreamHandler(cast, cnavResources);
    case 'dss_prestations':
      return prestationsHandler(cast, options.franceConnect === undefined ? castTokenCheck(cast) : checkTokenAtFranceConnect(options.franceConnect));
    case 'cnous':
      return jsonUpstreamHandler(cast, cnousResources);
    case 'mesri':
      return jsonUpstreamHandler(cast, mesriResources);
    case 'men':
      return menHandler(cast);
    case 'france_travail':
      return jsonUpstreamHandler(cast, franceTravailResources);
    case 'dsnj':
      return dsnjHandler(cast);
    case 'gip_mds':
      return jsonUpstreamHandler(cast, gipMdsResources);
    case 'sdh':
      return jsonUpstreamHandler(cast, sdhResources);
    case 'ants':
      return jsonUpstreamHandler(cast, antsResources);
    case 'cnam':
      return jsonUpstreamHandler(cast, cnamResources);
  }
}

/**
 * @example
 * const sims = await startSimulators({ tokenTtlSeconds: 2 });
 * const config = loadConfig({ ...sims.env, DATA_DIR: dir });
 */
export async function startSimulators(options: SimulatorsOptions = {}): Promise<RunningSimulators> {
  const cast = await Cast.load();
  const ca = createTestCa();
  const tls = { cert: ca.pem(ca.serverCertFile), key: ca.pem(ca.serverKeyFile), ca: ca.pem(ca.caFile) };
  const simulators = new Map<UpstreamKey, RunningSimulator>();
  const g = options.gateway ?? {};
  const env: Record<string, string> = { MODE: 'live', LIVE_DSS_C2S_RSA_UPSTREAM: g.c2sRsaUpstream ?? 'cnav' };
  const keys = options.only ?? (Object.keys(SIMULATED_AUTH) as UpstreamKey[]);
  const faultsOf = (key: UpstreamKey): FaultConfig | undefined => {
    const faults = options.faults as Record<string, FaultConfig> | undefined;
    if (faults === undefined) return undefined;
    return Object.keys(faults).some((k) => k in SIMULATED_AUTH) ? faults[key] : (faults as FaultConfig);
  };
  try {
    for (const key of keys) {
      const kind = SIMULATED_AUTH[key];
      const secret = randomBytes(18).toString('base64url');
      const prefix = `LIVE_${key.toUpperCase()}_`;
      const auth =
        kind === 'oauth2'
          ? { kind, clientId: `api-particulier-${key}`, clientSecret: secret, tokenTtlSeconds: options.tokenTtlSeconds ?? 300 }
          : kind === 'api_key'
            ? { kind, key: secret }
            : { kind };
      const simulator = await startSimulator({ name: key, auth, handler: handlerOf(key, cast, options), ...(kind === 'mtls' ? { tls } : {}), faults: faultsOf(key) ?? {} });
      simulators.set(key, simulator);
      env[`${prefix}URL`] = simulator.url;
      env[`${prefix}AUTH`] = kind;
      if (auth.kind === 'oauth2') {
        env[`${prefix}TOKEN_URL`] = simulator.tokenUrl ?? '';
        env[`${prefix}CLIENT_ID`] = auth.clientId;
        env[`${prefix}CLIENT_SECRET`] = auth.clientSecret;
      } else if (auth.kind === 'api_key') {
        env[`${prefix}API_KEY`] = auth.key;
      } else {
        env[`${prefix}CERT_FILE`] = ca.clientCertFile;
        env[`${prefix}KEY_FILE`] = ca.clientKeyFile;
        env[`${prefix}CA_FILE`] = ca.caFile;
      }
      if (g.timeoutMs !== undefined) env[`${prefix}TIMEOUT_MS`] = String(g.timeoutMs);
      if (g.breakerFailures !== undefined) env[`${prefix}BREAKER_FAILURES`] = String(g.breakerFailures);
      if (g.breakerOpenMs !== undefined) env[`${prefix}BREAKER_OPEN_MS`] = String(g.breakerOpenMs);
      if (g.retries !== undefined) env[`${prefix}RETRIES`] = String(g.retries);
      if (g.concurrency !== undefined) env[`${prefix}CONCURRENCY`] = String(g.concurrency);
    }
  } catch (error) {
    await Promise.all([...simulators.values()].map((s) => s.close()));
    ca.remove();
    throw error;
  }
  return {
    simulators,
    env,
    ca,
    close: async () => {
      await Promise.all([...simulators.values()].map((s) => s.close()));
      ca.remove();
    },
  };
}
