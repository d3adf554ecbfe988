/** Per-field French messages for every step, and the rules across steps (issue 5 §4). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { providers } from '../providers/index.ts';
import { productById } from './products.ts';
import { STEPS, validateStep, validateSubmission, type FormContext, type HabilitationForm } from './request-form.ts';

const particulier = productById('api_particulier')!;
const cnam = productById('api_droits_cnam')!;
const dssFc = productById('api_prestations_sociales_fc')!;
const mairie: FormContext = { product: particulier, kind: 'collectivite_administration', registry: providers };

const contactsInput = Object.fromEntries(
  ['responsable_traitement', 'dpo', 'technique', 'metier'].flatMap((role) => [
    [`${role}.name`, `Camille ${role}`],
    [`${role}.email`, `${role}@mairie-exemple.fr`],
  ]),
);

function completeForm(overrides: Partial<HabilitationForm> = {}): HabilitationForm {
  const form: HabilitationForm = {};
  const steps = {
    organisation: { siret: '21350238800019', name: 'Mairie de Rennes' },
    use_case: { title: 'Cantine', purpose: 'restauration_scolaire', description: 'Tarif de la cantine selon le quotient familial.' },
    scopes: { scopes: ['cnaf_quotient_familial'] },
    identification: { mode: 'both', fcClientIds: 'fc-mairie-rennes', ownMeans: ['identite'] },
    contacts: contactsInput,
    legal: { text: 'Délibération du conseil municipal', reference: 'CRPA L114-8', expectedVolume: '12 000' },
  } as const;
  for (const step of STEPS) {
    const r = validateStep(step, steps[step] as Record<string, unknown>, mairie);
    assert.ok(r.ok, `${step}: ${JSON.stringify(!r.ok && r.errors)}`);
    (form as Record<string, unknown>)[step] = r.value;
  }
  return { ...form, ...overrides };
}

describe('habilitation request steps', () => {
  test('organisation: SIRET required, 14 digits, valid key; spaces allowed', () => {
    const errorOf = (siret: unknown) => {
      const r = validateStep('organisation', { siret, name: 'Mairie' }, mairie);
      return r.ok ? undefined : r.errors.siret;
    };
    assert.match(errorOf('') ?? '', /obligatoire/);
    assert.match(errorOf(undefined) ?? '', /obligatoire/);
    assert.match(errorOf('1234') ?? '', /14 chiffres/);
    assert.match(errorOf('21350238800018') ?? '', /clé de contrôle/);
    assert.equal(errorOf('213 502 388 00019'), undefined);
    const ok = validateStep('organisation', { siret: '213 502 388 00019', name: ' Mairie ' }, mairie);
    assert.deepEqual(ok.ok && ok.value, { siret: '21350238800019', name: 'Mairie' });
  });

  test('use case: title, purpose from the list, description of 20 characters at least', () => {
    const r = validateStep('use_case', { title: '', purpose: 'espionnage', description: 'court' }, mairie);
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['description', 'purpose', 'title']);
    assert.match(r.errors.description!, /au moins 20 caractères/);
  });

  test('scopes: at least one, only the product’s, none reserved to another kind', () => {
    const errorOf = (scopes: unknown, context = mairie) => {
      const r = validateStep('scopes', { scopes }, context);
      return r.ok ? undefined : r.errors.scopes;
    };
    assert.match(errorOf([]) ?? '', /au moins une donnée/);
    assert.match(errorOf(['cnaf_quotient_familial', 'pas_un_scope']) ?? '', /inconnues.*pas_un_scope/);
    assert.match(errorOf(['cnam_droits']) ?? '', /inconnues/, 'CNAM data is not part of API Particulier');
    assert.equal(errorOf('cnaf_quotient_familial'), undefined, 'a single checkbox arrives as a string');
    const mutuelle: FormContext = { product: cnam, kind: 'organisme_complementaire_sante', registry: providers };
    const hopital: FormContext = { product: cnam, kind: 'etablissement_soins', registry: providers };
    assert.match(errorOf(['cnam_droits', 'cnam_medecin_traitant'], mutuelle) ?? '', /réservée aux établissements de soins/);
    assert.equal(errorOf(['cnam_droits'], mutuelle), undefined);
    assert.equal(errorOf(['cnam_droits', 'cnam_medecin_traitant', 'cnam_exonerations_ticket_moderateur'], hopital), undefined);
  });

  test('identification: FranceConnect needs client ids; own means from the product’s; CNAM is FranceConnect only', () => {
    const errorsOf = (input: Record<string, unknown>, context = mairie) => {
      const r = validateStep('identification', input, context);
      return r.ok ? {} : r.errors;
    };
    assert.match(errorsOf({}).mode ?? '', /Indiquez/);
    assert.match(errorsOf({ mode: 'france_connect' }).fcClientIds ?? '', /identifiants? client/);
    assert.match(errorsOf({ mode: 'france_connect', fcClientIds: 'bad id<script>' }).fcClientIds ?? '', /ne contient que/);
    assert.match(errorsOf({ mode: 'own' }).ownMeans ?? '', /au moins un moyen/);
    assert.match(errorsOf({ mode: 'own', ownMeans: ['telepathie'] }).ownMeans ?? '', /non disponible/);
    assert.match(errorsOf({ mode: 'own', ownMeans: ['identite'], fcClientIds: 'x-1' }).fcClientIds ?? '', /ne donnez pas/);
    const hopital: FormContext = { product: cnam, kind: 'etablissement_soins', registry: providers };
    assert.match(errorsOf({ mode: 'own', ownMeans: ['identite'] }, hopital).mode ?? '', /uniquement avec FranceConnect/);
    assert.deepEqual(errorsOf({ mode: 'france_connect', fcClientIds: 'fc-hopital-1, fc-hopital-2' }, hopital), {});
    const r = validateStep('identification', { mode: 'both', fcClientIds: 'a-1\nb-2 a-1', ownMeans: ['identite', 'ine'] }, mairie);
    assert.deepEqual(r.ok && r.value, { mode: 'both', fcClientIds: ['a-1', 'b-2'], ownMeans: ['identite', 'ine'] });
  });

  test('contacts: four roles, each with a name and a valid e-mail; phone optional but valid', () => {
    const r = validateStep('contacts', { ...contactsInput, 'dpo.email': 'pas-une-adresse', 'metier.name': '', 'technique.phone': 'abc' }, mairie);
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['dpo.email', 'metier.name', 'technique.phone']);
    assert.match(r.errors['dpo.email']!, /Délégué à la protection des données.*n’est pas valide/);
    const empty = validateStep('contacts', {}, mairie);
    assert.equal(!empty.ok && Object.keys(empty.errors).length, 8);
  });

  test('legal: text required, volume a whole number; a company needs a reference for the DSS FranceConnect API', () => {
    const r = validateStep('legal', { text: '', expectedVolume: '-3' }, mairie);
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['expectedVolume', 'text']);
    const company: FormContext = { product: dssFc, kind: 'entreprise_association', registry: providers };
    const c = validateStep('legal', { text: 'Contrat FranceConnect', expectedVolume: '100' }, company);
    assert.match(!c.ok ? (c.errors.reference ?? '') : '', /référence du texte/);
    assert.ok(validateStep('legal', { text: 'Délibération', expectedVolume: '100' }, mairie).ok);
  });

  test('any input is answered with field messages, never an exception (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STEPS),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()), fc.integer(), fc.constant(null), fc.object())),
        (step, input) => {
          const r = validateStep(step, input, mairie);
          if (!r.ok) for (const message of Object.values(r.errors)) assert.match(message, /\S/);
        },
      ),
    );
  });
});

describe('submission', () => {
  test('a complete, consistent form passes', () => {
    assert.ok(validateSubmission(completeForm(), mairie).ok);
  });

  test('missing steps are named', () => {
    const r = validateSubmission({ organisation: completeForm().organisation }, mairie);
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['contacts', 'identification', 'legal', 'scopes', 'use_case']);
  });

  test('the INE only for higher-education purposes', () => {
    const form = completeForm({ identification: { mode: 'own', fcClientIds: [], ownMeans: ['ine'] }, scopes: { scopes: ['cnous_statut_boursier'] } });
    const r = validateSubmission(form, mairie);
    assert.match(!r.ok ? (r.errors['identification.ownMeans'] ?? '') : '', /enseignement supérieur/);
    const student = { ...form, use_case: { ...form.use_case!, purpose: 'enseignement_superieur' as const } };
    assert.ok(validateSubmission(student, mairie).ok);
  });

  test('a scope no chosen modality reaches is refused (minimisation)', () => {
    // France Travail answers only by `identifiant`: not with civil status or FranceConnect.
    const form = completeForm({ scopes: { scopes: ['cnaf_quotient_familial', 'pole_emploi_inscription'] } });
    const r = validateSubmission(form, mairie);
    assert.match(!r.ok ? (r.errors['scopes.scopes'] ?? '') : '', /pole_emploi_inscription/);
  });

  test('stored values are re-checked: a tampered draft is refused', () => {
    const form = completeForm({ organisation: { siret: '12345678901234', name: 'X' } });
    const r = validateSubmission(form, mairie);
    assert.match(!r.ok ? (r.errors['organisation.siret'] ?? '') : '', /clé de contrôle/);
  });
});
