/**
 * Filling habilitation requests in tests: valid step inputs as a form would send them, and a
 * helper that files, submits and approves one, then reveals its token like the applicant would.
 */
import assert from 'node:assert/strict';
import type { Habilitations } from '../../src/habilitations/habilitations.ts';
import type { ServiceActor } from '../../src/habilitations/habilitation-service.ts';
import type { Step } from '../../src/habilitations/request-form.ts';

export const applicant: ServiceActor = { role: 'applicant', id: 'agent@mairie-rennes.fr', siret: '21350238800019' };
export const instructor: ServiceActor = { role: 'instructor', id: 'instructeur@dinum.gouv.fr' };
export const reviewer: ServiceActor = { role: 'provider_reviewer', id: 'relecteur@assurance-maladie.fr' };
export const stranger: ServiceActor = { role: 'applicant', id: 'quelquun@ailleurs.fr', siret: '13002526500013' };

export const CONTACT_EMAILS = ['dpo@mairie-rennes.fr', 'metier@mairie-rennes.fr', 'rt@mairie-rennes.fr', 'tech@mairie-rennes.fr'];

export function contactsInput(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'responsable_traitement.name': 'Nathalie Appéré',
    'responsable_traitement.email': 'rt@mairie-rennes.fr',
    'dpo.name': 'Délégué Rennes',
    'dpo.email': 'dpo@mairie-rennes.fr',
    'technique.name': 'Équipe SI',
    'technique.email': 'tech@mairie-rennes.fr',
    'technique.phone': '02 23 62 10 10',
    'metier.name': 'Service restauration',
    'metier.email': 'metier@mairie-rennes.fr',
    ...overrides,
  };
}

export function stepInputs(options: { scopes?: string[]; mode?: string; fcClientIds?: string; ownMeans?: string[]; purpose?: string } = {}): Record<Step, Record<string, unknown>> {
  return {
    organisation: { siret: '21350238800019', name: 'Mairie de Rennes' },
    use_case: { title: 'Tarif de la cantine', purpose: options.purpose ?? 'restauration_scolaire', description: 'Calcul du tarif de la cantine selon le quotient familial.' },
    scopes: { scopes: options.scopes ?? ['complementaire_sante_solidaire', 'cnaf_quotient_familial'] },
    identification: { mode: options.mode ?? 'both', fcClientIds: options.fcClientIds ?? 'fc-mairie-rennes', ownMeans: options.ownMeans ?? ['identite'] },
    contacts: contactsInput(),
    legal: { text: 'Délibération du conseil municipal du 12 mars 2026', reference: 'CRPA art. L114-8', expectedVolume: '15000' },
  };
}

/** Files, submits, approves and reveals; returns the habilitation id, the token id and the JWT. */
export async function approvedHabilitation(
  h: Habilitations,
  options: Parameters<typeof stepInputs>[0] & { product?: string; kind?: string; actor?: ServiceActor } = {},
): Promise<{ id: string; jti: string; token: string }> {
  const actor = options.actor ?? applicant;
  const draft = await h.service.createDraft({ product: options.product ?? 'api_particulier', kind: options.kind ?? 'collectivite_administration', actor });
  assert.ok(draft.ok, JSON.stringify(draft));
  for (const [step, input] of Object.entries(stepInputs(options))) {
    const saved = await h.service.saveStep(draft.id, step, input, actor);
    assert.ok(saved.ok, `${step}: ${JSON.stringify(saved)}`);
  }
  const submitted = await h.service.act(draft.id, 'submit', actor);
  assert.ok(submitted.ok, JSON.stringify(submitted));
  if (options.product === 'api_droits_cnam') assert.ok((await h.service.act(draft.id, 'provider_approve', reviewer)).ok);
  const approved = await h.service.act(draft.id, 'approve', instructor);
  assert.ok(approved.ok && approved.tokenJti !== undefined, JSON.stringify(approved));
  const revealed = await h.lifecycle.reveal(approved.tokenJti, actor);
  assert.ok(revealed.ok, JSON.stringify(revealed));
  return { id: draft.id, jti: approved.tokenJti, token: revealed.token };
}
