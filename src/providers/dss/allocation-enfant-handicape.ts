/**
 * Statut allocation d'éducation de l'enfant handicapé (AEEH): CONTRACT §1.3 routes 7 and 8, §1.4
 * body. The sources name no scope for it: `allocation_enfant_handicape` (docs/adr/0012-dss-scopes.md).
 */
import { Type } from 'typebox';
import { dssRoutes, rightStartDate } from './dss-routes.ts';
import { cafMsaNotFoundErrors, cnavFailureErrors } from './errors.ts';

const data = Type.Object(
  {
    status: Type.Unsafe<'allocataire' | 'ouvrant_droit' | 'non_beneficiaire'>({
      type: 'string',
      enum: ['allocataire', 'ouvrant_droit', 'non_beneficiaire'],
      title: "Statut bénéficiaire de l'allocation d'éducation de l'enfant handicapé (AEEH)",
      description:
        "Situation du particulier au regard de l'AEEH au moment de l'appel :\n" +
        "- `allocataire` : il perçoit l'AEEH (qualité bénéficiaire 105), en général le parent ou le tuteur légal de l'enfant ;\n" +
        "- `ouvrant_droit` : l'AEEH est versée pour lui (qualité bénéficiaire 205), en général l'enfant handicapé lui-même ;\n" +
        "- `non_beneficiaire` : il n'est pas concerné par l'AEEH.",
      examples: ['allocataire'],
    }),
    date_debut_droit: rightStartDate('à l’AEEH', '2017-09-01'),
  },
  { additionalProperties: false },
);

export const aeeh = dssRoutes({
  name: 'allocation_enfant_handicape',
  title: "Statut allocation d'éducation de l'enfant handicapé (AEEH)",
  tag: "Statut allocation d'éducation de l'enfant handicapé (AEEH)",
  description:
    "Statut au regard de l'allocation d'éducation de l'enfant handicapé (AEEH) au moment de l'appel — allocataire, ouvrant droit ou non bénéficiaire — et date d'ouverture du droit. Source : CAF ou MSA, via la CNAV.",
  data,
  masking: { allocation_enfant_handicape: ['status', 'date_debut_droit'] },
  providerErrors: [...cafMsaNotFoundErrors, ...cnavFailureErrors],
  cacheTtlSeconds: 3600,
});
