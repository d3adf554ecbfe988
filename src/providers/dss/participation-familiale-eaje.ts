/**
 * Participation familiale EAJE (établissements d'accueil du jeune enfant, crèches): CONTRACT §1.3
 * routes 15 and 16, §1.4 body. Scope names: docs/adr/0012-dss-scopes.md (CONTRACT §8.3).
 */
import { Type } from 'typebox';
import { dssRoutes } from './dss-routes.ts';
import { cnavFailureErrors, dssErrors } from './errors.ts';
import { adresseSchema, allocatairesSchema, enfantsSchema } from './household-schemas.ts';

const parametresCalcul = Type.Object(
  {
    nombre_enfants_a_charge: Type.Integer({
      minimum: 0,
      title: "Nombre d'enfants à charge",
      description: 'Nombre d’enfants à charge des allocataires.',
      examples: [2],
    }),
    nombre_enfants_beneficiaire_aeeh: Type.Integer({
      minimum: 0,
      title: "Nombre d'enfants bénéficiaires de l'AEEH",
      description: "Nombre d'enfants du foyer ouvrant droit à l'allocation d'éducation de l'enfant handicapé (AEEH).",
      examples: [0],
    }),
    base_ressources_annuelles: Type.Object(
      {
        valeur: Type.Integer({ title: 'Valeur', description: 'Montant des ressources annuelles, en euros.', examples: [40923] }),
        annee_calcul: Type.Integer({
          title: 'Année du calcul des ressources',
          description: 'Année des ressources retenues pour le calcul.',
          examples: [2024],
        }),
      },
      { title: 'Ressources annuelles', description: 'Ressources annuelles déclarées par les allocataires.' },
    ),
  },
  {
    title: 'Paramètres pris en compte pour le calcul du tarif',
    description: 'Paramètres retenus pour calculer la participation familiale en EAJE (barème national de la CNAF).',
  },
);

const data = Type.Object(
  {
    allocataires: allocatairesSchema({ withBirthCommune: true, currentMonthNote: false }),
    enfants: enfantsSchema({ withBirthCommune: true, currentMonthNote: false }),
    adresse: adresseSchema,
    parametres_calcul_participation_familiale: parametresCalcul,
  },
  { additionalProperties: false },
);

export const eaje = dssRoutes({
  name: 'participation_familiale_eaje',
  title: 'Participation familiale EAJE',
  tag: 'Participation familiale EAJE',
  description:
    "Données nécessaires au calcul de la participation familiale en établissement d'accueil du jeune enfant (EAJE, crèche) : allocataires, enfants, adresse, nombre d'enfants à charge et bénéficiaires de l'AEEH, ressources annuelles. Source : CAF ou MSA, via la CNAV.",
  data,
  masking: {
    cnav_participation_familiale_eaje_allocataires: ['allocataires'],
    cnav_participation_familiale_eaje_enfants: ['enfants'],
    cnav_participation_familiale_eaje_adresse: ['adresse'],
    cnav_participation_familiale_eaje_parametres_calcul: ['parametres_calcul_participation_familiale'],
  },
  providerErrors: [dssErrors.eajeNotFound, ...cnavFailureErrors],
  franceConnectProviderErrors: [dssErrors.eajeNotFoundFranceConnect, ...cnavFailureErrors],
  cacheTtlSeconds: 3600,
});
