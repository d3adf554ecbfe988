/** Paiements versés par France Travail: CONTRACT §1.3 route 26, §1.4 body. */
import { Type } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { franceTravailErrors, franceTravailProviderErrors } from './errors.ts';
import { identifiantParams } from './identifiant-param.ts';

const paiement = Type.Object(
  {
    date_versement: Type.String({ format: 'date', title: 'Date du paiement', examples: ['2021-01-01'] }),
    montant_total: Type.Number({
      title: 'Montant total versé',
      description: 'Montant total du paiement, en euros : somme des allocations, aides et autres paiements, moins le prélèvement de l’impôt à la source.',
      examples: [123.4],
    }),
    montant_allocations: Type.Number({
      title: 'Montant d’allocations',
      description:
        'Montant du paiement, avant prélèvement de l’impôt à la source, correspondant aux allocations (allocation d’aide au retour à l’emploi, allocation de sécurisation professionnelle, allocation de solidarité spécifique, allocation des travailleurs indépendants, rémunération de formation France Travail, rémunération de fin de formation, allocation de fin de droit, allocation d’accompagnement personnalisé, allocation de professionnalisation et de solidarité, allocation décès, allocation contrat d’engagement jeune).',
      examples: [45.1],
    }),
    montant_aides: Type.Number({
      title: 'Montant d’aides',
      description:
        'Montant du paiement, avant prélèvement de l’impôt à la source, correspondant aux aides (aide à la reprise et à la création d’entreprise, aide à la mobilité, aide à la garde d’enfant pour parent isolé, aide fin de droit, aide aux congés non payés, aide à la validation des acquis de l’expérience, aide du fonds de sécurisation du secteur automobile, aide ponctuelle jeune, aide régionale, aide aux demandeurs d’emploi de longue durée, aide exceptionnelle de solidarité, prime de reclassement).',
      examples: [12.21],
    }),
    montant_autres: Type.Number({
      title: 'Montant des autres paiements',
      description:
        'Montant du paiement, avant prélèvement de l’impôt à la source, correspondant aux autres paiements (prime de Noël, indemnité différentielle de reclassement, acompte, avance, reversement).',
      examples: [2.34],
    }),
  },
  { title: 'Paiement' },
);

const data = Type.Object(
  {
    identifiant: Type.String({
      title: 'Nom d’utilisateur France Travail',
      description:
        'Identifiant du compte utilisateur France Travail, tel qu’il a été renseigné en paramètre d’appel : le nom d’utilisateur choisi par le particulier lors de la création de son espace personnel en ligne.',
      examples: ['jean.dupont33'],
    }),
    paiements: Type.Array(paiement, {
      minItems: 1,
      title: 'Liste des paiements versés',
      description: 'Liste des paiements versés par France Travail au particulier.',
    }),
  },
  { additionalProperties: false },
);

export const indemnitesIdentifiant: EndpointDefinition = {
  operationId: 'api_particulier_v3_france_travail_indemnites_with_identifiant',
  path: '/v3/france_travail/indemnites/identifiant',
  modality: 'identifiant',
  summary: 'Paiements versés par France Travail',
  description:
    'Ensemble des paiements versés par France Travail au particulier : date, montant total et sa répartition entre allocations, aides et autres paiements. Paramètre d’appel : le nom d’utilisateur France Travail choisi par le particulier lors de la création de son espace personnel en ligne.',
  tag: 'Paiements versés par France Travail',
  params: identifiantParams,
  paramError: () => franceTravailErrors.missingIdentifier,
  data,
  // CONTRACT §3.2: the single scope unlocks everything (production echoes `identifiant` to any caller of the route).
  masking: { pole_emploi_paiements: ['identifiant', 'paiements'] },
  providerErrors: franceTravailProviderErrors,
};
