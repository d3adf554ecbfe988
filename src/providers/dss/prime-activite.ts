/**
 * Statut prime d'activité: CONTRACT §1.3 routes 11 and 12, §1.4 body. The majoration is masked by
 * its own scope (CONTRACT §3.2; OA2 "renvoyé si les droits du jeton le permettent").
 */
import { Type } from 'typebox';
import { dssRoutes, rightStartDate } from './dss-routes.ts';
import { cafMsaNotFoundErrors, cnavFailureErrors } from './errors.ts';

const data = Type.Object(
  {
    est_beneficiaire: Type.Boolean({
      title: "Est bénéficiaire de la prime d'activité",
      description: "Le particulier est bénéficiaire de la prime d'activité au moment de l'appel.",
      examples: [true],
    }),
    avec_majoration: Type.Union([Type.Boolean(), Type.Null()], {
      title: "Prime d'activité avec majoration",
      description:
        "La prime d'activité du bénéficiaire est majorée au moment de l'appel (`false` : non majorée). `null` quand le particulier n'est pas bénéficiaire. Renvoyé seulement avec le scope `prime_activite_majoration`.",
      examples: [false],
    }),
    date_debut_droit: rightStartDate('à la prime d’activité', '2025-03-01'),
  },
  { additionalProperties: false },
);

export const primeActivite = dssRoutes({
  name: 'prime_activite',
  title: "Statut prime d'activité",
  tag: "Statut prime d'activité",
  description:
    "Statut de bénéficiaire de la prime d'activité au moment de l'appel, majorée ou non, et date d'ouverture du droit. Source : CAF ou MSA, via la CNAV.",
  data,
  masking: {
    prime_activite: ['est_beneficiaire', 'date_debut_droit'],
    prime_activite_majoration: ['avec_majoration'],
  },
  providerErrors: [...cafMsaNotFoundErrors, ...cnavFailureErrors],
  cacheTtlSeconds: 3600,
});
