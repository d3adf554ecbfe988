/**
 * What a data call asks of the state it shares with other calls before its provider is called
 * (docs/adr/0172-one-redis-round-trip-per-call.md): the per-IP cap, the token's limit and the 409
 * lock — on a route with a response cache, a cached answer instead of the lock. In the pipeline's
 * order: the first refusal stops the rest (a limit not reached is not counted, the lock not taken),
 * and a cached answer is served without taking the lock.
 *
 * In process, each is a map lookup (`LocalCallGate`); with Redis, all of them are one script, one
 * round trip (`RedisCallGate`).
 */
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import type { RateDecision } from '../ratelimit/limiter.ts';
import type { PolicyName } from '../ratelimit/policy.ts';
import type { RateLimits } from '../ratelimit/rate-limits.ts';
import type { CachedAnswer } from './response-cache.ts';
import type { AnswerCache, Release, RequestLock } from './shared-state.ts';

export interface GateRequest {
  /** The client IP, when the IP cap is still to be counted for this call. */
  ip?: string | undefined;
  /** The authenticated token's budget (its own limit, set by its habilitation, or null); absent when authentication failed. */
  token?: { jti: string; perSecond: number | null } | undefined;
  /**
   * Only for a call that passed every local check: the 409 lock's key and, on a route with a
   * response cache read for this call, the cache's key.
   */
  lock?: { key: string; cacheKey?: string | undefined } | undefined;
}

/** What became of the lock asked for. */
export type LockEntry = { kind: 'taken'; release: Release } | { kind: 'held' } | { kind: 'cached'; answer: CachedAnswer };

export interface Admission {
  /** The decisions taken, in order; the last one is the refusal when there is one. */
  rates: RateDecision[];
  /** The policy that refused the call. */
  refusedBy?: PolicyName;
  /** When a lock was asked for and every limit admitted the call. */
  entry?: LockEntry;
}

export interface CallGate {
  /** An admission is a network round trip: the pipeline then asks for everything in one admission. */
  readonly remote: boolean;
  /** @throws RateLimiterUnavailable when a limit cannot be decided and the limiter fails closed. */
  admit(request: GateRequest): Promise<Admission>;
}

/**
 * Adds the admission's decisions to the call's; a refusal is the contract's 429 (CONTRACT §4.5).
 * @throws ApiError 429 `00429`
 */
export function recordAdmission(admission: Admission, rates: RateDecision[]): void {
  for (const decision of admission.rates) rates.push(decision);
  if (admission.refusedBy !== undefined) throw ApiError.of(gatewayErrors.tooManyRequests);
}

/** This instance's limiter, 409 lock and response cache: the embedded mode, and the Redis gate's fallback. */
export class LocalCallGate implements CallGate {
  readonly remote = false;
  readonly #limits: RateLimits;
  readonly #lock: RequestLock;
  readonly #cache: AnswerCache;

  constructor(limits: RateLimits, lock: RequestLock, cache: AnswerCache) {
    this.#limits = limits;
    this.#lock = lock;
    this.#cache = cache;
  }

  async admit(request: GateRequest): Promise<Admission> {
    const rates: RateDecision[] = [];
    const ip = request.ip === undefined ? undefined : this.#limits.admitIp(request.ip);
    if (ip !== undefined) {
      const decision = await ip;
      rates.push(decision);
      if (!decision.allowed) return { rates, refusedBy: 'ip' };
    }
    if (request.token !== undefined) {
      const decision = await this.#limits.admitToken(request.token.jti, request.token.perSecond);
      rates.push(decision);
      if (!decision.allowed) return { rates, refusedBy: 'token' };
    }
    const lock = request.lock;
    if (lock === undefined) return { rates };
    if (lock.cacheKey !== undefined) {
      const answer = await this.#cache.lookup(lock.cacheKey);
      if (answer !== undefined) return { rates, entry: { kind: 'cached', answer } };
    }
    const release = await this.#lock.acquire(lock.key);
    return { rates, entry: release === undefined ? { kind: 'held' } : { kind: 'taken', release } };
  }
}
