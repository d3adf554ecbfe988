/**
 * The FranceConnect credential strategy's port (STYLE §7): turns a citizen's FranceConnect access
 * token into FranceConnect's introspection answer, or `undefined` when the token is unknown or
 * inactive. The sandbox implementation reads fake tokens from case files; the live one (live-mode
 * issue) calls FranceConnect.
 */
import type { FranceConnectIntrospection } from './introspection.ts';

export interface FranceConnectChecker {
  introspect(accessToken: string): Promise<FranceConnectIntrospection | undefined>;
}

/** Sandbox checker: the bearer string is the `params.token` of a `france_connect/` case file (CONTRACT §5.3). */
export function createSandboxFranceConnectChecker(
  tokens: ReadonlyMap<string, { introspection: FranceConnectIntrospection }>,
): FranceConnectChecker {
  return {
    introspect: (accessToken) => {
      const found = tokens.get(accessToken)?.introspection;
      return Promise.resolve(found !== undefined && found.token_introspection.active ? found : undefined);
    },
  };
}
