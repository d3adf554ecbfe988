/**
 * Statut élève scolarisé et boursier: CONTRACT §1.3 routes 29 (v3) and 30 (v4), §1.4 body. The two
 * official routes are byte-identical apart from the operationId, so they are defined once here.
 */
import { Type } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { menErrors } from './errors.ts';
import { scolaritesParamError, scolaritesParams, scolaritesRules } from './scolarites-params.ts';

const nullableString = (options: Record<string, unknown>) => Type.Union([Type.String(), Type.Null()], options);

const data = Type.Object(
  {
    identite: Type.Object(
      {
        nom: Type.String({ title: 'Nom', description: 'Nom de l’élève.', examples: ['PERRIN'] }),
        prenom: Type.String({ title: 'Prénom', description: 'Prénom de l’élève.', examples: ['LEO'] }),
        sexe: Type.Unsafe<'M' | 'F'>({ type: 'string', enum: ['M', 'F'], title: 'Sexe', description: 'Sexe de l’élève, masculin (`M`) ou féminin (`F`).', examples: ['M'] }),
        date_naissance: Type.String({ format: 'date', title: 'Date de naissance', description: 'Date de naissance de l’élève (AAAA-MM-JJ).', examples: ['2012-09-05'] }),
      },
      {
        title: 'Données d’identité de l’élève',
        description:
          'Identité issue de la base des établissements scolaires où l’élève est inscrit, telle que fournie par les parents à l’inscription (pièces d’identité).',
      },
    ),
    module_elementaire_formation: Type.Object(
      {
        code_mef_stat: nullableString({ title: 'Code MEF', description: 'Code MEF Stat 11, selon la BCN.', examples: ['10310019110'] }),
        libelle: nullableString({ title: 'Libellé long, selon la BCN', description: 'Libellé long du module élémentaire de formation, selon la BCN.', examples: ['4EME'] }),
      },
      { title: 'Module élémentaire de formation (MEF)', description: 'Code et libellé du module élémentaire de formation (la classe suivie). `null` quand il n’est pas connu, notamment dans le premier degré.' },
    ),
    etablissement: Type.Object(
      {
        code_uai: Type.String({
          pattern: '^\\d{7}\\w$',
          title: 'Code UAI de l’établissement',
          description:
            'Code d’unité administrative immatriculée (UAI) de l’établissement où est scolarisé l’élève : 7 chiffres et une lettre, les 3 premiers chiffres étant le département. Le nom de l’établissement se retrouve avec l’API « Annuaire de l’éducation nationale ».',
          examples: ['0691234K'],
        }),
        code_ministere_tutelle: nullableString({
          title: 'Code de l’établissement auprès du ministère de tutelle',
          description: 'Code à 2 chiffres du ministère de tutelle principal, selon la BCN (`06` : Éducation nationale).',
          examples: ['06'],
        }),
      },
      { title: 'Établissement d’études', description: 'L’établissement de l’élève.' },
    ),
    annee_scolaire: Type.String({
      pattern: '^\\d{4}$|^\\d{4}-\\d{4}$',
      title: 'Année scolaire',
      description: 'Année scolaire de l’élève, au format AAAA-AAAA.',
      examples: ['2025-2026'],
    }),
    est_scolarise: Type.Boolean({ title: 'Est scolarisé', description: 'L’élève est scolarisé dans un établissement.', examples: [true] }),
    statut_eleve: Type.Object(
      {
        code: Type.String({ title: 'Code', description: 'Code du statut sous lequel l’élève est scolarisé dans l’établissement.', examples: ['ST'] }),
        libelle: Type.String({ title: 'Libellé', description: 'Libellé du statut sous lequel l’élève est scolarisé dans l’établissement.', examples: ['SCOLAIRE'] }),
      },
      {
        title: 'Statut de l’élève',
        description:
          'Statut sous lequel l’élève est scolarisé ; les valeurs peuvent évoluer. `ST` scolaire (près de 95 % des élèves), `AP` apprenti, `CQ` contrat de qualification, `FC` formation continue, `ED` enseignement à distance, `IN` candidat individuel, `FQ` stagiaire de la formation professionnelle, `SC` scolaire ou formation initiale, `CP` contrat de professionnalisation, `NC` non connu ou non communiqué.',
      },
    ),
    est_boursier: Type.Union([Type.Boolean(), Type.Null()], {
      title: 'Est boursier',
      description:
        'L’élève est boursier dans l’établissement (les bourses ne concernent que les collégiens et les lycéens). ⚠️ `false` avant mi-octobre peut être un faux négatif : l’information n’est pas encore en base. `null` quand on ne sait pas si l’élève est boursier.',
      examples: [true],
    }),
    echelon_bourse: Type.Union([Type.Union([1, 2, 3, 4, 5, 6].map((n) => Type.Literal(n))), Type.Null()], {
      title: 'Échelon de la bourse',
      description:
        'Échelon de la bourse de l’élève : 1 à 3 pour un collégien, 1 à 6 pour un lycéen, selon le montant reçu pour l’année scolaire. `null` quand l’élève n’est pas boursier.',
      examples: [1],
    }),
  },
  { additionalProperties: false },
);

const description =
  'Statut scolarisé d’un élève du primaire, du collège ou du lycée pour une année scolaire, et son statut boursier, recherché dans un périmètre : un établissement (code UAI), des départements ou des régions académiques. Source : ministère de l’Éducation nationale.';

const common = {
  modality: 'identite',
  summary: 'Statut élève scolarisé et boursier',
  tag: 'Statut élève scolarisé',
  params: scolaritesParams,
  crossFieldRules: (params, { now }) => scolaritesRules(params, now),
  paramError: scolaritesParamError,
  data,
  masking: {
    men_statut_identite: ['identite'],
    men_statut_scolarite: ['est_scolarise', 'annee_scolaire', 'statut_eleve'],
    men_statut_boursier: ['est_boursier'],
    men_echelon_bourse: ['echelon_bourse'],
    men_statut_etablissement: ['etablissement'],
    men_statut_module_elementaire_formation: ['module_elementaire_formation'],
  },
  providerErrors: [menErrors.notFound, menErrors.unknown, menErrors.timeout, menErrors.unavailable, menErrors.dns],
} satisfies Partial<EndpointDefinition>;

export const scolaritesV3: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v3_men_scolarites_with_civility',
  path: '/v3/men/scolarites/identite',
  description,
};

export const scolaritesV4: EndpointDefinition = {
  ...common,
  operationId: 'api_particulier_v4_men_scolarites_with_civility',
  path: '/v4/men/scolarites/identite',
  description: `${description}\n\nIdentique à la route v3 \`/v3/men/scolarites/identite\`.`,
};
