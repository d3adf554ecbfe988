/**
 * Statut étudiant boursier (Cnous): CONTRACT §1.3 routes 17–22, §1.4 bodies, §3.2 masking.
 * v3 (deprecated) says `est_boursier`; v4 replaces it by `statut_boursier {est_boursier, est_radie,
 * date_radiation}`. The FranceConnect variants have no `identite` block. Choices where the sources
 * disagree: docs/adr/0020-cnous-scopes-and-masking.md and docs/adr/0021-cnous-franceconnect-and-v4.md.
 */
import { Type, type TProperties } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { cnousErrors, cnousUpstreamErrors, invalidIne } from './errors.ts';
import {
  cnousCivilityParams,
  cnousCivilityRules,
  cnousV3FranceConnectParams,
  cnousV4FranceConnectParams,
  ineParams,
} from './student-params.ts';

const DATE = { format: 'date' } as const;

const ECHELONS = ['0bis', '1', '2', '3', '4', '5', '6', '7'] as const;

/** `type: string` + `enum`, exactly as the official schema writes it (a union of literals would be `anyOf`). */
function stringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown>) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

const periodeVersementBourse = Type.Object(
  {
    date_rentree: Type.String({
      ...DATE,
      title: 'Date de rentrée',
      description: "Date de rentrée scolaire ou universitaire de l'étudiant, début de la période de versement de la bourse.",
      examples: ['2019-09-01'],
    }),
    duree: Type.Number({
      title: 'Durée de versement',
      description: "Nombre de mois de versement de la bourse à l'étudiant.",
      examples: [12],
    }),
  },
  { title: 'Période de versement de la bourse', description: "Période de versement de la bourse de l'étudiant." },
);

const etablissementEtudes = Type.Object(
  {
    nom_commune: Type.String({ title: "Commune d'études", description: "Libellé de la commune d'études de l'étudiant.", examples: ['Brest'] }),
    nom_etablissement: Type.String({
      title: "Établissement d'études",
      description: "Nom de l'établissement d'études de l'étudiant.",
      examples: ['Carnot'],
    }),
  },
  { title: "Établissement d'études de l'étudiant", description: "L'établissement dans lequel l'étudiant fait ses études." },
);

const echelonBourse = Type.Object(
  {
    echelon: stringEnum(ECHELONS, {
      title: 'Échelon de la bourse',
      description:
        "Échelon de la bourse de l'étudiant : 8 échelons, de `0bis` à `7`, selon le montant reçu pour l'année universitaire. Voir la FAQ : https://particulier.api.gouv.fr/catalogue/cnous/statut_etudiant_boursier",
      examples: ['6'],
    }),
    echelon_bourse_regionale_provisoire: Type.Boolean({
      title: 'Statut provisoire (bourses régionales uniquement)',
      description: "L'échelon indiqué est provisoire. Ce statut n'existe que pour les bénéficiaires d'une bourse régionale.",
      examples: [true],
    }),
  },
  { title: "Informations concernant l'échelon de la bourse", description: "Échelon de la bourse et son caractère provisoire." },
);

const email = Type.String({ title: 'E-mail', description: "Adresse électronique de l'étudiant boursier.", examples: ['georges@moustaki.fr'] });

const estBoursier = Type.Boolean({ title: 'Est boursier', description: "L'étudiant est boursier.", examples: [true] });

const statutBoursier = Type.Object(
  {
    est_boursier: estBoursier,
    est_radie: Type.Boolean({
      title: 'Est radié',
      description: "L'étudiant a été radié ; `date_radiation` donne alors la date de radiation.",
      examples: [false],
    }),
    date_radiation: Type.Union([Type.String(DATE), Type.Null()], {
      title: 'Date de radiation',
      description: 'Date de radiation, renseignée seulement quand `est_radie` vaut `true` (sinon `null`).',
      examples: [null],
    }),
  },
  { title: 'Statut boursier', description: "Statut boursier de l'étudiant, radiation éventuelle comprise." },
);

const identite = Type.Object(
  {
    nom: Type.String({ title: 'Nom de naissance', description: "Nom de naissance de l'étudiant boursier.", examples: ['Moustaki'] }),
    prenoms: Type.Array(Type.String(), { minItems: 1, title: 'Prénoms', description: "Prénoms de l'étudiant boursier.", examples: [['PIERRE', 'RICHARD']] }),
    date_naissance: Type.String({ ...DATE, title: 'Date de naissance', description: "Date de naissance de l'étudiant boursier.", examples: ['1992-11-29'] }),
    nom_commune_naissance: Type.String({
      title: 'Commune de naissance',
      description: "Libellé de la commune de naissance de l'étudiant boursier.",
      examples: ['Poitiers'],
    }),
    sexe: stringEnum(['M', 'F'] as const, { title: 'Sexe', description: "Sexe de l'étudiant boursier.", examples: ['M'] }),
  },
  {
    title: "Données d'identité",
    description:
      "Identité de l'étudiant boursier, saisie par l'étudiant lui-même. Bourse nationale : vérifiée par un agent sur pièce d'identité (sauf le lieu de naissance). Bourse régionale : non revérifiée avant d'arriver au Cnous, sauf si l'étudiant y est déjà connu, auquel cas l'identité vérifiée par le Cnous est retenue.",
  },
);

/** The blocks common to every version and modality, in the official order. */
const common: TProperties = {
  periode_versement_bourse: periodeVersementBourse,
  etablissement_etudes: etablissementEtudes,
  echelon_bourse: echelonBourse,
  email,
};

const strict = { additionalProperties: false } as const;
const v3Data = Type.Object({ ...common, est_boursier: estBoursier, identite }, strict);
const v3FranceConnectData = Type.Object({ ...common, est_boursier: estBoursier }, strict);
const v4Data = Type.Object({ statut_boursier: statutBoursier, ...common, identite }, strict);
const v4FranceConnectData = Type.Object({ statut_boursier: statutBoursier, ...common }, strict);

/** CONTRACT §3.2 proposed v3 mapping; `cnous_statut_bourse` is the provisional flag (ADR 0020). */
const sharedMasking = {
  cnous_echelon_bourse: ['echelon_bourse.echelon'],
  cnous_statut_bourse: ['echelon_bourse.echelon_bourse_regionale_provisoire'],
  cnous_email: ['email'],
  cnous_periode_versement: ['periode_versement_bourse'],
  cnous_ville_etudes: ['etablissement_etudes'],
} as const;
const v3FranceConnectMasking = { cnous_statut_boursier: ['est_boursier'], ...sharedMasking };
const v3Masking = { ...v3FranceConnectMasking, cnous_identite: ['identite'] };
const v4FranceConnectMasking = { cnous_statut_boursier: ['statut_boursier'], ...sharedMasking };
const v4Masking = { ...v4FranceConnectMasking, cnous_identite: ['identite'] };

const tag = 'Statut étudiant boursier';
const description = "Statut et échelon de la bourse sur critères sociaux d'un étudiant, délivrés par le Cnous.";
const v3Note = '\n\nVersion dépréciée : utilisez la v4, qui indique aussi la radiation éventuelle de l’étudiant (`statut_boursier`).';
const v4Note =
  '\n\n`statut_boursier` indique si l’étudiant est boursier et s’il a été radié (avec la date de radiation). La documentation officielle de la v4 ne mentionne pas les erreurs du fournisseur ; elles restent possibles (ADR 0021).';
const franceConnectNote =
  "\n\nLe jeton d'accès FranceConnect de l'étudiant remplace le jeton API Particulier et les paramètres d'état civil. La réponse ne contient pas le bloc `identite`.";
const civilityNote =
  '\n\nPour une naissance en France, la commune se donne par son code COG ou par son nom avec le département ; pour une naissance à l’étranger, ne donnez aucun paramètre de commune.';

const civility = {
  modality: 'identite',
  params: cnousCivilityParams,
  crossFieldRules: (params, { now }) => cnousCivilityRules(params, now),
  paramError: () => gatewayErrors.invalidCivility,
} satisfies Partial<EndpointDefinition>;

const franceConnect = {
  modality: 'france_connect',
  params: Type.Object({}),
  // No params of its own; the official v3 file lists 00366 on this route too.
  paramError: () => gatewayErrors.invalidCivility,
} satisfies Partial<EndpointDefinition>;

const byIne = {
  modality: 'ine',
  params: ineParams,
  paramError: () => invalidIne,
} satisfies Partial<EndpointDefinition>;

export const boursierV3Identite: EndpointDefinition = {
  ...civility,
  operationId: 'api_particulier_v3_cnous_etudiant_boursier_with_civility',
  path: '/v3/cnous/etudiant_boursier/identite',
  summary: '[Identité] Statut étudiant boursier',
  description: description + civilityNote + v3Note,
  tag,
  deprecated: true,
  data: v3Data,
  masking: v3Masking,
  providerErrors: [cnousErrors.notFound, ...cnousUpstreamErrors],
};

export const boursierV3FranceConnect: EndpointDefinition = {
  ...franceConnect,
  operationId: 'api_particulier_v3_cnous_etudiant_boursier_with_france_connect',
  path: '/v3/cnous/etudiant_boursier/france_connect',
  summary: '[FranceConnect] Statut étudiant boursier',
  description: description + franceConnectNote + v3Note,
  tag,
  deprecated: true,
  franceConnectParams: cnousV3FranceConnectParams,
  data: v3FranceConnectData,
  masking: v3FranceConnectMasking,
  providerErrors: [cnousErrors.notFoundFranceConnect],
};

export const boursierV3Ine: EndpointDefinition = {
  ...byIne,
  operationId: 'api_particulier_v3_cnous_etudiant_boursier_with_ine',
  path: '/v3/cnous/etudiant_boursier/ine',
  summary: '[INE] Statut étudiant boursier',
  description: description + v3Note,
  tag,
  deprecated: true,
  data: v3Data,
  masking: v3Masking,
  providerErrors: [cnousErrors.notFoundIne, ...cnousUpstreamErrors],
};

export const boursierV4Identite: EndpointDefinition = {
  ...civility,
  operationId: 'api_particulier_v4_cnous_etudiant_boursier_with_civility',
  path: '/v4/cnous/etudiant_boursier/identite',
  summary: '[Identité] Statut étudiant boursier',
  description: description + civilityNote + v4Note,
  tag,
  data: v4Data,
  masking: v4Masking,
  providerErrors: [cnousErrors.notFound, ...cnousUpstreamErrors],
};

export const boursierV4FranceConnect: EndpointDefinition = {
  ...franceConnect,
  operationId: 'api_particulier_v4_cnous_etudiant_boursier_with_france_connect',
  path: '/v4/cnous/etudiant_boursier/france_connect',
  summary: '[FranceConnect] Statut étudiant boursier',
  description: description + franceConnectNote + v4Note,
  tag,
  franceConnectParams: cnousV4FranceConnectParams,
  data: v4FranceConnectData,
  masking: v4FranceConnectMasking,
  providerErrors: [cnousErrors.notFoundFranceConnect],
};

export const boursierV4Ine: EndpointDefinition = {
  ...byIne,
  operationId: 'api_particulier_v4_cnous_etudiant_boursier_with_ine',
  path: '/v4/cnous/etudiant_boursier/ine',
  summary: '[INE] Statut étudiant boursier',
  description: description + v4Note,
  tag,
  data: v4Data,
  masking: v4Masking,
  providerErrors: [cnousErrors.notFoundIne, ...cnousUpstreamErrors],
};

export const cnousEndpoints = [boursierV3Identite, boursierV3FranceConnect, boursierV3Ine, boursierV4Identite, boursierV4FranceConnect, boursierV4Ine];
