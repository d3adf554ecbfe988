/**
 * Changing the rate limit of an approved habilitation (issue 6: "20 req/s per token by default,
 * configurable per habilitation"; docs/adr/0117-habilitation-rate-limit.md). In one transaction:
 * the habilitation's limit, the same limit on its live tokens, and an event in its log (who, when,
 * old → new). Then the gateway's cached token verifications are dropped — on every instance, through
 * the revocation notices — so the new limit applies to the next call, like a revocation does.
 */
import { appendEvent, findHabilitation, updateHabilitation } from './habilitation-repository.ts';
import { isMember, type Outcome, type Refusal, type ServiceActor } from './habilitation-service.ts';
import { setLiveTokensRateLimit } from './habilitation-tokens.ts';
import { RATE_LIMIT_FIELD, RATE_LIMIT_MESSAGE, isRateLimitSetting } from './rate-limit-field.ts';
import { transition } from './state-machine.ts';
import type { HabilitationDb } from './tables.ts';

export interface HabilitationRateLimitDeps {
  db: HabilitationDb;
  now: () => Date;
  /** `RATE_LIMIT_PER_SECOND`: what a habilitation without its own limit gets. */
  defaultPerSecond: number;
  /** Drops cached token verifications everywhere (the revocation notices), after commit. */
  forgetVerifiedTokens: () => void;
}

export interface RateLimitChange {
  /** False when the value was already the habilitation's: nothing written, no event. */
  changed: boolean;
  from: number | null;
  to: number | null;
  /** The live tokens that now carry the new limit. */
  tokenJtis: string[];
}

const refusal = (code: string, message: string, errors?: Record<string, string>): Refusal => ({ ok: false, code, message, ...(errors ? { errors } : {}) });

export class HabilitationRateLimit {
  readonly #deps: HabilitationRateLimitDeps;

  constructor(deps: HabilitationRateLimitDeps) {
    this.#deps = deps;
  }

  /** The service default, for pages that show « 20 appels/s (débit par défaut) ». */
  get defaultPerSecond(): number {
    return this.#deps.defaultPerSecond;
  }

  /** Sets the limit (null: back to the service default); instructors and administrators, validated habilitations. */
  async change(id: string, actor: ServiceActor, rateLimitPerSecond: number | null): Promise<Outcome<RateLimitChange>> {
    if (!isRateLimitSetting(rateLimitPerSecond)) return refusal('invalid', 'Certains champs sont à corriger.', { [RATE_LIMIT_FIELD]: RATE_LIMIT_MESSAGE });
    const outcome = await this.#deps.db.transaction().execute(async (trx): Promise<Outcome<RateLimitChange>> => {
      const h = await findHabilitation(trx, id, { forUpdate: true });
      if (h === undefined || !isMember(h, actor)) return refusal('not_found', 'Habilitation introuvable.');
      const moved = transition({ status: h.status, requiresProviderReview: false, providerApproved: false }, 'change_rate_limit', actor);
      if (!moved.ok) return refusal(moved.code, moved.message);
      const from = h.rateLimitPerSecond;
      if (from === rateLimitPerSecond) return { ok: true, changed: false, from, to: from, tokenJtis: [] };
      const now = this.#deps.now();
      await updateHabilitation(trx, h.id, { rateLimitPerSecond, updatedAt: now });
      const tokenJtis = await setLiveTokensRateLimit(trx, h.id, rateLimitPerSecond, now);
      await appendEvent(trx, {
        habilitationId: h.id,
        at: now,
        event: 'change_rate_limit',
        actorRole: actor.role,
        actor: actor.id,
        fromStatus: h.status,
        toStatus: h.status,
        // The default in force is kept with the event, so the history still reads right if it changes.
        data: { from, to: rateLimitPerSecond, defaultPerSecond: this.#deps.defaultPerSecond, tokenJtis },
      });
      return { ok: true, changed: true, from, to: rateLimitPerSecond, tokenJtis };
    });
    if (outcome.ok && outcome.changed) this.#deps.forgetVerifiedTokens();
    return outcome;
  }
}
