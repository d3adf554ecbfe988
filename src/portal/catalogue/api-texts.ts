/**
 * The catalogue's editorial texts, one entry per API (an API is a provider's path segment, e.g.
 * `dss/complementaire_sante_solidaire`, grouping its modalities and versions). Written in our own
 * words from the api.gouv.fr pages and the team's roadmap (shared/seeds). Everything technical —
 * fields, scopes, params, errors, sandbox cases — is derived from the provider manifests instead
 * (catalogue-model.ts); a test fails when an API of the registry has no entry here.
 */

export const THEMES = ['Social et famille', 'Santé', 'Scolarité et études', 'Emploi', 'Citoyenneté', 'Sport', 'Transport'] as const;
export type Theme = (typeof THEMES)[number];

/** Editorial texts of one API. */
export interface ApiTexts {
  /** URL segments as on the official site: `/catalogue/<providerSlug>/<apiSlug>`. */
  providerSlug: string;
  apiSlug: string;
  title: string;
  /** Who delivers the data, as a reader knows them. */
  providerLabel: string;
  /** One sentence for the catalogue card. */
  summary: string;
  /** What it is for (paragraphs). */
  purpose: string[];
  /** Who may use it (paragraphs). */
  audience: string[];
  /** Data-quality notes: coverage, freshness, known gaps. */
  dataQuality: string[];
  themes: Theme[];
}

const PUBLIC_ACTORS =
  'Réservé aux acteurs publics (administrations, collectivités, leurs opérateurs et délégataires de service public) pour une démarche prévue par un texte, dans la limite des seules données strictement nécessaires (article L114-8 du code des relations entre le public et l’administration).';
const DSS_QUALITY =
  'Données du répertoire national commun de la protection sociale (RNCPS) : elles couvrent les allocataires de la CAF et de la MSA. Le statut est celui connu au moment de l’appel ; une personne mal identifiée (nom, prénoms, lieu ou date de naissance différents de l’état civil) n’est pas trouvée : privilégiez FranceConnect.';

/** Keyed by `<provider id>/<path segment>`, as derived from the registry. */
export const apiTexts: Record<string, ApiTexts> = {
  'dss/quotient_familial': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'quotient_familial',
    title: 'Quotient familial CAF & MSA',
    providerLabel: 'CNAF et MSA, via la CNAV',
    summary: 'Quotient familial du mois demandé et composition de la famille d’un allocataire du régime général ou agricole.',
    purpose: [
      'Calculer un tarif social (cantine, crèche, centre de loisirs, conservatoire, transport) sans demander d’attestation CAF ou MSA à la famille.',
      'Le régime (CAF ou MSA) est détecté automatiquement ; le quotient familial peut être demandé pour un mois passé.',
    ],
    audience: [PUBLIC_ACTORS, 'Typiquement : communes, CCAS, intercommunalités, autorités organisatrices de la mobilité.'],
    dataQuality: [
      DSS_QUALITY,
      'Le quotient familial est celui calculé par l’organisme pour le mois demandé ; il peut être révisé ensuite. Une famille non allocataire n’a pas de quotient familial dans l’API.',
    ],
    themes: ['Social et famille', 'Transport'],
  },
  'dss/complementaire_sante_solidaire': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'complementaire_sante_solidaire',
    title: 'Statut complémentaire santé solidaire (C2S)',
    providerLabel: 'Sécurité sociale (CNAF, MSA, CNAM), via la CNAV',
    summary: 'Savoir si un particulier bénéficie de la complémentaire santé solidaire, avec ou sans participation financière.',
    purpose: [
      'Accorder un tarif réduit ou un droit lié à la C2S (transports, cantine, activités) sans demander d’attestation de droits.',
      'La réponse indique le statut au moment de l’appel, la participation financière et la date d’ouverture du droit en cours.',
    ],
    audience: [PUBLIC_ACTORS, 'Typiquement : collectivités et autorités organisatrices de la mobilité pour la tarification sociale et solidaire.'],
    dataQuality: [DSS_QUALITY, 'Seul le demandeur est renvoyé : les membres du foyer bénéficiaires ne sont pas encore disponibles (voir « Prochainement »).'],
    themes: ['Santé', 'Social et famille', 'Transport'],
  },
  'dss/allocation_adulte_handicape': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'allocation_adulte_handicape',
    title: 'Statut allocation aux adultes handicapés (AAH)',
    providerLabel: 'CNAF et MSA, via la CNAV',
    summary: 'Savoir si un particulier perçoit l’allocation aux adultes handicapés, et depuis quand.',
    purpose: ['Ouvrir un droit ou un tarif réservé aux bénéficiaires de l’AAH sans demander de justificatif de paiement.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: [DSS_QUALITY],
    themes: ['Social et famille'],
  },
  'dss/allocation_enfant_handicape': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'allocation_enfant_handicape',
    title: 'Statut allocation d’éducation de l’enfant handicapé (AEEH)',
    providerLabel: 'CNAF et MSA, via la CNAV',
    summary: 'Savoir si un allocataire perçoit l’AEEH pour un enfant.',
    purpose: ['Accorder un accompagnement ou un tarif adapté (accueil périscolaire, loisirs) aux familles bénéficiaires de l’AEEH.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: [DSS_QUALITY],
    themes: ['Social et famille', 'Scolarité et études'],
  },
  'dss/allocation_soutien_familial': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'allocation_soutien_familial',
    title: 'Statut allocation de soutien familial (ASF)',
    providerLabel: 'CNAF et MSA, via la CNAV',
    summary: 'Savoir si un particulier perçoit l’allocation de soutien familial.',
    purpose: ['Identifier les parents isolés bénéficiaires de l’ASF pour une aide ou un tarif, sans pièce justificative.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: [DSS_QUALITY],
    themes: ['Social et famille'],
  },
  'dss/prime_activite': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'prime_activite',
    title: 'Statut prime d’activité',
    providerLabel: 'CNAF et MSA, via la CNAV',
    summary: 'Savoir si un particulier perçoit la prime d’activité, avec ou sans majoration.',
    purpose: ['Réserver une aide ou un tarif aux travailleurs aux revenus modestes bénéficiaires de la prime d’activité.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: [DSS_QUALITY, 'La majoration (parent isolé) est une donnée distincte, ouverte par son propre scope.'],
    themes: ['Social et famille', 'Emploi'],
  },
  'dss/revenu_solidarite_active': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'revenu_solidarite_active',
    title: 'Statut revenu de solidarité active (RSA)',
    providerLabel: 'CNAF et MSA, via la CNAV',
    summary: 'Savoir si un particulier perçoit le RSA, avec ou sans majoration.',
    purpose: ['Accorder une aide sociale facultative, une gratuité de transport ou un tarif aux bénéficiaires du RSA.'],
    audience: [PUBLIC_ACTORS, 'Typiquement : départements, CCAS, autorités organisatrices de la mobilité.'],
    dataQuality: [DSS_QUALITY, 'La majoration (parent isolé) est une donnée distincte, ouverte par son propre scope.'],
    themes: ['Social et famille', 'Transport'],
  },
  'dss/participation_familiale_eaje': {
    providerSlug: 'cnaf_msa',
    apiSlug: 'participation_familiale_eaje',
    title: 'Participation familiale en crèche (EAJE)',
    providerLabel: 'CNAF et MSA, via la CNAV',
    summary: 'Les éléments de calcul de la participation familiale en établissement d’accueil du jeune enfant : ressources, enfants, handicap.',
    purpose: ['Calculer la participation d’une famille en crèche (barème national) sans demander d’avis d’imposition ni d’attestation.'],
    audience: [PUBLIC_ACTORS, 'Typiquement : gestionnaires publics d’établissements d’accueil du jeune enfant.'],
    dataQuality: [DSS_QUALITY, 'La base ressources est celle retenue par l’organisme pour l’année de référence du barème.'],
    themes: ['Social et famille'],
  },
  'cnous/etudiant_boursier': {
    providerSlug: 'cnous',
    apiSlug: 'statut_etudiant_boursier',
    title: 'Statut étudiant boursier',
    providerLabel: 'Cnous (réseau des Crous)',
    summary: 'Statut et échelon de bourse d’un étudiant, délivrés par le Crous.',
    purpose: ['Accorder une réduction, une gratuité ou une aide aux étudiants boursiers (restauration, transport, culture, logement).'],
    audience: [PUBLIC_ACTORS, 'L’appel par INE est limité aux finalités de l’arrêté du 18 octobre 2022.'],
    dataQuality: [
      'Couvre les boursiers sur critères sociaux gérés par les Crous et ceux des filières sanitaires et sociales de certaines régions (Normandie, Île-de-France, Auvergne-Rhône-Alpes, Occitanie, Bretagne).',
      'La version 3 est dépréciée : utilisez la version 4.',
    ],
    themes: ['Scolarité et études', 'Transport'],
  },
  'mesri/statut_etudiant': {
    providerSlug: 'mesri',
    apiSlug: 'statut_etudiant',
    title: 'Statut étudiant',
    providerLabel: 'Ministère de l’Enseignement supérieur et de la Recherche (MESR)',
    summary: 'Admissions et inscriptions d’un étudiant dans les établissements d’enseignement supérieur.',
    purpose: ['Vérifier qu’une personne est étudiante (inscription ou admission) pour un tarif ou une aide, sans certificat de scolarité.'],
    audience: [PUBLIC_ACTORS, 'L’appel par INE est limité aux finalités de l’arrêté du 18 octobre 2022.'],
    dataQuality: [
      'Environ 1,7 million d’étudiants remontés ; tous les établissements ne sont pas encore raccordés. Une absence de résultat ne prouve donc pas que la personne n’est pas étudiante.',
    ],
    themes: ['Scolarité et études'],
  },
  'men/scolarites': {
    providerSlug: 'men',
    apiSlug: 'statut_eleve_scolarise',
    title: 'Statut élève scolarisé et boursier',
    providerLabel: 'Ministère de l’Éducation nationale (MEN)',
    summary: 'Statut scolarisé d’un élève du primaire ou du secondaire, et statut boursier au collège et au lycée.',
    purpose: ['Accorder un tarif ou une aide à la scolarité (cantine, transport scolaire, fournitures) sans certificat de scolarité.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: [
      'Données de l’année scolaire demandée ; le statut boursier ne concerne que le collège et le lycée.',
      'La recherche est limitée au périmètre géographique ou à l’établissement indiqué : un périmètre trop étroit renvoie « non trouvé ».',
    ],
    themes: ['Scolarité et études', 'Transport'],
  },
  'france-travail/statut': {
    providerSlug: 'france_travail',
    apiSlug: 'statut_demandeur_emploi',
    title: 'Statut demandeur d’emploi',
    providerLabel: 'France Travail',
    summary: 'Identité, contact, adresse et inscription (catégorie A, B, C, D…) d’un demandeur d’emploi.',
    purpose: ['Accorder un tarif ou une aide aux demandeurs d’emploi sans attestation d’inscription.'],
    audience: [PUBLIC_ACTORS, 'Cette API n’est pas FranceConnectée dans API Particulier.'],
    dataQuality: ['L’appel se fait avec l’identifiant France Travail de la personne, qu’elle doit vous fournir.'],
    themes: ['Emploi', 'Transport'],
  },
  'france-travail/indemnites': {
    providerSlug: 'france_travail',
    apiSlug: 'indemnites',
    title: 'Paiements versés par France Travail',
    providerLabel: 'France Travail',
    summary: 'Montants des allocations et aides versées par France Travail.',
    purpose: ['Calculer des droits qui dépendent des ressources (aides sociales, tarifs) à partir des paiements de France Travail.'],
    audience: [PUBLIC_ACTORS, 'Cette API ne sera pas FranceConnectée dans API Particulier.'],
    dataQuality: ['L’appel se fait avec l’identifiant France Travail de la personne ; seuls les paiements récents sont renvoyés.'],
    themes: ['Emploi', 'Social et famille'],
  },
  'dsnj/service_national': {
    providerSlug: 'dsnj',
    apiSlug: 'service_national',
    title: 'Statut service national',
    providerLabel: 'Direction du service national et de la jeunesse (DSNJ)',
    summary: 'Savoir si un jeune est en règle avec ses obligations de service national (recensement, JDC).',
    purpose: ['Vérifier la situation au regard du service national exigée pour un examen, un concours ou un permis, sans certificat papier.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: ['Statut connu de la DSNJ au moment de l’appel ; une personne mal identifiée n’est pas trouvée : privilégiez FranceConnect.'],
    themes: ['Citoyenneté'],
  },
  'gip-mds/service_civique': {
    providerSlug: 'gip_mds',
    apiSlug: 'service_civique',
    title: 'Statut volontaire en service civique',
    providerLabel: 'GIP Modernisation des déclarations sociales (GIP-MDS)',
    summary: 'Contrat de service civique en cours ou passé : organisme d’accueil et dates.',
    purpose: ['Accorder un tarif ou un droit réservé aux volontaires du service civique, sans attestation de l’organisme d’accueil.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: ['L’organisme d’accueil et les dates ne sont renvoyés qu’avec le scope du statut correspondant (actuel ou passé).'],
    themes: ['Citoyenneté', 'Emploi'],
  },
  'sdh/statut_sportif': {
    providerSlug: 'sdh',
    apiSlug: 'statut_sportif',
    title: 'Statut sportif de haut niveau',
    providerLabel: 'Ministère chargé des sports (SDH)',
    summary: 'Savoir si une personne est ou a été sportive de haut niveau, et sur quelle liste.',
    purpose: ['Ouvrir un aménagement (études, concours, emploi) ou un droit réservé aux sportifs de haut niveau.'],
    audience: [PUBLIC_ACTORS],
    dataQuality: ['L’appel se fait avec l’identifiant du sportif sur le portail du haut niveau.'],
    themes: ['Sport'],
  },
  'ants/extrait_immatriculation_vehicule': {
    providerSlug: 'ants',
    apiSlug: 'extrait_immatriculation_vehicule',
    title: 'Extrait d’immatriculation d’un véhicule',
    providerLabel: 'Agence nationale des titres sécurisés (ANTS)',
    summary: 'Données d’immatriculation et caractéristiques techniques d’un véhicule dont le particulier est titulaire.',
    purpose: ['Instruire une aide à la mobilité (prime à la conversion, vignette, stationnement résident) sans copie de la carte grise.'],
    audience: [PUBLIC_ACTORS, 'Uniquement avec FranceConnect : le particulier s’identifie et fournit la plaque.'],
    dataQuality: ['Le rattachement de la personne au véhicule (titulaire, cotitulaire…) est renvoyé avec le degré de correspondance de l’identité.'],
    themes: ['Transport'],
  },
  'cnam/droits_assurance_maladie': {
    providerSlug: 'cnam',
    apiSlug: 'droits_assurance_maladie',
    title: 'Droits à l’Assurance Maladie',
    providerLabel: 'Caisse nationale de l’Assurance Maladie (CNAM)',
    summary: 'Droits d’un assuré du régime général et de ses ayants droit : caisse, droits de base, C2S, exonérations, médecin traitant.',
    purpose: ['Faciliter la pré-admission dans un établissement de soins ou l’adhésion à un organisme complémentaire de santé.'],
    audience: [
      'Réservé aux établissements de soins et aux organismes complémentaires de santé, sous convention avec la CNAM, qui évalue l’éligibilité au regard du cas d’usage.',
      'Uniquement avec FranceConnect.',
    ],
    dataQuality: ['Couvre le régime général de l’Assurance Maladie ; les assurés d’autres régimes ne sont pas trouvés.'],
    themes: ['Santé'],
  },
};
