/**
 * The API products one can request a habilitation for, with their eligibility as their api.gouv.fr
 * page states it (seeds 000–003, the `access_page` blocks): who may ask, on which conditions, which
 * providers' scopes the product opens, the call modalities it allows and whether the provider reviews
 * requests too. Data, not code: a new product is one more entry. ADR 0112.
 */
import type { Modality } from '../core/endpoint.ts';
import { CNAM_RESTRICTED_SCOPES } from '../providers/cnam/droits-assurance-maladie.ts';

export const ORGANISATION_KINDS = [
  'particulier',
  'collectivite_administration',
  'entreprise_association',
  'editeur_logiciel',
  'etablissement_soins',
  'organisme_complementaire_sante',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  particulier: 'Un particulier',
  collectivite_administration: 'Une collectivité ou une administration',
  entreprise_association: 'Une entreprise ou une association',
  editeur_logiciel: 'Un éditeur de logiciel',
  etablissement_soins: 'Un établissement de soins',
  organisme_complementaire_sante: 'Un organisme complémentaire de santé',
};

/** 1 eligible, 0 under conditions, -1 not eligible — the seeds' `is_eligible`. */
export type Verdict = 1 | 0 | -1;

/** What the eligibility page offers next. */
export type NextStep = 'request' | 'vendor_referencing' | 'other_api';

export interface EligibilityAnswer {
  verdict: Verdict;
  message: string;
  next: NextStep;
}

export interface Product {
  id: string;
  label: string;
  /** Providers whose scopes this product opens (registry ids). */
  providers: readonly string[];
  /** When the product opens only some of its providers' scopes (seeds/001: C2S and RSA). */
  scopes?: readonly string[];
  modalities: readonly Modality[];
  providerReview: boolean;
  eligibility: Record<OrganisationKind, EligibilityAnswer>;
  /** Scopes only some kinds of organisation may request. */
  reservedScopes?: Record<string, { kinds: readonly OrganisationKind[]; message: string }>;
  /** Kinds for which the legal framework must name the text that authorises them (seeds/001). */
  legalBasisRequiredFor?: readonly OrganisationKind[];
}

const PUBLIC_ONLY =
  'L’usage de l’API Particulier est uniquement réservé aux acteurs publics : les administrations, les collectivités, leurs opérateurs, les acteurs de santé, etc.';
const VENDOR =
  'Les éditeurs de logiciel ne déposent pas de demande pour leurs clients : demandez à être référencé, vos clients déposeront leur demande à partir de votre formulaire pré-rempli.';
const notEligible = (message: string): EligibilityAnswer => ({ verdict: -1, message, next: 'other_api' });
const vendor: EligibilityAnswer = { verdict: 0, message: VENDOR, next: 'vendor_referencing' };

const apiParticulier: Product = {
  id: 'api_particulier',
  label: 'API Particulier',
  providers: ['dss', 'cnous', 'mesri', 'men', 'france-travail', 'dsnj', 'gip-mds', 'sdh', 'ants'],
  modalities: ['identite', 'france_connect', 'ine', 'identifiant'],
  providerReview: false,
  eligibility: {
    particulier: notEligible(PUBLIC_ONLY),
    collectivite_administration: {
      verdict: 1,
      message:
        'L’API Particulier vous permet d’accéder directement aux données administratives des particuliers pour faciliter leurs démarches (cantines, titres de transport, aides sociales, démarches famille, etc.). Conformément à l’article L114-8 du Code des relations entre le public et l’administration, vous ne pourrez accéder qu’aux seules données strictement nécessaires pour traiter une démarche du particulier concerné.',
      next: 'request',
    },
    entreprise_association: notEligible(PUBLIC_ONLY),
    editeur_logiciel: vendor,
    etablissement_soins: {
      verdict: 0,
      message: 'Les acteurs de santé publics peuvent demander l’accès pour une démarche administrative d’un particulier, dans la limite des données strictement nécessaires.',
      next: 'request',
    },
    organisme_complementaire_sante: notEligible(PUBLIC_ONLY),
  },
};

const prestationsSocialesFc: Product = {
  id: 'api_prestations_sociales_fc',
  label: 'API bénéficiaires d’une prestation de sécurité sociale (FranceConnect)',
  providers: ['dss'],
  scopes: ['complementaire_sante_solidaire', 'revenu_solidarite_active', 'revenu_solidarite_active_majoration'],
  modalities: ['france_connect'],
  providerReview: false,
  eligibility: {
    particulier: notEligible('Vous ne pouvez pas accéder à ces informations.'),
    collectivite_administration: { verdict: 1, message: 'Les administrations éligibles peuvent demander l’accès à cette API FranceConnectée.', next: 'request' },
    entreprise_association: {
      verdict: 0,
      message:
        'Vous pouvez accéder à l’API uniquement si vous êtes partenaire de FranceConnect, et pour un cas d’usage autorisé par la loi. Vous devrez fournir le cadre juridique qui vous autorise à utiliser ces données.',
      next: 'request',
    },
    editeur_logiciel: vendor,
    etablissement_soins: notEligible('Cette API est réservée aux administrations et aux partenaires de FranceConnect disposant d’une base légale.'),
    organisme_complementaire_sante: notEligible('Cette API est réservée aux administrations et aux partenaires de FranceConnect disposant d’une base légale.'),
  },
  legalBasisRequiredFor: ['entreprise_association'],
};

const CNAM_ONLY = 'Seuls les établissements de soins et les organismes complémentaires en santé peuvent accéder à cette API.';
const CNAM_CONDITIONS =
  'Cette API est réservée aux établissements de soins pour leur démarche de pré-admission et aux organismes complémentaires en santé pour faciliter leur démarche d’adhésion. Elle fonctionne uniquement avec FranceConnect. Son utilisation est soumise à une convention d’usage avec la Caisse nationale de l’Assurance Maladie, qui se réserve le droit d’évaluer l’éligibilité des candidats au regard des cas d’usage indiqués.';

const droitsCnam: Product = {
  id: 'api_droits_cnam',
  label: 'API de droits à l’Assurance Maladie',
  providers: ['cnam'],
  modalities: ['france_connect'],
  providerReview: true,
  eligibility: {
    particulier: notEligible(CNAM_ONLY),
    collectivite_administration: notEligible(CNAM_ONLY),
    entreprise_association: notEligible(CNAM_ONLY),
    editeur_logiciel: vendor,
    etablissement_soins: { verdict: 0, message: CNAM_CONDITIONS, next: 'request' },
    organisme_complementaire_sante: { verdict: 0, message: CNAM_CONDITIONS, next: 'request' },
  },
  reservedScopes: Object.fromEntries(
    CNAM_RESTRICTED_SCOPES.map((scope) => [
      scope,
      { kinds: ['etablissement_soins'] as const, message: 'Cette donnée de santé est réservée aux établissements de soins.' },
    ]),
  ),
  legalBasisRequiredFor: ['etablissement_soins', 'organisme_complementaire_sante'],
};

export const products: readonly Product[] = [apiParticulier, prestationsSocialesFc, droitsCnam];

export function productById(id: string): Product | undefined {
  return products.find((p) => p.id === id);
}

export function isOrganisationKind(value: string): value is OrganisationKind {
  return (ORGANISATION_KINDS as readonly string[]).includes(value);
}

/**
 * "Vérifier votre éligibilité": the product's own answer for this kind of organisation.
 * @example
 * eligibility('api_droits_cnam', 'etablissement_soins').verdict // 0: under a CNAM convention
 */
export function eligibility(productId: string, kind: string): EligibilityAnswer | undefined {
  const product = productById(productId);
  if (product === undefined || !isOrganisationKind(kind)) return undefined;
  return product.eligibility[kind];
}

/** Kinds that may file a request themselves (verdict ≥ 0 and next step `request`). */
export function mayRequest(product: Product, kind: OrganisationKind): boolean {
  const answer = product.eligibility[kind];
  return answer.verdict >= 0 && answer.next === 'request';
}
