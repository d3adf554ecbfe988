/**
 * Statut complémentaire santé solidaire (C2S): CONTRACT §1.3 routes 3 and 4, §1.4 body.
 */
import { Type } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { civilityParams, civilityRules } from './civility-params.ts';
import { dssErrors } from './errors.ts';

const data = Type.Object(
  {
    est_beneficiaire: Type.Boolean({
      title: 'Est bénéficiaire de la complémentaire santé solidaire (C2S)',
      description: 'Le particulier est bénéficiaire de la C2S au moment de l’appel.',
      examples: [true],
    }),
    avec_participation: Type.Union([Type.Boolean(), Type.Null()], {
      title: 'C2S avec participation financière',
      description:
        'La C2S du bénéficiaire est avec participation financière (`false` : sans participation). `null` quand le particulier n’est pas bénéficiaire.',
      examples: [false],
    }),
    date_debut_droit: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
      title: 'Date d’ouverture du droit en cours',
      description:
        'Début du droit en cours (pour un droit renouvelé, la date de la première attribution de ce droit). `null` quand le particulier n’est pas bénéficiaire.',
      examples: ['2024-11-29'],
    }),
  },
  { additionalProperties: false },
);

const common = {
  tag: 'Statut complémentaire santé solidaire (C2S)',
  data,
  masking: { complementaire_sante_solidaire: ['est_beneficiaire', 'avec_participation', 'date_debut_droit'] },
  providerErrors: [dssErrors.c2sNotFound, dssErrors.unknown, dssErrors.timeout, dssErrors.unavailable, dssErrors.throttled],
  cacheTtlSeconds: 3600,
  paramError: () => gatewayErrors.invalidCivility,
} satisfies Partial<EndpointDefinition>;

const description =
  'Statut de bénéficiaire de la complémentaire santé solidaire (C2S) au moment de l’appel, avec ou sans participation financière, et date d’ouverture du droit en cours. Source : RNCPS, via la CNAV.';

export const c2sIdentite: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility',
  path: '/v3/dss/complementaire_sante_solidaire/identite',
  modality: 'identite',
  summary: '[Identité] Statut complémentaire santé solidaire (C2S)',
  description,
  params: civilityParams,
  crossFieldRules: (params, { now }) => civilityRules(params, now),
};

export const c2sFranceConnect: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_france_connect',
  path: '/v3/dss/complementaire_sante_solidaire/france_connect',
  modality: 'france_connect',
  summary: '[FranceConnect] Statut complémentaire santé solidaire (C2S)',
  description: `${description}\n\nLe jeton d'accès FranceConnect du particulier remplace le jeton API Particulier et les paramètres d'état civil.`,
  params: Type.Object({}),
};
