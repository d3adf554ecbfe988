/**
 * The habilitation state machine (issue 5 §6, STYLE §8): a table of transitions, pure, no I/O.
 * `transition(state, event, actor)` answers the next state and the effects the service must run
 * after committing, or a refusal with a French reason. ADR 0110.
 */

export const STATUSES = ['draft', 'submitted', 'changes_requested', 'validated', 'refused', 'revoked', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

export const ROLES = ['applicant', 'instructor', 'provider_reviewer', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** What the service does once the transition is committed (or inside the same transaction). */
export type Effect =
  | 'notify_instructors'
  | 'notify_applicant'
  | 'freeze_snapshot'
  | 'issue_token'
  | 'revoke_tokens'
  | 'record_provider_approval'
  | 'open_prolongation'
  | 'issue_prolongation_token'
  | 'update_token_limits';

interface TransitionRule {
  from: readonly Status[];
  to: Status | 'same';
  roles: readonly Role[];
  /** A message to the applicant is mandatory (request changes, refuse, revoke). */
  needsMessage?: boolean;
  effects: readonly Effect[];
}

export const transitions = {
  submit: { from: ['draft', 'changes_requested'], to: 'submitted', roles: ['applicant'], effects: ['notify_instructors'] },
  request_changes: {
    from: ['submitted'],
    to: 'changes_requested',
    roles: ['instructor', 'provider_reviewer', 'administrator'],
    needsMessage: true,
    effects: ['notify_applicant'],
  },
  provider_approve: { from: ['submitted'], to: 'same', roles: ['provider_reviewer'], effects: ['record_provider_approval'] },
  approve: {
    from: ['submitted'],
    to: 'validated',
    roles: ['instructor', 'administrator'],
    effects: ['freeze_snapshot', 'issue_token', 'notify_applicant'],
  },
  refuse: {
    from: ['submitted'],
    to: 'refused',
    roles: ['instructor', 'provider_reviewer', 'administrator'],
    needsMessage: true,
    effects: ['notify_applicant'],
  },
  revoke: {
    from: ['validated'],
    to: 'revoked',
    roles: ['instructor', 'administrator'],
    needsMessage: true,
    effects: ['revoke_tokens', 'notify_applicant'],
  },
  /** The applicant abandons a request not yet decided; an operator files away a closed one. */
  archive: { from: ['draft', 'changes_requested', 'refused', 'revoked'], to: 'archived', roles: ['applicant', 'administrator'], effects: [] },
  request_prolongation: { from: ['validated'], to: 'same', roles: ['applicant'], effects: ['open_prolongation', 'notify_instructors'] },
  validate_prolongation: {
    from: ['validated'],
    to: 'same',
    roles: ['instructor', 'administrator'],
    effects: ['issue_prolongation_token', 'notify_applicant'],
  },
  refuse_prolongation: {
    from: ['validated'],
    to: 'same',
    roles: ['instructor', 'administrator'],
    needsMessage: true,
    effects: ['notify_applicant'],
  },
  /** A new rate limit for the habilitation and its live tokens (ADR 0117); set at approval too. */
  change_rate_limit: { from: ['validated'], to: 'same', roles: ['instructor', 'administrator'], effects: ['update_token_limits'] },
} as const satisfies Record<string, TransitionRule>;

export type HabilitationEvent = keyof typeof transitions;
export const EVENTS = Object.keys(transitions) as HabilitationEvent[];

export interface MachineState {
  status: Status;
  /** The product's provider reviews too (the CNAM): approval waits for its agreement. */
  requiresProviderReview: boolean;
  providerApproved: boolean;
}

export interface Actor {
  role: Role;
  /** Who, for the event log (an e-mail or a user id). */
  id: string;
}

export type RefusalCode = 'unknown_event' | 'wrong_status' | 'wrong_role' | 'message_required' | 'provider_review_pending' | 'no_provider_review';

export type TransitionResult =
  | { ok: true; state: MachineState; effects: readonly Effect[] }
  | { ok: false; code: RefusalCode; message: string };

const STATUS_LABELS: Record<Status, string> = {
  draft: 'brouillon',
  submitted: 'soumise',
  changes_requested: 'modifications demandées',
  validated: 'validée',
  refused: 'refusée',
  revoked: 'révoquée',
  archived: 'archivée',
};

/** French label of a status, for pages and mails. */
export function statusLabel(status: Status): string {
  return STATUS_LABELS[status];
}

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

export function isEvent(value: string): value is HabilitationEvent {
  return Object.hasOwn(transitions, value);
}

/**
 * The next state, or why not.
 * @example
 * transition({ status: 'draft', requiresProviderReview: false, providerApproved: false }, 'submit', { role: 'applicant', id: 'a@x.fr' })
 * // → { ok: true, state: { status: 'submitted', … }, effects: ['notify_instructors'] }
 */
export function transition(state: MachineState, event: string, actor: Actor, message?: string): TransitionResult {
  if (!isEvent(event)) return { ok: false, code: 'unknown_event', message: `Action inconnue : ${event}.` };
  const rule: TransitionRule = transitions[event];
  if (!rule.roles.includes(actor.role)) {
    return { ok: false, code: 'wrong_role', message: 'Votre rôle ne permet pas cette action.' };
  }
  if (!rule.from.includes(state.status)) {
    return { ok: false, code: 'wrong_status', message: `Action impossible sur une demande ${statusLabel(state.status)}.` };
  }
  if (rule.needsMessage && (message === undefined || message.trim() === '')) {
    return { ok: false, code: 'message_required', message: 'Un message au demandeur est obligatoire.' };
  }
  if (event === 'provider_approve' && !state.requiresProviderReview) {
    return { ok: false, code: 'no_provider_review', message: 'Cette demande ne passe pas par une validation du fournisseur.' };
  }
  if (event === 'approve' && state.requiresProviderReview && !state.providerApproved) {
    return { ok: false, code: 'provider_review_pending', message: 'Le fournisseur de données doit d’abord valider la demande.' };
  }
  const status = rule.to === 'same' ? state.status : rule.to;
  // A request sent back for changes is reviewed again by the provider once resubmitted.
  const providerApproved = event === 'provider_approve' ? true : event === 'request_changes' ? false : state.providerApproved;
  return { ok: true, state: { ...state, status, providerApproved }, effects: rule.effects };
}
