/**
 * The Generic Cell Rate Algorithm as a pure function of (stored arrival time, now, policy), so the
 * in-process limiter, the Redis script and the property tests share one definition.
 *
 * With T the emission interval and B the burst, a call at `now` is admitted when
 * `max(tat, now) + T - B·T <= now`; admitting it moves the theoretical arrival time to
 * `max(tat, now) + T`. Over any interval of length t, at most `B + t / T` calls are admitted.
 */
import { emissionIntervalMs, type RatePolicy } from './policy.ts';

export interface GcraDecision {
  allowed: boolean;
  /** The arrival time to store (unchanged when refused). */
  tat: number;
  /** Calls that could be admitted at once right after this one. */
  remaining: number;
  /** When refused: milliseconds until a call would be admitted; 0 when admitted. */
  retryAfterMs: number;
  /** Milliseconds until the whole burst is available again. */
  resetMs: number;
}

/** Tolerance for floating-point drift of the arrival time (sub-microsecond). */
const EPSILON_MS = 1e-6;

export function gcra(storedTat: number | undefined, now: number, policy: RatePolicy): GcraDecision {
  const interval = emissionIntervalMs(policy);
  const tat = storedTat === undefined || storedTat < now ? now : storedTat;
  const nextTat = tat + interval;
  const allowAt = nextTat - policy.burst * interval;
  if (now + EPSILON_MS < allowAt) {
    return { allowed: false, tat, remaining: 0, retryAfterMs: allowAt - now, resetMs: tat - now };
  }
  const remaining = Math.max(0, Math.floor((now - allowAt) / interval + EPSILON_MS));
  return { allowed: true, tat: nextTat, remaining, retryAfterMs: 0, resetMs: nextTat - now };
}
