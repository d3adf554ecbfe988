/**
 * Picks the FranceConnect checker the composition root wires (docs/adr/0120-franceconnect-live-checker.md):
 * - sandbox mode: fake tokens from the `france_connect/` case files (CONTRACT §5.3);
 * - live mode with `FRANCECONNECT_*` set: the live data-provider checker;
 * - live mode without them: FranceConnect routes refuse every token (401 `00101`, detail saying
 *   FranceConnect is not enabled), so a gateway deployed without FranceConnect never answers from
 *   the sandbox's fake tokens.
 */
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import { createSandboxFranceConnectChecker, type FranceConnectChecker } from './checker.ts';
import type { FranceConnectConfig } from './franceconnect-config.ts';
import type { FranceConnectIntrospection } from './introspection.ts';
import { createLiveFranceConnectChecker, type CheckerLog } from './live-checker.ts';

export interface CheckerForModeInput {
  mode: 'sandbox' | 'live';
  franceConnect: FranceConnectConfig | undefined;
  sandboxTokens: ReadonlyMap<string, { introspection: FranceConnectIntrospection }>;
  now: () => Date;
  log: CheckerLog;
}

/** A checker for a live gateway where FranceConnect is not configured. */
function disabledChecker(): FranceConnectChecker {
  return {
    introspect: () =>
      Promise.reject(
        ApiError.of(gatewayErrors.invalidToken, {
          source: { parameter: 'token' },
          detail: "La modalité FranceConnect n'est pas activée sur cette instance d'API Particulier",
        }),
      ),
  };
}

/**
 * @example
 * const checker = franceConnectCheckerFor({ mode: config.mode, franceConnect: config.franceConnect, sandboxTokens, now, log: server.log });
 */
export function franceConnectCheckerFor(input: CheckerForModeInput): FranceConnectChecker {
  if (input.mode === 'sandbox') return createSandboxFranceConnectChecker(input.sandboxTokens);
  if (input.franceConnect === undefined) {
    input.log.warn({}, 'MODE=live without FRANCECONNECT_* settings: FranceConnect routes refuse every token');
    return disabledChecker();
  }
  return createLiveFranceConnectChecker({ ...input.franceConnect, now: input.now, log: input.log });
}
