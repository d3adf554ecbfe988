/**
 * Live-mode test rig: the upstream simulators, a gateway in live mode wired to them, and (to
 * compare with) a gateway in sandbox mode, both on in-memory PGlite. FranceConnect routes use the
 * cast's fake FranceConnect tokens in both (live FranceConnect is another issue's subject).
 */
import type { AppOverrides } from '../../src/app.ts';
import type { EndpointDefinition, ProviderManifest, QueryParams } from '../../src/core/endpoint.ts';
import { createSandboxFranceConnectChecker } from '../../src/franceconnect/checker.ts';
import { liveConnectors } from '../../src/live/connectors.ts';
import type { UpstreamKey } from '../../src/live/live-config.ts';
import { loadCaseDirectories } from '../../src/sandbox/load-cases.ts';
import { OWN_CASES_DIR } from '../../src/sandbox/sandbox-driver.ts';
import { startSimulators, type RunningSimulators, type SimulatorsOptions } from '../../simulators/start-simulators.ts';
import { testApp, type TestApp } from './test-app.ts';

/** No gateway rate limit in these tests: they call fast, on purpose. */
export const UNLIMITED = { RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '10000', RATE_LIMIT_IP_PER_SECOND: '0' };
export const RECIPIENT = '13002526500013';
export const FC_CLIENT = 'sandbox-franceconnect-client';

export async function castFranceConnect(): Promise<{ overrides: AppOverrides; tokens: string[] }> {
  const report = await loadCaseDirectories([OWN_CASES_DIR]);
  return { overrides: { franceConnect: createSandboxFranceConnectChecker(report.franceConnectTokens) }, tokens: [...report.franceConnectTokens.keys()] };
}

export interface LiveRig {
  sims: RunningSimulators;
  live: TestApp;
  /** A token with every scope and modality, registered for the cast's FranceConnect client. */
  token: string;
  fcTokens: string[];
  close(): Promise<void>;
}

export async function liveRig(options: SimulatorsOptions = {}, env: Record<string, string> = {}): Promise<LiveRig> {
  const sims = await startSimulators(options);
  try {
    const fc = await castFranceConnect();
    const live = await testApp({ env: { ...sims.env, ...UNLIMITED, ...env }, overrides: fc.overrides });
    const token = await live.token({ allScopes: true, modalities: ['identite', 'france_connect', 'ine', 'identifiant'], fcClientIds: [FC_CLIENT] });
    return { sims, live, token, fcTokens: fc.tokens, close: async () => { await live.close(); await sims.close(); } };
  } catch (error) {
    await sims.close();
    throw error;
  }
}

/** The URL of a route for a case's params (`prenoms` → `prenoms[]=…` when the route says so). */
export function urlOf(endpoint: EndpointDefinition, params: QueryParams): string {
  const search = new URLSearchParams({ recipient: RECIPIENT });
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    const wire = `${name}[]` in endpoint.params.properties ? `${name}[]` : name;
    for (const item of Array.isArray(value) ? value : [value]) search.append(wire, String(item));
  }
  return `${endpoint.path}?${search.toString()}`;
}

/** Which simulator a route calls. */
export function upstreamOf(endpoint: EndpointDefinition, c2sRsaUpstream: 'cnav' | 'prestations' = 'cnav'): UpstreamKey {
  for (const connector of liveConnectors({ c2sRsaUpstream })) {
    const entry = connector.routes.find((r) => r.route.operationId === endpoint.operationId);
    if (entry !== undefined) return entry.upstream as UpstreamKey;
  }
  throw new TypeError(`no live route for ${endpoint.operationId}`);
}

/** `meta.provider` the route must answer with this code. */
export function providerNameFor(provider: ProviderManifest, code: string): string {
  return provider.providerNameOfCode?.(code) ?? provider.name;
}
