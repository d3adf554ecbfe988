/**
 * The gateway's two rate limits (docs/adr/0008-rate-limits.md): a cap per client IP, checked
 * before authentication so token guessing is throttled too, and the contract's limit per token
 * (20 calls per second unless the token's habilitation sets another).
 */
import type { RateDecision, RateLimiter } from './limiter.ts';
import type { RatePolicy } from './policy.ts';

export interface RateLimitSettings {
  token: { perSecond: number; burst: number };
  /** Absent: no per-IP cap. */
  ip: { perSecond: number; burst: number } | undefined;
}

export class RateLimits {
  readonly #limiter: RateLimiter;
  readonly #tokenPolicy: RatePolicy;
  readonly #ipPolicy: RatePolicy | undefined;

  constructor(limiter: RateLimiter, settings: RateLimitSettings) {
    this.#limiter = limiter;
    this.#tokenPolicy = { name: 'token', limit: settings.token.perSecond, windowSeconds: 1, burst: settings.token.burst };
    this.#ipPolicy = settings.ip === undefined ? undefined : { name: 'ip', limit: settings.ip.perSecond, windowSeconds: 1, burst: settings.ip.burst };
  }

  /** The per-IP policy, or undefined when no IP cap is configured. */
  get ipPolicy(): RatePolicy | undefined {
    return this.#ipPolicy;
  }

  /** @param perSecond the token's own limit (set by its habilitation, ADR 0117), when it has one: its burst is its limit. */
  tokenPolicy(perSecond: number | null): RatePolicy {
    return perSecond === null ? this.#tokenPolicy : { name: 'token', limit: perSecond, windowSeconds: 1, burst: perSecond };
  }

  /** The per-IP decision, or undefined when no IP cap is configured. */
  admitIp(ip: string): Promise<RateDecision> | undefined {
    return this.#ipPolicy === undefined ? undefined : this.#limiter.take(ip, this.#ipPolicy);
  }

  /** @param perSecond the token's own limit (set by its habilitation), when it has one. */
  admitToken(jti: string, perSecond: number | null): Promise<RateDecision> {
    return this.#limiter.take(jti, this.tokenPolicy(perSecond));
  }

  close(): Promise<void> {
    return this.#limiter.close();
  }
}
