/**
 * Statut allocation de soutien familial (ASF): CONTRACT §1.3 routes 9 and 10, §1.4 body.
 */
import { Type } from 'typebox';
import { dssRoutes, rightStartDate } from './dss-routes.ts';
import { cafMsaNotFoundErrors, cnavFailureErrors } from './errors.ts';

const data = Type.Object(
  {
    est_beneficiaire: Type.Boolean({
      title: "Est bénéficiaire de l'allocation de soutien familial (ASF)",
      description: "Le particulier est bénéficiaire de l'allocation de soutien familial au moment de l'appel.",
      examples: [true],
    }),
    date_debut_droit: rightStartDate('à l’ASF', '2021-02-01'),
  },
  { additionalProperties: false },
);

export const asf = dssRoutes({
  name: 'allocation_soutien_familial',
  title: 'Statut allocation de soutien familial (ASF)',
  tag: 'Statut allocation de soutien familial (ASF)',
  description:
    "Statut de bénéficiaire de l'allocation de soutien familial (ASF) au moment de l'appel, et date d'ouverture du droit. Source : CAF ou MSA, via la CNAV.",
  data,
  masking: { allocation_soutien_familial: ['est_beneficiaire', 'date_debut_droit'] },
  providerErrors: [...cafMsaNotFoundErrors, ...cnavFailureErrors],
  cacheTtlSeconds: 3600,
});
