/**
 * Rate-limit response headers (docs/adr/0008-rate-limits.md):
 * - the contract's `RateLimit-Limit` / `-Remaining` / `-Reset` (CONTRACT §1.1, §4.5): calls per
 *   minute, calls left before the end of the current minute, that end as a Unix timestamp;
 * - the IETF draft-10 `RateLimit-Policy` / `RateLimit` naming each policy with its exact GCRA
 *   state (USERS U21–U22), and `Retry-After` on a 429.
 */
import type { RateDecision } from './limiter.ts';
import { emissionIntervalMs, perMinute } from './policy.ts';

export function rateLimitHeaders(decisions: readonly RateDecision[]): Record<string, string> {
  const token = decisions.find((d) => d.policy.name === 'token');
  const refused = decisions.find((d) => !d.allowed);
  const headers: Record<string, string> = {
    'ratelimit-policy': decisions.map((d) => `"${d.policy.name}";q=${d.policy.limit};w=${d.policy.windowSeconds}`).join(', '),
    ratelimit: decisions.map((d) => `"${d.policy.name}";r=${d.remaining};t=${Math.ceil(d.resetMs / 1000)}`).join(', '),
  };
  // The per-minute headers describe the token's policy, the one the contract documents.
  const legacy = token ?? decisions[0];
  if (legacy !== undefined) {
    const limit = perMinute(legacy.policy);
    const windowEnd = (Math.floor(legacy.at / 60_000) + 1) * 60_000;
    const pacedUntilWindowEnd = Math.floor((windowEnd - legacy.at - legacy.retryAfterMs) / emissionIntervalMs(legacy.policy));
    const remaining = legacy.allowed ? Math.min(limit, legacy.remaining + pacedUntilWindowEnd) : 0;
    headers['ratelimit-limit'] = String(limit);
    headers['ratelimit-remaining'] = String(Math.max(0, remaining));
    headers['ratelimit-reset'] = String(windowEnd / 1000);
  }
  if (refused !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(refused.retryAfterMs / 1000)));
  return headers;
}
