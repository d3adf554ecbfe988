/**
 * Statut revenu de solidarité active (RSA): CONTRACT §1.3 routes 13 and 14, §1.4 body. The
 * majoration needs its own scope (CONTRACT §3.2, §9 check 6).
 */
import { Type } from 'typebox';
import { dssRoutes, rightStartDate } from './dss-routes.ts';
import { cafMsaNotFoundErrors, cnavFailureErrors } from './errors.ts';

const data = Type.Object(
  {
    est_beneficiaire: Type.Boolean({
      title: 'Est bénéficiaire du revenu de solidarité active (RSA)',
      description: "Le particulier est bénéficiaire du revenu de solidarité active au moment de l'appel.",
      examples: [true],
    }),
    avec_majoration: Type.Union([Type.Boolean(), Type.Null()], {
      title: 'RSA avec majoration',
      description:
        "Le RSA du bénéficiaire est majoré au moment de l'appel (`false` : non majoré). `null` quand le particulier n'est pas bénéficiaire. Renvoyé seulement avec le scope `revenu_solidarite_active_majoration`.",
      examples: [false],
    }),
    date_debut_droit: rightStartDate('au RSA', '2024-02-01'),
  },
  { additionalProperties: false },
);

export const rsa = dssRoutes({
  name: 'revenu_solidarite_active',
  title: 'Statut revenu de solidarité active (RSA)',
  tag: 'Statut revenu de solidarité active (RSA)',
  description:
    "Statut de bénéficiaire du revenu de solidarité active (RSA) au moment de l'appel, majoré ou non, et date d'ouverture du droit. Source : CAF ou MSA, via la CNAV.",
  data,
  masking: {
    revenu_solidarite_active: ['est_beneficiaire', 'date_debut_droit'],
    revenu_solidarite_active_majoration: ['avec_majoration'],
  },
  providerErrors: [...cafMsaNotFoundErrors, ...cnavFailureErrors],
  cacheTtlSeconds: 3600,
});
