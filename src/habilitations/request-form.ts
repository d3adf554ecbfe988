/**
 * The step-by-step habilitation request (issue 5 §4): what each step holds, how each is checked,
 * and the checks across steps run at submission. Validation returns per-field French messages as
 * data (`{ok:false, errors:{field: message}}`), so a page shows each beside its field and saves
 * nothing. ADR 0112.
 */
import type { Modality, ProviderManifest } from '../core/endpoint.ts';
import { isValidSiret } from '../core/siret.ts';
import { isEmail, list, prefixed, requireText, text, type FieldErrors, type FormInput, type Validation } from './form-fields.ts';
import type { OrganisationKind, Product } from './products.ts';
import { scopeCatalogue, scopeIndex } from './scope-catalogue.ts';

export const STEPS = ['organisation', 'use_case', 'scopes', 'identification', 'contacts', 'legal'] as const;
export type Step = (typeof STEPS)[number];

export const PURPOSES = {
  transport: 'Tarification sociale des transports',
  restauration_scolaire: 'Restauration scolaire',
  action_sociale: 'Action sociale',
  petite_enfance: 'Petite enfance',
  enseignement_superieur: 'Enseignement supérieur et vie étudiante',
  sante: 'Santé',
  autre: 'Autre démarche',
} as const;
export type Purpose = keyof typeof PURPOSES;

/**
 * The INE identifies a pupil or a student; its use is limited to education purposes (Code de
 * l'éducation, art. R. 131-10-1 et suivants, arrêté RNIE). ADR 0112.
 */
export const INE_PURPOSES: readonly Purpose[] = ['enseignement_superieur'];

export const OWN_MEANS = ['identite', 'ine', 'identifiant'] as const satisfies readonly Modality[];
export type OwnMeans = (typeof OWN_MEANS)[number];
export const IDENTIFICATION_MODES = ['france_connect', 'own', 'both'] as const;
export type IdentificationMode = (typeof IDENTIFICATION_MODES)[number];

export const CONTACT_ROLES = {
  responsable_traitement: 'Responsable de traitement',
  dpo: 'Délégué à la protection des données',
  technique: 'Contact technique',
  metier: 'Contact métier',
} as const;
export type ContactRole = keyof typeof CONTACT_ROLES;
export interface Contact {
  name: string;
  email: string;
  phone: string;
}

export interface HabilitationForm {
  organisation?: { siret: string; name: string };
  use_case?: { templateId: string | null; title: string; purpose: Purpose; description: string };
  scopes?: { scopes: string[] };
  identification?: { mode: IdentificationMode; fcClientIds: string[]; ownMeans: OwnMeans[] };
  contacts?: Record<ContactRole, Contact>;
  legal?: { text: string; reference: string; expectedVolume: number };
}

export interface FormContext {
  product: Product;
  kind: OrganisationKind;
  registry: readonly ProviderManifest[];
}

type StepValue<S extends Step> = NonNullable<HabilitationForm[S]>;

const FC_CLIENT_ID = /^[A-Za-z0-9_.:-]{3,128}$/;
const PHONE = /^\+?[0-9][0-9 .-]{8,18}[0-9]$/;

function result<T>(errors: FieldErrors, value: T): Validation<T> {
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

function organisation(input: FormInput): Validation<StepValue<'organisation'>> {
  const errors: FieldErrors = {};
  const siret = text(input, 'siret').replace(/\s+/g, '');
  if (siret === '') errors.siret = 'Le numéro SIRET est obligatoire.';
  else if (!/^\d{14}$/.test(siret)) errors.siret = 'Le numéro SIRET compte 14 chiffres.';
  else if (!isValidSiret(siret)) errors.siret = 'Ce numéro SIRET n’existe pas : vérifiez-le (clé de contrôle invalide).';
  const name = text(input, 'name');
  requireText(errors, 'name', name, 'Le nom de l’organisation', { max: 200 });
  return result(errors, { siret, name });
}

function useCase(input: FormInput): Validation<StepValue<'use_case'>> {
  const errors: FieldErrors = {};
  const title = text(input, 'title');
  requireText(errors, 'title', title, 'Le nom de la démarche', { max: 200 });
  const purpose = text(input, 'purpose');
  if (!Object.hasOwn(PURPOSES, purpose)) errors.purpose = 'Choisissez la finalité de la démarche dans la liste.';
  const description = text(input, 'description');
  requireText(errors, 'description', description, 'La description du cas d’usage', { min: 20, max: 5000 });
  const templateId = text(input, 'templateId') || null;
  return result(errors, { templateId, title, purpose: purpose as Purpose, description });
}

function scopes(input: FormInput, context: FormContext): Validation<StepValue<'scopes'>> {
  const errors: FieldErrors = {};
  const chosen = list(input, 'scopes');
  const known = scopeIndex(scopeCatalogue(context.product, context.registry));
  const unknown = chosen.filter((s) => !known.has(s));
  if (chosen.length === 0) errors.scopes = 'Cochez au moins une donnée.';
  else if (unknown.length > 0) errors.scopes = `Données inconnues pour ${context.product.label} : ${unknown.join(', ')}.`;
  else {
    const reserved = chosen.filter((s) => {
      const rule = context.product.reservedScopes?.[s];
      return rule !== undefined && !rule.kinds.includes(context.kind);
    });
    if (reserved.length > 0) {
      const rule = context.product.reservedScopes?.[reserved[0] as string];
      errors.scopes = `${rule?.message ?? 'Donnée réservée.'} (${reserved.join(', ')})`;
    }
  }
  return result(errors, { scopes: [...chosen].sort() });
}

function identification(input: FormInput, context: FormContext): Validation<StepValue<'identification'>> {
  const errors: FieldErrors = {};
  const mode = text(input, 'mode');
  const fcClientIds = list(input, 'fcClientIds', { split: true });
  const ownMeans = list(input, 'ownMeans');
  const allowed = context.product.modalities;
  if (!(IDENTIFICATION_MODES as readonly string[]).includes(mode)) {
    errors.mode = 'Indiquez comment les personnes seront identifiées.';
  } else {
    const usesFc = mode !== 'own';
    const usesOwn = mode !== 'france_connect';
    if (usesFc && !allowed.includes('france_connect')) errors.mode = 'Cette API ne peut pas être appelée avec FranceConnect.';
    if (usesOwn && !allowed.some((m) => m !== 'france_connect')) {
      errors.mode = 'Cette API fonctionne uniquement avec FranceConnect.';
    }
    if (usesFc && fcClientIds.length === 0) errors.fcClientIds = 'Indiquez le ou les identifiants client (client_id) de votre habilitation FranceConnect.';
    else if (usesFc && fcClientIds.some((id) => !FC_CLIENT_ID.test(id))) {
      errors.fcClientIds = 'Un identifiant client FranceConnect ne contient que des lettres, chiffres, « - », « _ », « . » ou « : ».';
    }
    if (!usesFc && fcClientIds.length > 0) errors.fcClientIds = 'Sans le bouton FranceConnect, ne donnez pas d’identifiant client FranceConnect.';
    if (usesOwn && errors.mode === undefined) {
      const bad = ownMeans.filter((m) => !(OWN_MEANS as readonly string[]).includes(m) || !allowed.includes(m as Modality));
      if (ownMeans.length === 0) errors.ownMeans = 'Choisissez au moins un moyen d’identification : état civil, INE ou identifiant.';
      else if (bad.length > 0) errors.ownMeans = `Moyen d’identification non disponible pour cette API : ${bad.join(', ')}.`;
    }
    if (!usesOwn && ownMeans.length > 0) errors.ownMeans = 'Avec le seul bouton FranceConnect, ne cochez pas d’autre moyen d’identification.';
  }
  return result(errors, { mode: mode as IdentificationMode, fcClientIds, ownMeans: ownMeans as OwnMeans[] });
}

function contacts(input: FormInput): Validation<StepValue<'contacts'>> {
  const errors: FieldErrors = {};
  const value = {} as Record<ContactRole, Contact>;
  for (const [role, label] of Object.entries(CONTACT_ROLES) as Array<[ContactRole, string]>) {
    const name = text(input, `${role}.name`);
    const email = text(input, `${role}.email`).toLowerCase();
    const phone = text(input, `${role}.phone`);
    requireText(errors, `${role}.name`, name, `Le nom (${label})`, { max: 200 });
    if (email === '') errors[`${role}.email`] = `L’adresse électronique (${label}) est obligatoire.`;
    else if (!isEmail(email)) errors[`${role}.email`] = `L’adresse électronique (${label}) n’est pas valide, par exemple prenom.nom@mairie.fr.`;
    if (phone !== '' && !PHONE.test(phone)) errors[`${role}.phone`] = `Le numéro de téléphone (${label}) n’est pas valide, par exemple 01 23 45 67 89.`;
    value[role] = { name, email, phone };
  }
  return result(errors, value);
}

function legal(input: FormInput, context: FormContext): Validation<StepValue<'legal'>> {
  const errors: FieldErrors = {};
  const legalText = text(input, 'text');
  requireText(errors, 'text', legalText, 'Le cadre juridique', { max: 2000 });
  const reference = text(input, 'reference');
  if (reference.length > 500) errors.reference = 'La référence ne doit pas dépasser 500 caractères.';
  else if (reference === '' && context.product.legalBasisRequiredFor?.includes(context.kind)) {
    errors.reference = 'Donnez la référence du texte qui vous autorise à utiliser ces données (article, délibération, convention).';
  }
  const volumeText = text(input, 'expectedVolume').replace(/\s+/g, '');
  const expectedVolume = Number(volumeText);
  if (volumeText === '') errors.expectedVolume = 'Indiquez le volume d’appels attendu par an.';
  else if (!/^\d+$/.test(volumeText) || !Number.isSafeInteger(expectedVolume) || expectedVolume < 1 || expectedVolume > 1_000_000_000) {
    errors.expectedVolume = 'Le volume attendu est un nombre entier d’appels par an, entre 1 et 1 000 000 000.';
  }
  return result(errors, { text: legalText, reference, expectedVolume });
}

/** Checks one step's input; on success the value to store under `form[step]`. */
export function validateStep<S extends Step>(step: S, input: FormInput, context: FormContext): Validation<StepValue<S>> {
  switch (step) {
    case 'organisation':
      return organisation(input) as Validation<StepValue<S>>;
    case 'use_case':
      return useCase(input) as Validation<StepValue<S>>;
    case 'scopes':
      return scopes(input, context) as Validation<StepValue<S>>;
    case 'identification':
      return identification(input, context) as Validation<StepValue<S>>;
    case 'contacts':
      return contacts(input) as Validation<StepValue<S>>;
    case 'legal':
      return legal(input, context) as Validation<StepValue<S>>;
    default:
      throw new TypeError(`unknown step ${String(step)}`);
  }
}

export function isStep(value: string): value is Step {
  return (STEPS as readonly string[]).includes(value);
}

/** A stored step back into form input, to re-check it (at submission) or pre-fill a page. */
export function inputOf(step: Step, form: HabilitationForm): FormInput {
  const value = form[step];
  if (value === undefined) return {};
  if (step === 'contacts') {
    const out: FormInput = {};
    for (const [role, contact] of Object.entries(value as Record<string, Contact>)) {
      for (const [k, v] of Object.entries(contact)) out[`${role}.${k}`] = v;
    }
    return out;
  }
  const out: FormInput = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = v === null ? '' : Array.isArray(v) ? v : String(v);
  return out;
}

/** The call modalities the identification step grants. */
export function modalitiesOf(identification: StepValue<'identification'>): Modality[] {
  const fc: Modality[] = identification.mode === 'own' ? [] : ['france_connect'];
  const own: Modality[] = identification.mode === 'france_connect' ? [] : identification.ownMeans;
  return [...fc, ...own];
}

/** Every step complete and valid, and the rules across steps; errors are keyed `step.field`. */
export function validateSubmission(form: HabilitationForm, context: FormContext): Validation<Required<HabilitationForm>> {
  let errors: FieldErrors = {};
  const value: Partial<HabilitationForm> = {};
  for (const step of STEPS) {
    if (form[step] === undefined) {
      errors[step] = 'Cette étape n’est pas encore remplie.';
      continue;
    }
    const checked = validateStep(step, inputOf(step, form), context);
    if (checked.ok) (value as Record<string, unknown>)[step] = checked.value;
    else errors = { ...errors, ...prefixed(step, checked.errors) };
  }
  const { use_case: purposeStep, identification: id, scopes: chosen } = value;
  if (id !== undefined && purposeStep !== undefined && id.ownMeans.includes('ine') && !INE_PURPOSES.includes(purposeStep.purpose)) {
    errors['identification.ownMeans'] = 'L’INE ne peut être utilisé que pour une démarche liée à l’enseignement supérieur et à la vie étudiante.';
  }
  if (id !== undefined && chosen !== undefined) {
    const modalities = modalitiesOf(id);
    const index = scopeIndex(scopeCatalogue(context.product, context.registry));
    const unreachable = chosen.scopes.filter((s) => !(index.get(s)?.modalities ?? []).some((m) => modalities.includes(m)));
    if (unreachable.length > 0) {
      errors['scopes.scopes'] = `Ces données ne sont disponibles avec aucun des moyens d’identification choisis : ${unreachable.join(', ')}.`;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: value as Required<HabilitationForm> };
}
