/**
 * « Mes jetons » (issue 5 §8): every token of the habilitations an applicant may see, with its id
 * prefix, scopes, expiry (« à renouveler » badge), rate limit, last use (the access journal) and
 * whether its value was already shown once. Never the token's value.
 */
import type { Habilitations } from '../../habilitations/habilitations.ts';
import type { ServiceActor } from '../../habilitations/habilitation-service.ts';
import type { HabilitationTokenView } from '../../habilitations/habilitation-tokens.ts';
import { rateLimitLabel } from '../../habilitations/rate-limit-field.ts';
import { frenchDate } from '../habilitations/portal-actors.ts';

export interface AccountToken extends HabilitationTokenView {
  habilitationTitle: string;
  revealed: boolean;
  expiresLabel: string;
  lastUsedLabel: string;
  stateLabel: string;
  /** « 50 appels/s » or « 20 appels/s (débit par défaut) »: read only, set by an instructor (ADR 0117). */
  rateLimitLabel: string;
}

const STATE_LABELS: Record<HabilitationTokenView['state'], string> = { active: 'Actif', expired: 'Expiré', revoked: 'Révoqué' };

export async function accountTokens(h: Habilitations, actor: ServiceActor): Promise<AccountToken[]> {
  const habilitations = (await h.service.listFor(actor)).filter((x) => x.snapshot !== null);
  const out: AccountToken[] = [];
  for (const habilitation of habilitations) {
    const tokens = (await h.lifecycle.tokens(habilitation.id, actor)) ?? [];
    const revealed = new Set(
      tokens.length === 0
        ? []
        : (await h.db.selectFrom('habilitation_tokens').select('jti').where('jti', 'in', tokens.map((t) => t.jti)).where('revealed_at', 'is not', null).execute()).map((r) => r.jti),
    );
    for (const t of tokens) {
      out.push({
        ...t,
        habilitationTitle: habilitation.snapshot?.title ?? '',
        revealed: revealed.has(t.jti),
        expiresLabel: frenchDate(t.expiresAt, true),
        lastUsedLabel: t.lastUsedAt === null ? 'jamais utilisé' : frenchDate(t.lastUsedAt, true),
        stateLabel: t.state === 'active' && t.revokedAt !== null ? `Actif jusqu’au ${frenchDate(t.revokedAt, true)}` : STATE_LABELS[t.state],
        rateLimitLabel: rateLimitLabel(t.rateLimitPerSecond, h.rateLimit.defaultPerSecond),
      });
    }
  }
  return out;
}

/** One token of this applicant, or undefined. */
export async function accountToken(h: Habilitations, actor: ServiceActor, jti: string): Promise<AccountToken | undefined> {
  return (await accountTokens(h, actor)).find((t) => t.jti === jti);
}
