/**
 * The token lifecycle of a habilitation (issue 5 §7): reveal once, rotation with a chosen overlap,
 * revocation now or later, prolongation (a short form validated by an instructor, which issues a new
 * 18-month token while the old one keeps working), a single-use 4-hour magic link, and the per-token
 * opt-out of expiry notices. Every step leaves a row in the habilitation's event log. ADR 0113–0114.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { signToken } from '../tokens/issue-token.ts';
import type { Keyring } from '../tokens/keyring.ts';
import { tokenState, type TokenRecord } from '../tokens/token-record.ts';
import { isUuid } from '../tokens/token-repository.ts';
import type { FormInput } from './form-fields.ts';
import { appendEvent, findHabilitation, updateHabilitation, type Habilitation } from './habilitation-repository.ts';
import { isMember, type HabilitationService, type Outcome, type Refusal, type ServiceActor } from './habilitation-service.ts';
import { issueForHabilitation, optOutKey, optOutKeyMatches, tokenRepositoryOf, tokensOfHabilitation, type HabilitationTokenView } from './habilitation-tokens.ts';
import { productById } from './products.ts';
import { validateStep } from './request-form.ts';
import type { Snapshot } from './snapshot.ts';
import { transition, type Effect } from './state-machine.ts';
import type { HabilitationDb } from './tables.ts';

export const MAGIC_LINK_LIFETIME_MS = 4 * 3600_000;

export interface TokenLifecycleDeps {
  db: HabilitationDb;
  keyring: Keyring;
  now: () => Date;
  service: HabilitationService;
  forgetVerifiedTokens: () => void;
}

const refusal = (code: string, message: string, errors?: Record<string, string>): Refusal => ({ ok: false, code, message, ...(errors ? { errors } : {}) });
const unknownToken = (): Refusal => refusal('not_found', 'Jeton introuvable.');
const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

interface Owned {
  record: TokenRecord;
  habilitation: Habilitation;
  replacedBy: string | null;
  revealedAt: Date | null;
}

export class TokenLifecycle {
  readonly #deps: TokenLifecycleDeps;

  constructor(deps: TokenLifecycleDeps) {
    this.#deps = deps;
  }

  /** The tokens of a habilitation the actor may see (members, instructors, administrators). */
  async tokens(habilitationId: string, actor: ServiceActor): Promise<HabilitationTokenView[] | undefined> {
    const h = await findHabilitation(this.#deps.db, habilitationId);
    if (h === undefined || !isMember(h, actor)) return undefined;
    return tokensOfHabilitation(this.#deps.db, habilitationId, this.#deps.now());
  }

  /** Shows the JWT to a member of the habilitation, once (ADR 0113). */
  async reveal(jti: string, actor: ServiceActor): Promise<Outcome<{ token: string }>> {
    if (actor.role !== 'applicant') return refusal('wrong_role', 'Seul le demandeur reçoit le jeton.');
    return this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ token: string }>> => {
      const owned = await this.#owned(trx, jti, actor, { forUpdate: true });
      if (owned === undefined) return unknownToken();
      if (owned.revealedAt !== null) {
        return refusal('already_revealed', 'Ce jeton a déjà été affiché. Pour le transmettre, envoyez un lien à usage unique ; en cas de perte, faites-en une rotation.');
      }
      if (tokenState(owned.record, this.#deps.now()) !== 'active') return refusal('inactive', 'Ce jeton n’est plus actif.');
      await trx.updateTable('habilitation_tokens').set({ revealed_at: this.#deps.now() }).where('jti', '=', jti).execute();
      await this.#log(trx, owned.habilitation, 'reveal_token', actor, { tokenJti: jti });
      return { ok: true, token: await signToken(owned.record, this.#deps.keyring) };
    });
  }

  /**
   * A new token with the same grants and the same expiry; the old one is revoked at `overlapUntil`,
   * so the switch needs no downtime (U12).
   */
  async rotate(jti: string, actor: ServiceActor, overlapUntil: Date): Promise<Outcome<{ jti: string; token?: string }>> {
    if (actor.role === 'provider_reviewer') return refusal('wrong_role', 'Votre rôle ne permet pas cette action.');
    const now = this.#deps.now();
    return this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ jti: string; token?: string }>> => {
      const owned = await this.#owned(trx, jti, actor, { forUpdate: true });
      if (owned === undefined) return unknownToken();
      const { record, habilitation } = owned;
      if (habilitation.status !== 'validated' || habilitation.snapshot === null) return refusal('wrong_status', 'L’habilitation n’est plus validée.');
      if (owned.replacedBy !== null || tokenState(record, now) !== 'active') return refusal('inactive', 'Seul un jeton actif et non remplacé peut être renouvelé.');
      if (Number.isNaN(overlapUntil.getTime()) || overlapUntil.getTime() <= now.getTime()) {
        return refusal('invalid', 'Date invalide.', { overlapUntil: 'Choisissez une date de fin de chevauchement dans le futur.' });
      }
      if (overlapUntil.getTime() > record.expiresAt.getTime()) {
        return refusal('invalid', 'Date invalide.', { overlapUntil: 'La fin du chevauchement doit précéder l’expiration du jeton actuel.' });
      }
      // The habilitation's current rate limit (its row is locked: a concurrent change waits for us).
      const issued = await issueForHabilitation(trx, { id: habilitation.id, snapshot: habilitation.snapshot, rateLimitPerSecond: habilitation.rateLimitPerSecond }, 'rotation', {
        keyring: this.#deps.keyring,
        now: this.#deps.now,
        expiresAt: record.expiresAt,
      });
      await tokenRepositoryOf(trx).revoke(jti, overlapUntil);
      await trx.updateTable('habilitation_tokens').set({ replaced_by: issued.record.jti }).where('jti', '=', jti).execute();
      const revealed = actor.role === 'applicant';
      if (revealed) await trx.updateTable('habilitation_tokens').set({ revealed_at: now }).where('jti', '=', issued.record.jti).execute();
      await this.#log(trx, habilitation, 'rotate_token', actor, { tokenJti: jti, newTokenJti: issued.record.jti, overlapUntil: overlapUntil.toISOString() });
      return { ok: true, jti: issued.record.jti, ...(revealed ? { token: issued.token } : {}) };
    }).finally(() => this.#deps.forgetVerifiedTokens());
  }

  /** Revokes now, or at a future instant (the token works until then). */
  async revoke(jti: string, actor: ServiceActor, at?: Date): Promise<Outcome<{ revokedAt: Date }>> {
    if (actor.role === 'provider_reviewer') return refusal('wrong_role', 'Votre rôle ne permet pas cette action.');
    const now = this.#deps.now();
    const when = at ?? now;
    const outcome = await this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ revokedAt: Date }>> => {
      const owned = await this.#owned(trx, jti, actor, { forUpdate: true });
      if (owned === undefined) return unknownToken();
      if (Number.isNaN(when.getTime()) || when.getTime() < now.getTime() - 1000) {
        return refusal('invalid', 'Date invalide.', { revokeAt: 'La date de révocation ne peut pas être passée.' });
      }
      if (tokenState(owned.record, now) !== 'active') return refusal('inactive', 'Ce jeton n’est déjà plus actif.');
      const record = await tokenRepositoryOf(trx).revoke(jti, when);
      await this.#log(trx, owned.habilitation, 'revoke_token', actor, { tokenJti: jti, revokeAt: when.toISOString() });
      return { ok: true, revokedAt: record?.revokedAt ?? when };
    });
    if (outcome.ok) this.#deps.forgetVerifiedTokens();
    return outcome;
  }

  /**
   * The prolongation form (U16): nothing changed, or updated contacts. A change of scopes is a new
   * request instead. Validated by an instructor (`decideProlongation`).
   */
  async requestProlongation(habilitationId: string, actor: ServiceActor, input: { tokenJti: string; contacts?: FormInput }): Promise<Outcome<{ prolongationId: string }>> {
    const pending: Array<{ effect: Effect; h: Habilitation }> = [];
    const outcome = await this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ prolongationId: string }>> => {
      const h = await findHabilitation(trx, habilitationId, { forUpdate: true });
      if (h === undefined || !isMember(h, actor)) return refusal('not_found', 'Habilitation introuvable.');
      const moved = transition({ status: h.status, requiresProviderReview: false, providerApproved: false }, 'request_prolongation', actor);
      if (!moved.ok) return refusal(moved.code, moved.message);
      const owned = await this.#owned(trx, input.tokenJti, actor);
      if (owned === undefined || owned.habilitation.id !== h.id) return refusal('invalid', 'Jeton invalide.', { tokenJti: 'Choisissez un jeton de cette habilitation.' });
      if (owned.replacedBy !== null || tokenState(owned.record, this.#deps.now()) !== 'active') {
        return refusal('invalid', 'Jeton invalide.', { tokenJti: 'Ce jeton n’est plus actif ou a déjà été remplacé.' });
      }
      const open = await trx.selectFrom('prolongations').select('id').where('habilitation_id', '=', h.id).where('status', '=', 'pending').executeTakeFirst();
      if (open !== undefined) return refusal('already_pending', 'Une demande de prolongation est déjà en cours d’instruction.');
      let contacts: Record<string, unknown> | null = null;
      if (input.contacts !== undefined) {
        const checked = validateStep('contacts', input.contacts, { product: productById(h.product)!, kind: h.organisationKind as never, registry: [] });
        if (!checked.ok) return refusal('invalid', 'Certains champs sont à corriger.', checked.errors);
        contacts = checked.value;
      }
      const id = randomUUID();
      const now = this.#deps.now();
      await trx
        .insertInto('prolongations')
        .values({ id, habilitation_id: h.id, token_jti: input.tokenJti, status: 'pending', contacts: contacts === null ? null : JSON.stringify(contacts), requested_by: actor.id, requested_at: now })
        .execute();
      await this.#log(trx, h, 'request_prolongation', actor, { prolongationId: id, tokenJti: input.tokenJti, contactsUpdated: contacts !== null });
      for (const effect of moved.effects) pending.push({ effect, h });
      return { ok: true, prolongationId: id };
    });
    if (outcome.ok) await this.#deps.service.notify(pending, 'request_prolongation');
    return outcome;
  }

  /** Pending prolongations, oldest first (the instructor's queue). */
  async pendingProlongations(): Promise<Array<{ id: string; habilitationId: string; tokenJti: string; requestedAt: Date; contactsUpdated: boolean }>> {
    const rows = await this.#deps.db.selectFrom('prolongations').selectAll().where('status', '=', 'pending').orderBy('requested_at').execute();
    return rows.map((r) => ({ id: r.id, habilitationId: r.habilitation_id, tokenJti: r.token_jti, requestedAt: r.requested_at, contactsUpdated: r.contacts !== null }));
  }

  /**
   * Validating issues a new token valid 18 months with the snapshot's grants (contacts updated if
   * asked); the old token keeps working until its own expiry and gets no more notices.
   */
  async decideProlongation(prolongationId: string, actor: ServiceActor, decision: 'validate' | 'refuse', message?: string): Promise<Outcome<{ tokenJti?: string }>> {
    if (!isUuid(prolongationId)) return refusal('not_found', 'Demande de prolongation introuvable.');
    const pending: Array<{ effect: Effect; h: Habilitation }> = [];
    const event = decision === 'validate' ? 'validate_prolongation' : 'refuse_prolongation';
    const outcome = await this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ tokenJti?: string }>> => {
      const p = await trx.selectFrom('prolongations').selectAll().where('id', '=', prolongationId).forUpdate().executeTakeFirst();
      if (p === undefined) return refusal('not_found', 'Demande de prolongation introuvable.');
      if (p.status !== 'pending') return refusal('wrong_status', 'Cette demande de prolongation a déjà été instruite.');
      const h = await findHabilitation(trx, p.habilitation_id, { forUpdate: true });
      if (h === undefined || h.snapshot === null) return refusal('not_found', 'Habilitation introuvable.');
      const moved = transition({ status: h.status, requiresProviderReview: false, providerApproved: false }, event, actor, message);
      if (!moved.ok) return refusal(moved.code, moved.message);
      const now = this.#deps.now();
      let newJti: string | undefined;
      let snapshot: Snapshot = h.snapshot;
      if (decision === 'validate') {
        const contacts = p.contacts === null ? null : (typeof p.contacts === 'string' ? JSON.parse(p.contacts) : p.contacts);
        if (contacts !== null) {
          snapshot = { ...h.snapshot, contacts };
          await updateHabilitation(trx, h.id, { snapshot, updatedAt: now });
        }
        const issued = await issueForHabilitation(trx, { id: h.id, snapshot, rateLimitPerSecond: h.rateLimitPerSecond }, 'prolongation', { keyring: this.#deps.keyring, now: this.#deps.now });
        newJti = issued.record.jti;
        await trx.updateTable('habilitation_tokens').set({ replaced_by: newJti }).where('jti', '=', p.token_jti).execute();
      }
      await trx
        .updateTable('prolongations')
        .set({ status: decision === 'validate' ? 'validated' : 'refused', decided_by: actor.id, decided_at: now, new_token_jti: newJti ?? null })
        .where('id', '=', prolongationId)
        .execute();
      await this.#log(trx, h, event, actor, { prolongationId, tokenJti: p.token_jti, ...(newJti ? { newTokenJti: newJti } : {}) }, message);
      for (const effect of moved.effects) pending.push({ effect, h: { ...h, snapshot } });
      return { ok: true, ...(newJti ? { tokenJti: newJti } : {}) };
    });
    if (outcome.ok) await this.#deps.service.notify(pending, event, message);
    return outcome;
  }

  /** The "stop these reminders" link of one token (U14): works without signing in. */
  async optOut(jti: string, key: string): Promise<Outcome> {
    if (!isUuid(jti)) return unknownToken();
    return this.#deps.db.transaction().execute(async (trx): Promise<Outcome> => {
      const record = await tokenRepositoryOf(trx).findByJti(jti);
      const link = await trx.selectFrom('habilitation_tokens').select(['habilitation_id', 'notices_opt_out_at']).where('jti', '=', jti).executeTakeFirst();
      if (record === undefined || link === undefined || !optOutKeyMatches(key, optOutKey(jti, record.kid, this.#deps.keyring))) {
        return refusal('invalid_link', 'Ce lien de désabonnement n’est pas valide.');
      }
      if (link.notices_opt_out_at === null) {
        await trx.updateTable('habilitation_tokens').set({ notices_opt_out_at: this.#deps.now() }).where('jti', '=', jti).execute();
        const h = await findHabilitation(trx, link.habilitation_id);
        if (h !== undefined) await this.#log(trx, h, 'notices_opt_out', { role: 'applicant', id: 'lien de désabonnement' }, { tokenJti: jti });
      }
      return { ok: true };
    });
  }

  /** A single-use link valid 4 hours to hand the token to a colleague (U18); only its hash is stored. */
  async createMagicLink(jti: string, actor: ServiceActor): Promise<Outcome<{ secret: string; expiresAt: Date }>> {
    if (actor.role !== 'applicant') return refusal('wrong_role', 'Seul le demandeur transmet son jeton.');
    return this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ secret: string; expiresAt: Date }>> => {
      const owned = await this.#owned(trx, jti, actor);
      if (owned === undefined) return unknownToken();
      const now = this.#deps.now();
      if (tokenState(owned.record, now) !== 'active') return refusal('inactive', 'Ce jeton n’est plus actif.');
      const secret = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + MAGIC_LINK_LIFETIME_MS);
      await trx.insertInto('magic_links').values({ hash: hashOf(secret), jti, created_by: actor.id, created_at: now, expires_at: expiresAt, used_at: null }).execute();
      await this.#log(trx, owned.habilitation, 'create_magic_link', actor, { tokenJti: jti, expiresAt: expiresAt.toISOString() });
      return { ok: true, secret, expiresAt };
    });
  }

  /** Opens a magic link: the token once, then the link is spent. */
  async redeemMagicLink(secret: string): Promise<Outcome<{ token: string; jti: string; expiresAt: Date }>> {
    if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return refusal('invalid_link', 'Ce lien n’est pas valide.');
    return this.#deps.db.transaction().execute(async (trx): Promise<Outcome<{ token: string; jti: string; expiresAt: Date }>> => {
      const now = this.#deps.now();
      const link = await trx.selectFrom('magic_links').selectAll().where('hash', '=', hashOf(secret)).forUpdate().executeTakeFirst();
      if (link === undefined) return refusal('invalid_link', 'Ce lien n’est pas valide.');
      if (link.used_at !== null) return refusal('used_link', 'Ce lien a déjà été utilisé : demandez-en un nouveau.');
      if (link.expires_at.getTime() <= now.getTime()) return refusal('expired_link', 'Ce lien a expiré (4 heures) : demandez-en un nouveau.');
      const record = await tokenRepositoryOf(trx).findByJti(link.jti);
      if (record === undefined || tokenState(record, now) !== 'active') return refusal('inactive', 'Ce jeton n’est plus actif.');
      await trx.updateTable('magic_links').set({ used_at: now }).where('hash', '=', link.hash).execute();
      await trx.updateTable('habilitation_tokens').set({ revealed_at: now }).where('jti', '=', link.jti).where('revealed_at', 'is', null).execute();
      const habilitationId = (await trx.selectFrom('habilitation_tokens').select('habilitation_id').where('jti', '=', link.jti).executeTakeFirst())?.habilitation_id;
      const h = habilitationId === undefined ? undefined : await findHabilitation(trx, habilitationId);
      if (h !== undefined) await this.#log(trx, h, 'redeem_magic_link', { role: 'applicant', id: 'lien à usage unique' }, { tokenJti: link.jti });
      return { ok: true, token: await signToken(record, this.#deps.keyring), jti: record.jti, expiresAt: record.expiresAt };
    });
  }

  async #owned(db: HabilitationDb, jti: string, actor: ServiceActor, options: { forUpdate?: boolean } = {}): Promise<Owned | undefined> {
    if (!isUuid(jti)) return undefined;
    let query = db.selectFrom('habilitation_tokens').select(['habilitation_id', 'replaced_by', 'revealed_at']).where('jti', '=', jti);
    if (options.forUpdate) query = query.forUpdate();
    const link = await query.executeTakeFirst();
    if (link === undefined) return undefined;
    const record = await tokenRepositoryOf(db).findByJti(jti);
    // Locked too, so that a token issued here (rotation) carries the habilitation's current rate limit.
    const habilitation = await findHabilitation(db, link.habilitation_id, options);
    if (record === undefined || habilitation === undefined || !isMember(habilitation, actor)) return undefined;
    return { record, habilitation, replacedBy: link.replaced_by, revealedAt: link.revealed_at };
  }

  async #log(db: HabilitationDb, h: Habilitation, event: string, actor: ServiceActor, data: Record<string, unknown>, message?: string): Promise<void> {
    await appendEvent(db, { habilitationId: h.id, at: this.#deps.now(), event, actorRole: actor.role, actor: actor.id, fromStatus: h.status, toStatus: h.status, data, ...(message ? { message } : {}) });
  }
}
