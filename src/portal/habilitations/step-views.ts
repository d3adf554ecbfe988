/**
 * What each page of the step-by-step request shows (issue 5 §4): the step's title, its stored or
 * posted values, its field messages, and the choices it offers, all derived from the product and
 * the provider manifests (never written by hand). The template is views/habilitations/step.eta.
 */
import type { ProviderManifest } from '../../core/endpoint.ts';
import type { FieldErrors, FormInput } from '../../habilitations/form-fields.ts';
import type { Habilitation } from '../../habilitations/habilitation-repository.ts';
import type { OrganisationKind, Product } from '../../habilitations/products.ts';
import { CONTACT_ROLES, PURPOSES, STEPS, inputOf, type Step } from '../../habilitations/request-form.ts';
import { MINIMISATION_RULE, scopeCatalogue } from '../../habilitations/scope-catalogue.ts';

export const STEP_TITLES: Record<Step, string> = {
  organisation: 'Votre organisation',
  use_case: 'Votre démarche',
  scopes: 'Les données demandées',
  identification: 'L’identification des personnes',
  contacts: 'Les contacts',
  legal: 'Cadre juridique et volume',
};

/** Own means of identification, as the applicant reads them (art. L114-8 CRPA: the person's data). */
export const OWN_MEANS_LABELS: Record<string, string> = {
  identite: 'État civil (nom, prénoms, sexe, date et lieu de naissance)',
  ine: 'INE (identifiant national élève ou étudiant)',
  identifiant: 'Identifiant propre au fournisseur (numéro allocataire, identifiant France Travail…)',
};

export const MODE_LABELS: Record<string, string> = {
  france_connect: 'Avec le bouton FranceConnect uniquement',
  own: 'Avec vos propres moyens (formulaire, dossier de l’usager)',
  both: 'Les deux',
};

export interface StepView {
  step: Step;
  index: number;
  total: number;
  stepTitle: string;
  nextTitle: string | undefined;
  values: FormInput;
  errors: FieldErrors;
  purposes: typeof PURPOSES;
  scopeGroups: ReturnType<typeof scopeCatalogue>;
  minimisationRule: string;
  modes: Array<{ value: string; label: string }>;
  ownMeans: Array<{ value: string; label: string }>;
  contactRoles: typeof CONTACT_ROLES;
  referenceRequired: boolean;
}

/** Values to show: what was posted (after an error), else what is stored, else sensible defaults. */
export function stepValues(step: Step, h: Habilitation, defaults: { siret?: string }): FormInput {
  const stored = inputOf(step, h.form);
  if (step === 'organisation' && stored.siret === undefined && defaults.siret !== undefined) return { siret: defaults.siret };
  // A template's volume is a placeholder (0): the applicant states theirs.
  if (step === 'legal' && stored.expectedVolume === '0') return { ...stored, expectedVolume: '' };
  return stored;
}

export function stepView(step: Step, product: Product, kind: OrganisationKind, registry: readonly ProviderManifest[], values: FormInput, errors: FieldErrors): StepView {
  const index = STEPS.indexOf(step);
  const next = STEPS[index + 1];
  const ownAllowed = product.modalities.some((m) => m !== 'france_connect');
  const fcAllowed = product.modalities.includes('france_connect');
  return {
    step,
    index: index + 1,
    total: STEPS.length,
    stepTitle: STEP_TITLES[step],
    nextTitle: next === undefined ? undefined : STEP_TITLES[next],
    values,
    errors,
    purposes: PURPOSES,
    scopeGroups: scopeCatalogue(product, registry),
    minimisationRule: MINIMISATION_RULE,
    modes: Object.entries(MODE_LABELS)
      .filter(([mode]) => (mode === 'france_connect' ? fcAllowed : mode === 'own' ? ownAllowed : fcAllowed && ownAllowed))
      .map(([value, label]) => ({ value, label })),
    ownMeans: Object.entries(OWN_MEANS_LABELS)
      .filter(([means]) => product.modalities.includes(means as never))
      .map(([value, label]) => ({ value, label })),
    contactRoles: CONTACT_ROLES,
    referenceRequired: product.legalBasisRequiredFor?.includes(kind) ?? false,
  };
}

/** Which steps are filled, for the summary page. */
export function stepProgress(h: Habilitation): Array<{ step: Step; title: string; done: boolean }> {
  return STEPS.map((step) => ({ step, title: STEP_TITLES[step], done: h.form[step] !== undefined }));
}
