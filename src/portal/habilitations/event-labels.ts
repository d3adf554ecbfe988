/**
 * French labels of the habilitation event log (src/habilitations/state-machine.ts and the token
 * lifecycle), for the history shown to applicants and instructors.
 */
import { rateLimitLabel } from '../../habilitations/rate-limit-field.ts';
export const EVENT_LABELS: Readonly<Record<string, string>> = {
  create: 'Demande créée',
  submit: 'Demande soumise',
  request_changes: 'Modifications demandées',
  provider_approve: 'Avis favorable du fournisseur de données',
  approve: 'Demande validée, jeton émis',
  refuse: 'Demande refusée',
  revoke: 'Habilitation révoquée',
  archive: 'Demande archivée',
  request_prolongation: 'Prolongation demandée',
  validate_prolongation: 'Prolongation validée, nouveau jeton émis',
  refuse_prolongation: 'Prolongation refusée',
  reveal_token: 'Jeton affiché',
  rotate_token: 'Jeton renouvelé (rotation)',
  revoke_token: 'Jeton révoqué',
  create_magic_link: 'Lien à usage unique créé',
  redeem_magic_link: 'Lien à usage unique ouvert',
  notices_opt_out: 'Rappels d’expiration arrêtés pour un jeton',
  change_rate_limit: 'Débit maximal modifié',
};

export const ACTOR_LABELS: Readonly<Record<string, string>> = {
  applicant: 'demandeur',
  instructor: 'instructeur',
  provider_reviewer: 'fournisseur de données',
  administrator: 'administrateur',
};

/** The label of an event, or its code when new. */
export function eventLabel(event: string): string {
  return EVENT_LABELS[event] ?? event;
}

/** A history line's detail from the event's data: the rate limit set at approval, or old → new (ADR 0117). */
export function eventDetail(event: { event: string; data: Record<string, unknown> | null }, defaultPerSecond: number): string | undefined {
  const data = event.data ?? {};
  const limit = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  const byDefault = typeof data.defaultPerSecond === 'number' ? data.defaultPerSecond : defaultPerSecond;
  if (event.event === 'change_rate_limit') return `${rateLimitLabel(limit(data.from), byDefault)} → ${rateLimitLabel(limit(data.to), byDefault)}`;
  if (event.event === 'approve' && limit(data.rateLimitPerSecond) !== null) return `débit maximal : ${rateLimitLabel(limit(data.rateLimitPerSecond), byDefault)}`;
  return undefined;
}
