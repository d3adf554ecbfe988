/**
 * Calling a provider's driver, once for the v3 and v2 pipelines: the call's outer time limit
 * (live drivers apply their own, shorter, budgets: docs/guides/live-mode.md) is created on first use,
 * because a timer per call costs ~3 % of a sandbox call that never reads it. The citizen's
 * FranceConnect access token goes with FranceConnect-modality calls only
 * (docs/adr/0085-franceconnect-token-to-drivers.md).
 */
import type { ProviderCall, ProviderDriver, ProviderOutcome } from '../core/driver.ts';
import type { EndpointDefinition, QueryParams } from '../core/endpoint.ts';
import type { Caller } from './authenticate.ts';

export const PROVIDER_CALL_LIMIT_MS = 30_000;

/** The FranceConnect credential a driver may see: a FranceConnect caller on a FranceConnect route, else none. */
export function franceConnectOf(caller: Caller | undefined, endpoint: EndpointDefinition): ProviderCall['franceConnect'] {
  if (caller?.kind !== 'france_connect' || endpoint.modality !== 'france_connect' || caller.franceConnectAccessToken === undefined) return undefined;
  return { accessToken: caller.franceConnectAccessToken };
}

export function callProvider(driver: ProviderDriver, endpoint: EndpointDefinition, params: QueryParams, requestId: string, caller?: Caller): Promise<ProviderOutcome> {
  let signal: AbortSignal | undefined;
  const call: ProviderCall = {
    endpoint,
    params,
    requestId,
    get signal() {
      signal ??= AbortSignal.timeout(PROVIDER_CALL_LIMIT_MS);
      return signal;
    },
  };
  const franceConnect = franceConnectOf(caller, endpoint);
  if (franceConnect !== undefined) call.franceConnect = franceConnect;
  return driver.call(call);
}
