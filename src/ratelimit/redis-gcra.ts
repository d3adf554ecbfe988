/**
 * The GCRA of `gcra.ts` in Lua, for the scripts that decide in Redis (docs/adr/0008-rate-limits.md,
 * docs/adr/0172-one-redis-round-trip-per-call.md): the same arithmetic in integer microseconds, the
 * arrival time stored as a decimal string that expires once the key's whole burst is back.
 * `redis-gcra.test.ts` replays random arrivals through both and checks they agree.
 */
import type { RateDecision } from './limiter.ts';
import { emissionIntervalMs, type RatePolicy } from './policy.ts';

/**
 * A Lua local function, to prepend to a script: `gcra(key, stored, now, interval, burst)` decides
 * one call at `now` (µs) against the arrival time `stored` (the key's value, or false), writes the
 * new arrival time when the call is admitted, and returns allowed (0|1), remaining, retry_after_us, reset_us.
 */
export const GCRA_LUA = `
local function gcra(key, stored, now, interval, burst)
  local tat = tonumber(stored)
  if tat == nil or tat < now then tat = now end
  local next_tat = tat + interval
  local allow_at = next_tat - burst * interval
  if now < allow_at then
    return 0, 0, allow_at - now, tat - now
  end
  redis.call('SET', key, string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
  return 1, math.floor((now - allow_at) / interval), 0, next_tat - now
end
`;

/** The script's arguments for one policy: its emission interval in whole microseconds, its burst. */
export function gcraArgs(policy: RatePolicy): [intervalUs: number, burst: number] {
  return [Math.round(emissionIntervalMs(policy) * 1000), policy.burst];
}

/** The decision from the four numbers `gcra` returned, starting at `reply[offset]`. */
export function decisionOf(policy: RatePolicy, reply: readonly unknown[], offset: number, at: number): RateDecision {
  return {
    policy,
    allowed: reply[offset] === 1,
    remaining: reply[offset + 1] as number,
    retryAfterMs: (reply[offset + 2] as number) / 1000,
    resetMs: (reply[offset + 3] as number) / 1000,
    at,
  };
}
