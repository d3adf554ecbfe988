/**
 * Software vendors (issue 5 §5, U34): a vendor asks to be referenced by describing its software and
 * use case; an instructor publishes it as a vendor template; the vendor shares a link that opens the
 * step-by-step form pre-filled for its clients, who apply themselves (vendors are referenced, never
 * requesters: CRPA). ADR 0116.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ProviderManifest } from '../core/endpoint.ts';
import { isValidSiret } from '../core/siret.ts';
import { isUuid } from '../tokens/token-repository.ts';
import { isEmail, requireText, text, type FieldErrors, type FormInput } from './form-fields.ts';
import type { HabilitationService, Outcome, Refusal, ServiceActor } from './habilitation-service.ts';
import { ORGANISATION_KINDS, mayRequest, productById } from './products.ts';
import { validateStep, type HabilitationForm } from './request-form.ts';
import type { HabilitationDb } from './tables.ts';

export interface VendorTemplate {
  id: string;
  status: 'submitted' | 'published' | 'refused';
  product: string;
  vendorSiret: string;
  vendorName: string;
  softwareName: string;
  contactEmail: string;
  prefill: HabilitationForm;
  shareSlug: string | null;
  createdAt: Date;
}

const refusal = (code: string, message: string, errors?: FieldErrors): Refusal => ({ ok: false, code, message, ...(errors ? { errors } : {}) });

export class VendorTemplates {
  readonly #deps: { db: HabilitationDb; now: () => Date; registry: readonly ProviderManifest[]; service: HabilitationService };

  constructor(deps: { db: HabilitationDb; now: () => Date; registry: readonly ProviderManifest[]; service: HabilitationService }) {
    this.#deps = deps;
  }

  /**
   * "Demander à être référencé". Fields: product, vendorSiret, vendorName, softwareName, contactEmail,
   * and the use case to pre-fill: title, purpose, description, scopes, legalText, legalReference.
   */
  async requestReferencing(input: FormInput): Promise<Outcome<{ id: string }>> {
    const errors: FieldErrors = {};
    const product = productById(text(input, 'product'));
    if (product === undefined) errors.product = 'Choisissez une API dans la liste.';
    const vendorSiret = text(input, 'vendorSiret').replace(/\s+/g, '');
    if (!isValidSiret(vendorSiret)) errors.vendorSiret = vendorSiret === '' ? 'Le numéro SIRET de l’éditeur est obligatoire.' : 'Ce numéro SIRET n’est pas valide.';
    const vendorName = text(input, 'vendorName');
    requireText(errors, 'vendorName', vendorName, 'Le nom de l’éditeur', { max: 200 });
    const softwareName = text(input, 'softwareName');
    requireText(errors, 'softwareName', softwareName, 'Le nom du logiciel', { max: 200 });
    const contactEmail = text(input, 'contactEmail').toLowerCase();
    if (!isEmail(contactEmail)) errors.contactEmail = contactEmail === '' ? 'L’adresse électronique de contact est obligatoire.' : 'Cette adresse électronique n’est pas valide.';
    const prefill: HabilitationForm = {};
    if (product !== undefined) {
      // The clients' kind decides reserved scopes; they are checked again when each client submits.
      const kind = ORGANISATION_KINDS.find((k) => mayRequest(product, k)) ?? 'collectivite_administration';
      const context = { product, kind, registry: this.#deps.registry };
      const useCase = validateStep('use_case', input, context);
      const scopes = validateStep('scopes', input, context);
      const legalText = text(input, 'legalText');
      requireText(errors, 'legalText', legalText, 'Le cadre juridique', { max: 2000 });
      const legalReference = text(input, 'legalReference');
      if (legalReference.length > 500) errors.legalReference = 'La référence ne doit pas dépasser 500 caractères.';
      if (useCase.ok) prefill.use_case = useCase.value;
      else Object.assign(errors, useCase.errors);
      if (scopes.ok) prefill.scopes = scopes.value;
      else Object.assign(errors, scopes.errors);
      prefill.legal = { text: legalText, reference: legalReference, expectedVolume: 0 };
    }
    if (Object.keys(errors).length > 0) return refusal('invalid', 'Certains champs sont à corriger.', errors);
    const id = randomUUID();
    await this.#deps.db
      .insertInto('vendor_templates')
      .values({
        id,
        status: 'submitted',
        product: (product as NonNullable<typeof product>).id,
        vendor_siret: vendorSiret,
        vendor_name: vendorName,
        software_name: softwareName,
        contact_email: contactEmail,
        prefill: JSON.stringify(prefill),
        share_slug: null,
        created_at: this.#deps.now(),
      })
      .execute();
    return { ok: true, id };
  }

  /** An instructor publishes (a share link is minted) or refuses a referencing request. */
  async decide(id: string, actor: ServiceActor, decision: 'publish' | 'refuse'): Promise<Outcome<{ shareSlug?: string }>> {
    if (actor.role !== 'instructor' && actor.role !== 'administrator') return refusal('wrong_role', 'Votre rôle ne permet pas cette action.');
    if (!isUuid(id)) return refusal('not_found', 'Demande de référencement introuvable.');
    const shareSlug = decision === 'publish' ? randomBytes(12).toString('base64url') : null;
    const row = await this.#deps.db
      .updateTable('vendor_templates')
      .set({ status: decision === 'publish' ? 'published' : 'refused', share_slug: shareSlug, decided_by: actor.id, decided_at: this.#deps.now() })
      .where('id', '=', id)
      .where('status', '=', 'submitted')
      .returning('id')
      .executeTakeFirst();
    if (row === undefined) return refusal('wrong_status', 'Cette demande de référencement n’existe pas ou a déjà été instruite.');
    return { ok: true, ...(shareSlug === null ? {} : { shareSlug }) };
  }

  async list(status?: VendorTemplate['status']): Promise<VendorTemplate[]> {
    let query = this.#deps.db.selectFrom('vendor_templates').selectAll();
    if (status !== undefined) query = query.where('status', '=', status);
    const rows = await query.orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      status: r.status as VendorTemplate['status'],
      product: r.product,
      vendorSiret: r.vendor_siret,
      vendorName: r.vendor_name,
      softwareName: r.software_name,
      contactEmail: r.contact_email,
      prefill: (typeof r.prefill === 'string' ? JSON.parse(r.prefill) : r.prefill) as HabilitationForm,
      shareSlug: r.share_slug,
      createdAt: r.created_at,
    }));
  }

  /** The vendor's shared link: a client starts its own draft, pre-filled from the published template. */
  async startFromShareLink(slug: string, input: { kind: string; actor: ServiceActor }): Promise<Outcome<{ id: string }>> {
    if (typeof slug !== 'string' || !/^[A-Za-z0-9_-]{16}$/.test(slug)) return refusal('not_found', 'Ce lien de formulaire pré-rempli n’existe pas.');
    const row = await this.#deps.db.selectFrom('vendor_templates').selectAll().where('share_slug', '=', slug).where('status', '=', 'published').executeTakeFirst();
    if (row === undefined) return refusal('not_found', 'Ce lien de formulaire pré-rempli n’existe pas.');
    const prefill = (typeof row.prefill === 'string' ? JSON.parse(row.prefill) : row.prefill) as HabilitationForm;
    return this.#deps.service.createDraft({ product: row.product, kind: input.kind, actor: input.actor, prefill, vendorTemplateId: row.id });
  }
}
