/**
 * What is coming and what has left the catalogue, as data (issue 7 item 1), from the team's roadmap
 * (shared/seeds/004 and 002). Each item links to the API it extends when there is one.
 */

/** A planned API or evolution, shown under « Prochainement ». */
export interface UpcomingItem {
  id: string;
  title: string;
  providerLabel: string;
  description: string;
  status: 'En conception' | 'Prévu';
  /** `<provider id>/<path segment>` of the API it extends, if any. */
  extends?: string;
}

/** An API that API Particulier no longer delivers, with where to go instead. */
export interface RetiredApi {
  providerSlug: string;
  apiSlug: string;
  title: string;
  providerLabel: string;
  endedOn: string;
  explanation: string;
  replacement: { label: string; href: string };
}

export const upcoming: readonly UpcomingItem[] = [
  {
    id: 'c2s-membres-foyer',
    title: 'C2S : membres du foyer bénéficiaires',
    providerLabel: 'Sécurité sociale',
    description: 'Renvoyer, en plus du demandeur, les membres de son foyer couverts par la complémentaire santé solidaire.',
    status: 'En conception',
    extends: 'dss/complementaire_sante_solidaire',
  },
  {
    id: 'men-france-connect',
    title: 'Statut élève scolarisé avec FranceConnect',
    providerLabel: 'Ministère de l’Éducation nationale',
    description: 'Appeler le statut scolarisé et boursier d’un élève avec FranceConnect, sans saisir son identité, et obtenir les données de l’année à venir.',
    status: 'Prévu',
    extends: 'men/scolarites',
  },
  {
    id: 'mesr-lyceens',
    title: 'Statut étudiant : étudiants en lycée et nouvelles données de formation',
    providerLabel: 'Ministère de l’Enseignement supérieur et de la Recherche',
    description: 'Ajouter les étudiants inscrits en lycée (BTS, classes préparatoires) et des données sur la formation suivie et son niveau.',
    status: 'En conception',
    extends: 'mesri/statut_etudiant',
  },
];

/** Where to write to shape an API with the team (« Concevez-la avec nous »). */
export const designWithUs = {
  email: 'api-particulier@api.gouv.fr',
  text: 'Une donnée vous manque pour simplifier une démarche ? Décrivez-nous votre besoin : les prochaines API se conçoivent avec leurs utilisateurs.',
};

export const retired: readonly RetiredApi[] = [
  {
    providerSlug: 'dgfip',
    apiSlug: 'revenu_fiscal_de_reference',
    title: 'Revenu fiscal de référence (DGFIP)',
    providerLabel: 'Direction générale des Finances publiques (DGFIP)',
    endedOn: '30/06/2023',
    explanation:
      'API Particulier ne diffuse plus les données fiscales depuis le 30/06/2023. Le revenu fiscal de référence, la composition du foyer fiscal et l’adresse se demandent désormais auprès de l’API Impôt particulier.',
    replacement: { label: 'API Impôt particulier', href: 'https://api.gouv.fr/les-api/impot-particulier' },
  },
];
