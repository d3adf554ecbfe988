/**
 * Calling a provider's driver, once for the v3 and v2 pipelines: the call's outer time limit
 * (live drivers apply their own, shorter, budgets: docs/guides/live-mode.md) is created on first use,
 * because a timer per call costs ~3 % of a sandbox call that never reads it.
 */
import type { ProviderDriver, ProviderOutcome } from '../core/driver.ts';
import type { EndpointDefinition, QueryParams } from '../core/endpoint.ts';

export const PROVIDER_CALL_LIMIT_MS = 30_000;

export function callProvider(driver: ProviderDriver, endpoint: EndpointDefinition, params: QueryParams, requestId: string): Promise<ProviderOutcome> {
  let signal: AbortSignal | undefined;
  return driver.call({
    endpoint,
    params,
    requestId,
    get signal() {
      signal ??= AbortSignal.timeout(PROVIDER_CALL_LIMIT_MS);
      return signal;
    },
  });
}
