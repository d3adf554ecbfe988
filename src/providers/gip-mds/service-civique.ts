/**
 * Statut service civique (GIP-MDS): CONTRACT §1.3 routes 27 and 28, §1.4 body, §1.2 family B.
 *
 * GIP-MDS matches on names and birth date only: no sex, no birth place, no usage name. Scope names and
 * the masking table are decided in docs/adr/0031-gip-mds-service-civique.md (CONTRACT §8.4).
 */
import { Type } from 'typebox';
import { birthDateRules, civilityFields as f, pickParams } from '../../core/civility.ts';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import type { MaskingTable } from '../../core/mask.ts';
import { gipMdsErrors } from './errors.ts';

export const serviceCiviqueParams = Type.Object({
  nomNaissance: f.nomNaissance(),
  'prenoms[]': f.prenoms(1, 3),
  anneeDateNaissance: f.anneeDateNaissance(),
  moisDateNaissance: f.moisDateNaissance(),
  jourDateNaissance: f.jourDateNaissance(),
});

const nullableDate = (title: string, description: string, example: string) =>
  Type.Union([Type.String({ format: 'date' }), Type.Null()], { title, description, examples: [example] });

/** `statut_actuel` and `statut_passe` share one shape; only the wording differs. */
function statut(period: 'actuel' | 'passe') {
  const none = period === 'actuel' ? 'Null si aucun contrat en cours.' : 'Null si aucun contrat passé.';
  const host = period === 'actuel' ? 'qui accueille' : 'qui a accueilli';
  return Type.Object(
    {
      contrat_trouve: Type.Boolean({
        title: period === 'actuel' ? 'Contrat en cours trouvé' : 'Contrat passé trouvé',
        description:
          period === 'actuel'
            ? 'Indique si le particulier est actuellement en service civique. Un contrat est considéré en cours en l’absence de date de fin, ou lorsque le motif de rupture transmis par le GIP-MDS est 99 (contrat non rompu) ou 100 (fin de contrat non encore déclarée).'
            : 'Indique si le particulier a effectué un service civique par le passé (contrat terminé).',
        examples: [true],
      }),
      organisme_accueil: Type.Object(
        {
          siret: Type.Union([Type.String(), Type.Null()], {
            title: 'SIRET de l’organisme d’accueil',
            description: `Numéro SIRET de l’administration ou de l’association ${host} le volontaire en service civique. ${none}`,
            examples: ['13002526500013'],
          }),
          raison_sociale: Type.Union([Type.String(), Type.Null()], {
            title: 'Raison sociale de l’organisme d’accueil',
            description: `Nom officiel de l’administration ou de l’association ${host} le volontaire en service civique. ${none}`,
            examples: ['DIRECTION INTERMINISTERIELLE DU NUMERIQUE'],
          }),
        },
        {
          title: 'Organisme d’accueil',
          description: `Informations sur l’administration ou l’association ${host} le volontaire en service civique.`,
        },
      ),
      date_debut_contrat: nullableDate(
        'Date de début du contrat',
        `Premier jour du contrat de service civique, au format ISO 8601 (AAAA-MM-JJ). ${none}`,
        '2024-01-15',
      ),
      date_fin_contrat: nullableDate(
        'Date de fin du contrat',
        period === 'actuel'
          ? 'Date de fin prévue du contrat de service civique, au format ISO 8601 (AAAA-MM-JJ). Null si aucun contrat en cours ou si la date de fin n’est pas encore définie.'
          : `Dernier jour du contrat de service civique, au format ISO 8601 (AAAA-MM-JJ). ${none}`,
        '2024-07-14',
      ),
    },
    {
      title: period === 'actuel' ? 'Statut actuel' : 'Statut passé',
      description:
        period === 'actuel'
          ? 'Informations sur le contrat de service civique en cours. Accessible avec le scope `gip_mds_service_civique_statut_actuel`.'
          : 'Informations sur le contrat de service civique terminé. Accessible avec le scope `gip_mds_service_civique_statut_passe`.',
    },
  );
}

const data = Type.Object({ statut_actuel: statut('actuel'), statut_passe: statut('passe') }, { additionalProperties: false });

/**
 * The production serializer is conjunctive: a period scope opens its block with `contrat_trouve`, and
 * the host and the dates of that block also need `_organisme_accueil` / `_dates`. The table says
 * exactly that with `a+b` keys (both scopes required): docs/adr/0031-gip-mds-service-civique.md.
 */
export const serviceCiviqueMasking: MaskingTable = {
  gip_mds_service_civique_statut_actuel: ['statut_actuel.contrat_trouve'],
  gip_mds_service_civique_statut_passe: ['statut_passe.contrat_trouve'],
  'gip_mds_service_civique_statut_actuel+gip_mds_service_civique_organisme_accueil': ['statut_actuel.organisme_accueil'],
  'gip_mds_service_civique_statut_passe+gip_mds_service_civique_organisme_accueil': ['statut_passe.organisme_accueil'],
  'gip_mds_service_civique_statut_actuel+gip_mds_service_civique_dates': ['statut_actuel.date_debut_contrat', 'statut_actuel.date_fin_contrat'],
  'gip_mds_service_civique_statut_passe+gip_mds_service_civique_dates': ['statut_passe.date_debut_contrat', 'statut_passe.date_fin_contrat'],
};

const common = {
  tag: 'Statut service civique',
  data,
  masking: serviceCiviqueMasking,
  paramError: () => gatewayErrors.invalidCivility,
  providerErrors: [gipMdsErrors.severalMatches, gipMdsErrors.notFound, gipMdsErrors.unknown, gipMdsErrors.timeout, gipMdsErrors.unavailable, gipMdsErrors.dns],
} satisfies Partial<EndpointDefinition>;

const description =
  'Informations relatives au contrat de service civique d’un particulier, issues des déclarations sociales nominatives (DSN) transmises au GIP-MDS : le particulier est-il ou a-t-il été engagé dans un service civique, auprès de quel organisme et à quelles dates.';

export const serviceCiviqueIdentite: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v3_gip_mds_service_civique_with_civility',
  path: '/v3/gip_mds/service_civique/identite',
  modality: 'identite',
  summary: '[Identité] Statut service civique',
  description: `${description}\n\nLa recherche se fait sur les noms et la date de naissance complète, sans sexe ni lieu de naissance. Quand l’identité correspond à plusieurs personnes, l’API répond 422 \`00391\`.`,
  params: serviceCiviqueParams,
  crossFieldRules: (params, { now }) => birthDateRules(params, now),
};

/** CONTRACT §5.2: GIP-MDS keeps only the names and the birth date of the FranceConnect identity. */
export const gipMdsFranceConnectParams = pickParams(['nomNaissance', 'prenoms', 'anneeDateNaissance', 'moisDateNaissance', 'jourDateNaissance']);

export const serviceCiviqueFranceConnect: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v3_gip_mds_service_civique_with_france_connect',
  path: '/v3/gip_mds/service_civique/france_connect',
  modality: 'france_connect',
  summary: '[FranceConnect] Statut service civique',
  description: `${description}\n\nLe jeton d'accès FranceConnect du particulier remplace le jeton API Particulier et les paramètres d'état civil ; seuls ses noms et sa date de naissance sont transmis au GIP-MDS.`,
  params: Type.Object({}),
  franceConnectParams: gipMdsFranceConnectParams,
};
