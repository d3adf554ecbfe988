/**
 * Every DSS API is served twice (CONTRACT §1.3): `/identite` with the Family A civil-status params,
 * `/france_connect` with none (the gateway derives them from the citizen's FranceConnect identity,
 * all of them: the CNAV takes the full Family A set). This builds both from one description.
 */
import { Type, type TProperties, type TSchema } from 'typebox';
import type { EndpointDefinition, ParamProblem, QueryParams, RuleContext } from '../../core/endpoint.ts';
import type { ErrorDefinition } from '../../core/errors.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import type { MaskingTable } from '../../core/mask.ts';
import { civilityParams, civilityRules } from './civility-params.ts';

export interface DssApi {
  /** Path segment and operationId stem, e.g. `allocation_adulte_handicape`. */
  name: string;
  /** Title after the modality, e.g. `Statut allocation adulte handicapé (AAH)`. */
  title: string;
  tag: string;
  description: string;
  data: TSchema;
  masking: MaskingTable;
  /** Provider errors of `/identite`. */
  providerErrors: readonly ErrorDefinition[];
  /** Provider errors of `/france_connect`, when they differ (EAJE words its 404 differently). */
  franceConnectProviderErrors?: readonly ErrorDefinition[];
  cacheTtlSeconds: number;
  /** Params of the API itself, taken by both modalities (QF `annee`/`mois`); their 422 code is 00301. */
  ownParams?: TProperties;
  ownRules?: (params: QueryParams, context: RuleContext) => ParamProblem[];
  /** See EndpointDefinition.providerParams (QF: the defaulted period). */
  providerParams?: (params: QueryParams, context: RuleContext) => QueryParams;
}

const FRANCE_CONNECT_NOTE =
  "\n\nLe jeton d'accès FranceConnect du particulier remplace le jeton API Particulier et les paramètres d'état civil : l'API les dérive de l'identité FranceConnect (nom de naissance, nom d'usage, prénoms, date et lieu de naissance, sexe).";

export function dssRoutes(api: DssApi): { identite: EndpointDefinition; franceConnect: EndpointDefinition } {
  const own = api.ownParams ?? {};
  const ownRules = api.ownRules ?? (() => []);
  // CONTRACT §4.2: 00366 for the civil-status params; the API's own params have no official code (ADR 0010).
  const paramError = (parameter: string): ErrorDefinition => (parameter in own ? gatewayErrors.invalidParameter : gatewayErrors.invalidCivility);
  // On /france_connect the only params a caller sends are the API's own, when it has some.
  const franceConnectParamError = (parameter: string): ErrorDefinition =>
    Object.keys(own).length > 0 ? gatewayErrors.invalidParameter : paramError(parameter);
  const common = {
    tag: api.tag,
    data: api.data,
    masking: api.masking,
    cacheTtlSeconds: api.cacheTtlSeconds,
    ...(api.providerParams === undefined ? {} : { providerParams: api.providerParams }),
  };
  return {
    identite: {
      ...common,
      operationId: `api_particulier_v3_cnav_${api.name}_with_civility`,
      path: `/v3/dss/${api.name}/identite`,
      modality: 'identite',
      summary: `[Identité] ${api.title}`,
      description: api.description,
      params: Type.Object({ ...civilityParams.properties, ...own }),
      crossFieldRules: (params, context) => [...civilityRules(params, context.now), ...ownRules(params, context)],
      paramError,
      providerErrors: api.providerErrors,
    },
    franceConnect: {
      ...common,
      operationId: `api_particulier_v3_cnav_${api.name}_with_france_connect`,
      path: `/v3/dss/${api.name}/france_connect`,
      modality: 'france_connect',
      summary: `[FranceConnect] ${api.title}`,
      description: `${api.description}${FRANCE_CONNECT_NOTE}`,
      params: Type.Object(own),
      ...(api.ownRules === undefined ? {} : { crossFieldRules: ownRules }),
      paramError: franceConnectParamError,
      providerErrors: api.franceConnectProviderErrors ?? api.providerErrors,
    },
  };
}

/** `date_debut_droit` of the benefit statuses: a date, `null` when the person is not a beneficiary. */
export function rightStartDate(benefit: string, example = '2024-11-29') {
  return Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    title: `Date d’ouverture du droit ${benefit}`,
    description: `Date de début du droit en cours ${benefit} du particulier bénéficiaire. \`null\` quand le particulier n’est pas bénéficiaire.`,
    examples: [example],
  });
}
