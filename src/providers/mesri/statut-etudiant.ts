/**
 * Statut étudiant (MESRI): CONTRACT §1.3 routes 31–33, §1.4 body, §3.2 masking.
 * The FranceConnect variant answers `admissions` only, as the official file declares it (CONTRACT
 * §8.7 describes an older, empty schema): docs/adr/0022-mesri-statut-etudiant.md.
 */
import { Type } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { invalidIne, mesriErrors, mesriUpstreamErrors } from './errors.ts';
import { ineParams, mesriCivilityParams, mesriCivilityRules, mesriFranceConnectParams } from './student-params.ts';

const DATE = { format: 'date' } as const;

/** `type: string` + `enum`, exactly as the official schema writes it. */
function stringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown>) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

const REGIMES = [
  ['RF1', 'formation initiale'],
  ['RF2', 'formation initiale hors apprentissage'],
  ['RF3', "reprise d'études non financée sans convention"],
  ['RF4', "contrat d'apprentissage"],
  ['RF5', 'formation continue'],
  ['RF6', 'formation continue hors contrat professionnel'],
  ['RF7', 'contrat de professionnalisation'],
] as const;

const admission = Type.Object({
  date_debut: Type.String({
    ...DATE,
    title: "Date de début de période d'études",
    description: "Date de début de la période d'études dans l'établissement.",
    examples: ['2022-09-01'],
  }),
  date_fin: Type.String({
    ...DATE,
    title: "Date de fin de période d'études",
    description: "Date de fin de la période d'études dans l'établissement.",
    examples: ['2023-08-31'],
  }),
  est_inscrit: Type.Boolean({
    title: 'Est inscrit',
    description:
      "L'étudiant est inscrit dans l'établissement. `false` : il n'est qu'admis (pré-inscrit), la procédure d'inscription et le règlement des droits (paiement, premier versement ou acquittement selon sa situation et les règles de l'établissement) ne sont pas terminés ; tous les admis ne deviendront pas inscrits.",
    examples: [true],
  }),
  regime_formation: Type.Object(
    {
      libelle: stringEnum(
        REGIMES.map(([, label]) => label),
        { title: 'Libellé', description: 'Libellé du régime de formation de l’étudiant.', examples: ['formation initiale'] },
      ),
      code: stringEnum(
        REGIMES.map(([code]) => code),
        {
          title: 'Code',
          description: 'Code technique du régime, stable quel que soit son libellé.',
          examples: ['RF1'],
        },
      ),
    },
    {
      title: 'Régime de formation',
      description: `Régime de formation de l'étudiant :\n${REGIMES.map(([code, label]) => `- ${code} : ${label}`).join('\n')}`,
    },
  ),
  code_cog_insee_commune: Type.String({
    title: "COG de la commune de l'établissement d'études",
    description: "Code officiel géographique (COG) de la commune de l'établissement d'études de l'étudiant.",
    examples: ['29085'],
  }),
  etablissement_etudes: Type.Object(
    {
      uai: Type.String({
        pattern: '^\\d{7}\\w$',
        title: 'Code UAI',
        description:
          "Code d'unité administrative immatriculée (UAI) de l'établissement, au répertoire national des établissements : 7 chiffres et une lettre, les trois premiers chiffres étant le département.",
        examples: ['0011402U'],
      }),
      nom: Type.String({
        title: 'Appellation officielle',
        description: "Appellation officielle de l'établissement associée au code UAI.",
        examples: ['EGC AIN BOURG EN BRESSE EC GESTION ET COMMERCE (01000)'],
      }),
    },
    {
      title: "Établissement d'études",
      description:
        "Code UAI et libellé de l'établissement d'enseignement supérieur où l'étudiant est admis. Plus d'informations : [API Annuaire de l'éducation nationale](https://api.gouv.fr/les-api/api-annuaire-education) ou https://annuaire-education.fr.",
    },
  ),
});

const admissions = Type.Array(admission, {
  title: "Liste des admissions de l'étudiant dans les établissements",
  description:
    "Admissions de l'étudiant dans un ou plusieurs établissements d'enseignement supérieur pour l'année en cours : une entrée par établissement où il est au moins admis (pré-inscrit). `est_inscrit` vaut `true` quand l'inscription est complète et les droits réglés.",
});

const identite = Type.Object(
  {
    nom_naissance: Type.String({
      title: 'Nom de naissance',
      description:
        "Nom de naissance (de famille) de l'étudiant, celui de l'acte de naissance, toujours écrit en premier sur la pièce d'identité. Après un changement de nom, le nouveau nom de famille.",
      examples: ['Moustaki'],
    }),
    prenom: Type.String({ title: 'Prénom', description: "Prénom de l'étudiant.", examples: ['Georges'] }),
    date_naissance: Type.String({ ...DATE, title: 'Date de naissance', description: "Date de naissance de l'étudiant.", examples: ['1992-11-29'] }),
  },
  {
    title: "Données d'identité de l'étudiant",
    description: "Identité de l'étudiant corrigée et certifiée par l'API Ines, qui croise l'état civil et le numéro INE.",
  },
);

const data = Type.Object({ admissions, identite }, { additionalProperties: false });
const franceConnectData = Type.Object({ admissions }, { additionalProperties: false });

/**
 * CONTRACT §3.2 proposed v3 mapping for the `mesri_admission*` scopes, plus the AUTHZ scopes and the
 * legacy token scopes mapped by meaning (CONTRACT §8.2, docs/adr/0022-mesri-statut-etudiant.md).
 */
const ADMISSION_DATES = ['admissions.date_debut', 'admissions.date_fin'];
const LEGACY_INSCRIPTION = [...ADMISSION_DATES, 'admissions.est_inscrit', 'admissions.regime_formation'];
const franceConnectMasking = {
  mesri_admissions: ADMISSION_DATES,
  mesri_admission_inscrit: ['admissions.est_inscrit'],
  mesri_admission_regime_formation: ['admissions.regime_formation'],
  mesri_admission_commune_etudes: ['admissions.code_cog_insee_commune'],
  mesri_admission_etablissement_etudes: ['admissions.etablissement_etudes'],
  mesri_inscription: [...ADMISSION_DATES, 'admissions.est_inscrit'],
  mesri_regime: ['admissions.regime_formation'],
  mesri_etablissements: ['admissions.code_cog_insee_commune', 'admissions.etablissement_etudes'],
  mesri_inscription_etudiant: LEGACY_INSCRIPTION,
  mesri_inscription_autre: LEGACY_INSCRIPTION,
  mesri_admission: LEGACY_INSCRIPTION,
};
const masking = { mesri_identite: ['identite'], ...franceConnectMasking };

const tag = 'Statut étudiant';
const description =
  "Admissions et inscriptions d'un étudiant dans les établissements d'enseignement supérieur pour l'année en cours, avec le régime de formation, délivrées par le ministère de l'Enseignement supérieur (MESR).";

export const statutEtudiantIdentite: EndpointDefinition = {
  operationId: 'api_particulier_v3_mesri_statut_etudiant_with_civility',
  path: '/v3/mesri/statut_etudiant/identite',
  modality: 'identite',
  summary: '[Identité] Statut étudiant',
  description: `${description}\n\nUn seul prénom est accepté. Pour une naissance en France, la commune se donne par son code COG ou par son nom avec le département ; pour une naissance à l’étranger, ne donnez aucun paramètre de commune.`,
  tag,
  params: mesriCivilityParams,
  crossFieldRules: (params, { now }) => mesriCivilityRules(params, now),
  paramError: () => gatewayErrors.invalidCivility,
  data,
  masking,
  providerErrors: [mesriErrors.notFound, ...mesriUpstreamErrors],
};

export const statutEtudiantFranceConnect: EndpointDefinition = {
  operationId: 'api_particulier_v3_mesri_statut_etudiant_with_france_connect',
  path: '/v3/mesri/statut_etudiant/france_connect',
  modality: 'france_connect',
  summary: '[FranceConnect] Statut étudiant',
  description: `${description}\n\nLe jeton d'accès FranceConnect de l'étudiant remplace le jeton API Particulier et les paramètres d'état civil. La réponse ne contient pas le bloc \`identite\`.`,
  tag,
  params: Type.Object({}),
  franceConnectParams: mesriFranceConnectParams,
  // No params of its own: the derived civil status is the only input, as on the DSS routes.
  paramError: () => gatewayErrors.invalidCivility,
  data: franceConnectData,
  masking: franceConnectMasking,
  providerErrors: [mesriErrors.notFoundFranceConnect],
};

export const statutEtudiantIne: EndpointDefinition = {
  operationId: 'api_particulier_v3_mesri_statut_etudiant_with_ine',
  path: '/v3/mesri/statut_etudiant/ine',
  modality: 'ine',
  summary: '[INE] Statut étudiant',
  description,
  tag,
  params: ineParams,
  paramError: () => invalidIne,
  data,
  masking,
  providerErrors: [mesriErrors.notFound, ...mesriUpstreamErrors],
};
