/**
 * French labels of the habilitation event log (src/habilitations/state-machine.ts and the token
 * lifecycle), for the history shown to applicants and instructors.
 */
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
