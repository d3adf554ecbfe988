/**
 * Statut allocation adulte handicapé (AAH): CONTRACT §1.3 routes 5 and 6, §1.4 body.
 */
import { Type } from 'typebox';
import { dssRoutes, rightStartDate } from './dss-routes.ts';
import { cafMsaNotFoundErrors, cnavFailureErrors } from './errors.ts';

const data = Type.Object(
  {
    est_beneficiaire: Type.Boolean({
      title: "Est bénéficiaire de l'allocation adulte handicapé (AAH)",
      description: "Le particulier est bénéficiaire de l'allocation adulte handicapé au moment de l'appel.",
      examples: [true],
    }),
    date_debut_droit: rightStartDate('à l’AAH', '2019-04-01'),
  },
  { additionalProperties: false },
);

export const aah = dssRoutes({
  name: 'allocation_adulte_handicape',
  title: 'Statut allocation adulte handicapé (AAH)',
  tag: 'Statut allocation adulte handicapé (AAH)',
  description:
    "Statut de bénéficiaire de l'allocation adulte handicapé (AAH) au moment de l'appel, et date d'ouverture du droit. Source : CAF ou MSA, via la CNAV.",
  data,
  masking: { allocation_adulte_handicape: ['est_beneficiaire', 'date_debut_droit'] },
  providerErrors: [...cafMsaNotFoundErrors, ...cnavFailureErrors],
  cacheTtlSeconds: 3600,
});
