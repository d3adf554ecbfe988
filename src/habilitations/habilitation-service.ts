/**
 * The effectful side of habilitations (STYLE §8): applies the pure state machine in one database
 * transaction with its append-only event row, then runs the effects — freeze the snapshot and
 * issue the token on approval, revoke the tokens on revocation, mail the people concerned.
 * Results are data: `{ok:false, code, message, errors?}` for every refusal, never an exception.
 */
import { randomUUID } from 'node:crypto';
import type { ProviderManifest } from '../core/endpoint.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Keyring } from '../tokens/keyring.ts';
import type { FieldErrors, FormInput } from './form-fields.ts';
import {
  appendEvent,
  eventsOf,
  findHabilitation,
  insertHabilitation,
  listHabilitations,
  updateHabilitation,
  type Habilitation,
  type HabilitationEventRow,
} from './habilitation-repository.ts';
import { issueForHabilitation, tokenRepositoryOf } from './habilitation-tokens.ts';
import { RATE_LIMIT_FIELD, RATE_LIMIT_MESSAGE, isRateLimitSetting } from './rate-limit-field.ts';
import { isOrganisationKind, mayRequest, productById, type OrganisationKind, type Product } from './products.ts';
import { isStep, validateStep, validateSubmission, type HabilitationForm } from './request-form.ts';
import { contactEmails, freezeSnapshot } from './snapshot.ts';
import { transition, type Actor, type Effect, type HabilitationEvent } from './state-machine.ts';
import type { HabilitationDb } from './tables.ts';
import { prefillFrom, type UseCaseTemplate } from './use-case-templates.ts';

/** Who acts: a role, an id for the log, and for applicants their organisation's SIRET when known. */
export interface ServiceActor extends Actor {
  siret?: string;
}

export type Refusal = { ok: false; code: string; message: string; errors?: FieldErrors };
export type Outcome<T extends object = object> = ({ ok: true } & T) | Refusal;

export interface HabilitationServiceDeps {
  db: HabilitationDb;
  keyring: Keyring;
  now: () => Date;
  registry: readonly ProviderManifest[];
  templates: readonly UseCaseTemplate[];
  mailer: Mailer;
  /** Addresses told of new submissions and prolongation requests. */
  instructorEmails: readonly string[];
  /** Drops cached token verifications, so a revocation made here takes effect at once. */
  forgetVerifiedTokens: () => void;
  /** Mails are sent after commit; a failure is reported here and never undoes the decision. */
  onMailError?: (error: unknown) => void;
}

const refusal = (code: string, message: string, errors?: FieldErrors): Refusal => ({ ok: false, code, message, ...(errors ? { errors } : {}) });
const notFound = (): Refusal => refusal('not_found', 'Demande d’habilitation introuvable.');

/** Applicants act only on their organisation's habilitations (U20: ownership follows the habilitation). */
export function isMember(h: Habilitation, actor: ServiceActor): boolean {
  if (actor.role !== 'applicant') return true;
  if (h.createdBy === actor.id) return true;
  if (actor.siret !== undefined && h.siret !== null && actor.siret === h.siret) return true;
  const contacts = h.snapshot?.contacts ?? h.form.contacts;
  return contacts !== undefined && Object.values(contacts).some((c) => c.email === actor.id.toLowerCase());
}

export class HabilitationService {
  readonly #deps: HabilitationServiceDeps;

  constructor(deps: HabilitationServiceDeps) {
    this.#deps = deps;
  }

  get templates(): readonly UseCaseTemplate[] {
    return this.#deps.templates.filter((t) => !t.retired);
  }

  /** Starts a draft, pre-filled from a use-case template or a vendor's published form. */
  async createDraft(input: {
    product: string;
    kind: string;
    actor: ServiceActor;
    templateId?: string;
    prefill?: HabilitationForm;
    vendorTemplateId?: string;
  }): Promise<Outcome<{ id: string }>> {
    const product = productById(input.product);
    if (product === undefined) return refusal('invalid', 'API inconnue.', { product: 'Choisissez une API dans la liste.' });
    if (!isOrganisationKind(input.kind)) return refusal('invalid', 'Type d’organisation inconnu.', { kind: 'Indiquez qui vous êtes.' });
    if (!mayRequest(product, input.kind)) {
      return refusal('not_eligible', product.eligibility[input.kind].message, { kind: product.eligibility[input.kind].message });
    }
    let form: HabilitationForm = input.prefill ?? {};
    if (input.templateId !== undefined && input.templateId !== '') {
      const template = this.templates.find((t) => t.id === input.templateId && t.product === product.id);
      if (template === undefined) return refusal('invalid', 'Modèle inconnu.', { templateId: 'Ce modèle n’existe pas pour cette API.' });
      form = { ...form, ...prefillFrom(template) };
    }
    const now = this.#deps.now();
    const id = randomUUID();
    const habilitation: Habilitation = {
      id,
      product: product.id,
      organisationKind: input.kind,
      siret: form.organisation?.siret ?? null,
      status: 'draft',
      providerApproved: false,
      form,
      snapshot: null,
      vendorTemplateId: input.vendorTemplateId ?? null,
      createdBy: input.actor.id.toLowerCase(),
      createdAt: now,
      updatedAt: now,
      rateLimitPerSecond: null,
    };
    await this.#deps.db.transaction().execute(async (trx) => {
      await insertHabilitation(trx, habilitation);
      await appendEvent(trx, { habilitationId: id, at: now, event: 'create', actorRole: input.actor.role, actor: habilitation.createdBy, fromStatus: 'draft', toStatus: 'draft', data: { templateId: input.templateId ?? null, vendorTemplateId: input.vendorTemplateId ?? null } });
    });
    return { ok: true, id };
  }

  async get(id: string): Promise<Habilitation | undefined> {
    return findHabilitation(this.#deps.db, id);
  }

  async events(id: string): Promise<HabilitationEventRow[]> {
    return eventsOf(this.#deps.db, id);
  }

  /** Habilitations an applicant may see: created by them or of their organisation. */
  async listFor(actor: ServiceActor): Promise<Habilitation[]> {
    const mine = await listHabilitations(this.#deps.db, { createdBy: actor.id.toLowerCase() });
    const ours = actor.siret === undefined ? [] : await listHabilitations(this.#deps.db, { siret: actor.siret });
    const byId = new Map([...mine, ...ours].map((h) => [h.id, h]));
    return [...byId.values()];
  }

  /** The review queue: submitted requests; for a provider reviewer, those waiting for the provider. */
  async queue(role: 'instructor' | 'provider_reviewer' | 'administrator'): Promise<Habilitation[]> {
    const submitted = await listHabilitations(this.#deps.db, { statuses: ['submitted'] });
    if (role !== 'provider_reviewer') return submitted;
    return submitted.filter((h) => productById(h.product)?.providerReview === true && !h.providerApproved);
  }

  /** Saves one step of a draft when valid; otherwise returns the field messages and saves nothing. */
  async saveStep(id: string, step: string, input: FormInput, actor: ServiceActor): Promise<Outcome> {
    if (!isStep(step)) return refusal('invalid', 'Étape inconnue.');
    return this.#deps.db.transaction().execute(async (trx): Promise<Outcome> => {
      const h = await findHabilitation(trx, id, { forUpdate: true });
      if (h === undefined || !isMember(h, actor)) return notFound();
      if (actor.role !== 'applicant') return refusal('wrong_role', 'Seul le demandeur modifie sa demande.');
      if (h.status !== 'draft' && h.status !== 'changes_requested') return refusal('wrong_status', 'Cette demande ne peut plus être modifiée.');
      const checked = validateStep(step, input, this.#context(h));
      if (!checked.ok) return refusal('invalid', 'Certains champs sont à corriger.', checked.errors);
      const form = { ...h.form, [step]: checked.value };
      const siret = step === 'organisation' ? (checked.value as { siret: string }).siret : undefined;
      await updateHabilitation(trx, id, { form, updatedAt: this.#deps.now(), ...(siret === undefined ? {} : { siret }) });
      return { ok: true };
    });
  }

  /**
   * Applies an event of the state machine. On approval, the answer names the token issued; its JWT
   * is revealed once to the applicant (`TokenLifecycle.reveal`), never to the instructor (ADR 0113).
   * `options.rateLimitPerSecond` (approval only) is the habilitation's rate limit, null or absent:
   * the service default (ADR 0117).
   */
  async act(
    id: string,
    event: HabilitationEvent,
    actor: ServiceActor,
    message?: string,
    options: { rateLimitPerSecond?: number | null } = {},
  ): Promise<Outcome<{ status: string; tokenJti?: string }>> {
    const rateLimit = event === 'approve' ? (options.rateLimitPerSecond ?? null) : undefined;
    if (rateLimit !== undefined && !isRateLimitSetting(rateLimit)) return refusal('invalid', 'Certains champs sont à corriger.', { [RATE_LIMIT_FIELD]: RATE_LIMIT_MESSAGE });
    const pending: Array<{ effect: Effect; h: Habilitation }> = [];
    const outcome = await this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ status: string; tokenJti?: string }>> => {
      const h = await findHabilitation(trx, id, { forUpdate: true });
      if (h === undefined || !isMember(h, actor)) return notFound();
      const product = productById(h.product) as Product;
      const result = transition({ status: h.status, requiresProviderReview: product.providerReview, providerApproved: h.providerApproved }, event, actor, message);
      if (!result.ok) return refusal(result.code, result.message);
      const now = this.#deps.now();
      let token: { jti: string } | undefined;
      let snapshot = h.snapshot;
      if (event === 'submit' || event === 'approve') {
        const checked = validateSubmission(h.form, this.#context(h));
        if (!checked.ok) return refusal('invalid', 'La demande est incomplète ou contient des erreurs.', checked.errors);
        if (result.effects.includes('freeze_snapshot')) {
          snapshot = freezeSnapshot(checked.value, { product: h.product, organisationKind: h.organisationKind, approvedAt: now, approvedBy: actor.id });
        }
      }
      await updateHabilitation(trx, id, {
        status: result.state.status,
        providerApproved: result.state.providerApproved,
        snapshot,
        updatedAt: now,
        ...(rateLimit === undefined ? {} : { rateLimitPerSecond: rateLimit }),
      });
      if (result.effects.includes('issue_token') && snapshot !== null) {
        const issued = await issueForHabilitation(trx, { id, snapshot, rateLimitPerSecond: rateLimit ?? null }, 'approval', { keyring: this.#deps.keyring, now: this.#deps.now });
        token = { jti: issued.record.jti };
      }
      if (result.effects.includes('revoke_tokens')) {
        const rows = await trx.selectFrom('habilitation_tokens').select('jti').where('habilitation_id', '=', id).execute();
        const repository = tokenRepositoryOf(trx);
        for (const { jti } of rows) await repository.revoke(jti, now);
      }
      await appendEvent(trx, {
        habilitationId: id,
        at: now,
        event,
        actorRole: actor.role,
        actor: actor.id,
        fromStatus: h.status,
        toStatus: result.state.status,
        ...(message === undefined || message.trim() === '' ? {} : { message: message.trim() }),
        ...(token === undefined ? {} : { data: { tokenJti: token.jti, ...((rateLimit ?? null) === null ? {} : { rateLimitPerSecond: rateLimit }) } }),
      });
      const after = { ...h, status: result.state.status, snapshot };
      for (const effect of result.effects) pending.push({ effect, h: after });
      return { ok: true, status: result.state.status, ...(token === undefined ? {} : { tokenJti: token.jti }) };
    });
    if (outcome.ok) {
      if (event === 'revoke') this.#deps.forgetVerifiedTokens();
      await this.notify(pending, event, message);
    }
    return outcome;
  }

  #context(h: Habilitation) {
    return { product: productById(h.product) as Product, kind: h.organisationKind as OrganisationKind, registry: this.#deps.registry };
  }

  /** Sends the mails of committed effects (used by the token lifecycle too). */
  async notify(pending: Array<{ effect: Effect; h: Habilitation }>, event: string, message?: string): Promise<void> {
    for (const { effect, h } of pending) {
      const title = h.snapshot?.title ?? h.form.use_case?.title ?? 'demande d’habilitation';
      let mail: { to: string[]; subject: string; text: string } | undefined;
      if (effect === 'notify_instructors' && this.#deps.instructorEmails.length > 0) {
        mail = {
          to: [...this.#deps.instructorEmails],
          subject: event === 'request_prolongation' ? `Demande de prolongation : ${title}` : `Nouvelle demande d’habilitation : ${title}`,
          text: `La demande ${h.id} (« ${title} ») attend votre instruction.`,
        };
      } else if (effect === 'notify_applicant') {
        const to = [...new Set([h.createdBy, ...(h.snapshot ? contactEmails(h.snapshot) : [])])].filter((e) => e.includes('@'));
        if (to.length > 0) mail = { to, subject: `Votre demande d’habilitation « ${title} » : ${APPLICANT_SUBJECTS[event] ?? event}`, text: applicantText(h.id, event, message) };
      }
      if (mail === undefined) continue;
      try {
        await this.#deps.mailer.send(mail);
      } catch (error) {
        this.#deps.onMailError?.(error);
      }
    }
  }

}

const APPLICANT_SUBJECTS: Record<string, string> = {
  request_changes: 'modifications demandées',
  approve: 'validée',
  refuse: 'refusée',
  revoke: 'révoquée',
  validate_prolongation: 'prolongation validée',
  refuse_prolongation: 'prolongation refusée',
};

function applicantText(id: string, event: string, message?: string): string {
  const lines = [`Votre demande ${id} est ${APPLICANT_SUBJECTS[event] ?? 'mise à jour'}.`];
  if (message !== undefined && message.trim() !== '') lines.push('', 'Message de l’instructeur :', message.trim());
  if (event === 'approve') lines.push('', 'Votre jeton est disponible une seule fois dans votre espace, rubrique « Mes jetons ».');
  return lines.join('\n');
}
