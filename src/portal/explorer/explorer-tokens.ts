/**
 * Sandbox tokens of the explorer (issue 7 item 3): one short-lived token per set of scopes, issued by
 * the token service like any other (so the real pipeline authenticates, limits, masks and journals
 * the explorer's calls), never shown to the visitor and reused until shortly before it expires. The
 * cache is bounded: a visitor toggling scopes cannot make it grow without limit. Only ever built in
 * sandbox mode (docs/adr/0142-sandbox-explorer.md). Their rows are marked `purpose: explorer` and
 * deleted a day after they expire by a scheduled job (docs/adr/0163-explorer-token-purge.md).
 */
import type { TokenAdmin } from '../../tokens/token-admin.ts';

const LIFETIME_SECONDS = 3600;
/** A cached token is replaced this long before it expires, so a call never races its expiry. */
const MARGIN_MS = 10 * 60_000;
const MAX_ENTRIES = 256;

export interface ExplorerTokenSource {
  /** A sandbox token holding exactly `scopes` (sorted and deduplicated by the caller or here). */
  tokenFor(scopes: readonly string[]): Promise<string>;
}

export function explorerTokens(tokens: Pick<TokenAdmin, 'create'>, now: () => Date): ExplorerTokenSource {
  const cache = new Map<string, { token: string; expiresAt: number }>();
  return {
    async tokenFor(scopes) {
      const key = [...new Set(scopes)].sort().join(' ');
      const hit = cache.get(key);
      if (hit !== undefined && hit.expiresAt - MARGIN_MS > now().getTime()) return hit.token;
      const { token } = await tokens.create({
        scopes: key.split(' '),
        expiresIn: `${LIFETIME_SECONDS}s`,
        name: 'Explorateur du bac à sable',
        owner: 'sandbox-explorer',
      }, { purpose: 'explorer' });
      cache.delete(key);
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(key, { token, expiresAt: now().getTime() + LIFETIME_SECONDS * 1000 });
      return token;
    },
  };
}
