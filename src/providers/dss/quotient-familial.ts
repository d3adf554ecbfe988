/**
 * Quotient familial CAF & MSA: CONTRACT §1.3 routes 1 and 2, §1.4 body. Both modalities take the
 * `annee`/`mois` of the wanted month (quotient-familial-period.ts); the household is always the
 * current one.
 */
import { Type } from 'typebox';
import { dssRoutes } from './dss-routes.ts';
import { cafMsaNotFoundErrors, cnavFailureErrors } from './errors.ts';
import { adresseSchema, allocatairesSchema, enfantsSchema } from './household-schemas.ts';
import { periodParams, quotientFamilialPeriodRules , requestedPeriod } from './quotient-familial-period.ts';

const quotientFamilial = Type.Object(
  {
    fournisseur: Type.Unsafe<'CNAF' | 'MSA'>({
      type: 'string',
      enum: ['CNAF', 'MSA'],
      title: 'Fournisseur du QF',
      description: 'Organisme qui a calculé le quotient familial : la CAF (`CNAF`) ou la MSA (`MSA`).',
      examples: ['CNAF'],
    }),
    valeur: Type.Integer({
      title: 'Valeur du QF',
      description: 'Valeur du quotient familial calculée par la CAF ou la MSA, en euros.',
      examples: [1045],
    }),
    annee: Type.Integer({
      title: 'Année effective du QF',
      description:
        "Année à laquelle s'applique le quotient familial renvoyé : celle demandée (`annee`), l'année en cours par défaut. Elle peut différer de l'année de calcul quand le quotient a été recalculé.",
      examples: [2025],
    }),
    mois: Type.Integer({
      title: 'Mois effectif du QF',
      description:
        "Mois auquel s'applique le quotient familial renvoyé : celui demandé (`mois`), le mois en cours par défaut ; avec une année seule, le mois en cours de cette année. Il peut différer du mois de calcul.",
      examples: [6],
    }),
    annee_calcul: Type.Integer({
      title: 'Année du calcul du QF',
      description:
        "Année du calcul du quotient familial renvoyé. La CAF ne le recalcule que si de nouvelles informations rectifient la situation de l'allocataire ; la MSA le recalcule systématiquement (année en cours).",
      examples: [2025],
    }),
    mois_calcul: Type.Integer({
      title: 'Mois du calcul du QF',
      description:
        "Mois du calcul du quotient familial renvoyé. La CAF ne le recalcule que si de nouvelles informations rectifient la situation de l'allocataire ; la MSA le recalcule systématiquement (mois en cours).",
      examples: [1],
    }),
  },
  {
    title: 'Informations du quotient familial (QF)',
    description: "Quotient familial CAF ou MSA du mois demandé, et date de son calcul.",
  },
);

const data = Type.Object(
  {
    allocataires: allocatairesSchema({ withBirthCommune: false, currentMonthNote: true }),
    enfants: enfantsSchema({ withBirthCommune: false, currentMonthNote: true }),
    adresse: adresseSchema,
    quotient_familial: quotientFamilial,
  },
  { additionalProperties: false },
);

export const quotientFamilialRoutes = dssRoutes({
  name: 'quotient_familial',
  title: 'Quotient familial CAF & MSA',
  tag: 'Quotient familial CAF & MSA',
  description:
    "Quotient familial délivré par la CAF ou la MSA pour le mois demandé (par défaut le mois en cours, historique de 2 ans au plus), et composition actuelle de la famille de l'allocataire : allocataires, enfants, adresse.",
  data,
  masking: {
    cnaf_quotient_familial: ['quotient_familial'],
    cnaf_allocataires: ['allocataires'],
    cnaf_enfants: ['enfants'],
    cnaf_adresse: ['adresse'],
  },
  providerErrors: [...cafMsaNotFoundErrors, ...cnavFailureErrors],
  cacheTtlSeconds: 86_400, // CONTRACT §1.1: 24 h for the quotient familial
  ownParams: periodParams,
  ownRules: (params, { now }) => quotientFamilialPeriodRules(params, now),
  // The provider is asked for an explicit month: the sandbox's history cases then answer defaults too.
  providerParams: (params, { now }) => ({ ...params, ...requestedPeriod(params, now) }),
});
