/**
 * Statut service national (DSNJ): CONTRACT §1.3 routes 23 and 24, §1.4 body, §1.2 family B.
 *
 * DSNJ params differ from the DSS family: the whole birth date and the sex are required, the birth
 * commune is given by its COG code only (no name + department triplet), there is no usage name.
 */
import { Type } from 'typebox';
import { birthDateRules, birthPlaceRules, civilityFields as f, pickParams, FRANCE_CONNECT_PIVOT_PARAMS } from '../../core/civility.ts';
import type { EndpointDefinition, ParamProblem, QueryParams } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { dsnjErrors } from './errors.ts';

export const serviceNationalParams = Type.Object({
  nomNaissance: f.nomNaissance(),
  'prenoms[]': f.prenoms(1, 3),
  anneeDateNaissance: f.anneeDateNaissance(),
  moisDateNaissance: f.moisDateNaissance(),
  jourDateNaissance: f.jourDateNaissance(),
  sexeEtatCivil: f.sexeEtatCivil(),
  codeCogInseePaysNaissance: f.codeCogInseePaysNaissance(),
  codeCogInseeCommuneNaissance: Type.Optional(f.codeCogInseeCommuneNaissance()),
});

export function serviceNationalRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  return [...birthPlaceRules(params, { allowCommuneByName: false }), ...birthDateRules(params, today)];
}

/**
 * `sexeEtatCivil` gets the DSNJ code 00427 (CONTRACT §4.2, conformance check 10), every other
 * civil-status param the family code 00366 (CONTRACT §1.2).
 */
export function serviceNationalParamError(parameter: string) {
  return parameter === 'sexeEtatCivil' ? dsnjErrors.missingSex : gatewayErrors.invalidCivility;
}

const data = Type.Object(
  {
    statut_service_national: Type.Unsafe<'en_regle' | 'pas_en_regle' | 'indetermine' | 'non_concerne'>({
      type: 'string',
      enum: ['en_regle', 'pas_en_regle', 'indetermine', 'non_concerne'],
      title: 'Statut service national',
      description:
        'Indique si la personne est en règle de ses obligations de service national : `en_regle` si elle est en règle, `pas_en_regle` si elle ne l’est pas, `indetermine` si l’information n’est pas connue, `non_concerne` si elle n’est pas concernée par les obligations de service national.',
      examples: ['en_regle'],
    }),
    commentaires: Type.Union([Type.String(), Type.Null()], {
      title: 'Commentaires de la DSNJ',
      description:
        'Commentaire indiqué par la direction du Service national et de la jeunesse (DSNJ), notamment pour les cas particuliers. `null` en l’absence de commentaire.',
      examples: [null],
    }),
  },
  { additionalProperties: false },
);

const common = {
  tag: 'Statut Service national',
  data,
  masking: { dsnj_statut_service_national: ['statut_service_national', 'commentaires'] },
  paramError: serviceNationalParamError,
} satisfies Partial<EndpointDefinition>;

const description =
  'Statut de conformité au Service national des jeunes entre 16 et 25 ans (recensement, journée défense et citoyenneté), tel que connu de la direction du Service national et de la jeunesse (DSNJ).';

export const serviceNationalIdentite: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v3_dsnj_service_national_with_civility',
  path: '/v3/dsnj/service_national/identite',
  modality: 'identite',
  summary: '[Identité] Statut service national',
  description: `${description}\n\nLa commune de naissance se donne uniquement par son code COG (\`codeCogInseeCommuneNaissance\`) ; le sexe à l’état civil est obligatoire (erreur 422 \`00427\` s’il manque).`,
  params: serviceNationalParams,
  crossFieldRules: (params, { now }) => serviceNationalRules(params, now),
  providerErrors: [dsnjErrors.notFound, dsnjErrors.unknown, dsnjErrors.timeout, dsnjErrors.unavailable, dsnjErrors.dns],
};

/** CONTRACT §5.2: DSNJ takes everything FranceConnect gives except the usage name, which it does not accept. */
export const dsnjFranceConnectParams = pickParams(FRANCE_CONNECT_PIVOT_PARAMS);

export const serviceNationalFranceConnect: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v3_dsnj_service_national_with_france_connect',
  path: '/v3/dsnj/service_national/france_connect',
  modality: 'france_connect',
  summary: '[FranceConnect] Statut service national',
  description: `${description}\n\nLe jeton d'accès FranceConnect du particulier remplace le jeton API Particulier et les paramètres d'état civil.`,
  params: Type.Object({}),
  franceConnectParams: dsnjFranceConnectParams,
  // CONTRACT §1.3 route 24 documents the 404 only among provider errors.
  providerErrors: [dsnjErrors.notFound],
};
