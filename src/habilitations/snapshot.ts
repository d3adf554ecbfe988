/**
 * The frozen snapshot of an approved habilitation (issue 5 §6, data_pass's "validated copy"): what
 * was granted, to whom, on which legal basis. Tokens issued for the habilitation carry exactly its
 * scopes, modalities and FranceConnect client ids; later edits of the draft never change it.
 */
import type { Modality } from '../core/endpoint.ts';
import { modalitiesOf, type Contact, type ContactRole, type HabilitationForm } from './request-form.ts';

export interface Snapshot {
  product: string;
  organisationKind: string;
  siret: string;
  organisationName: string;
  title: string;
  purpose: string;
  templateId: string | null;
  scopes: string[];
  modalities: Modality[];
  fcClientIds: string[];
  contacts: Record<ContactRole, Contact>;
  legal: { text: string; reference: string; expectedVolume: number };
  approvedAt: string;
  approvedBy: string;
}

export function freezeSnapshot(
  form: Required<HabilitationForm>,
  meta: { product: string; organisationKind: string; approvedAt: Date; approvedBy: string },
): Snapshot {
  return {
    product: meta.product,
    organisationKind: meta.organisationKind,
    siret: form.organisation.siret,
    organisationName: form.organisation.name,
    title: form.use_case.title,
    purpose: form.use_case.purpose,
    templateId: form.use_case.templateId,
    scopes: [...form.scopes.scopes].sort(),
    modalities: modalitiesOf(form.identification),
    fcClientIds: form.identification.mode === 'own' ? [] : [...form.identification.fcClientIds],
    contacts: form.contacts,
    legal: { ...form.legal },
    approvedAt: meta.approvedAt.toISOString(),
    approvedBy: meta.approvedBy,
  };
}

/** Every contact address, deduplicated: expiry notices go to all of them (U15). */
export function contactEmails(snapshot: Pick<Snapshot, 'contacts'>): string[] {
  return [...new Set(Object.values(snapshot.contacts).map((c) => c.email))].sort();
}
