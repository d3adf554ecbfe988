/** Statut demandeur d'emploi (France Travail): CONTRACT §1.3 route 25, §1.4 body. */
import { Type } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { franceTravailErrors, franceTravailProviderErrors } from './errors.ts';
import { identifiantParams } from './identifiant-param.ts';

const nullableString = (options: { title: string; description?: string; examples: unknown[] }) =>
  Type.Union([Type.String(), Type.Null()], options);

const CATEGORIES = [
  'PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PLEIN TPS',
  'PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PARTIEL',
  'PERSONNE SANS EMPLOI DISPONIBLE DUREE DETERMINEE OU SAISON',
  'PERSONNE SANS EMPLOI NON DISPONIBLE IMMEDIATEMENT',
  "PERSONNE POURVUE D'UN EMPLOI A LA RECHERCHE D'UN AUTRE",
] as const;

const identite = Type.Object(
  {
    civilite: Type.Unsafe<'MME' | 'M.'>({ type: 'string', enum: ['MME', 'M.'], title: 'Civilité', description: 'Civilité, Madame ou Monsieur.', examples: ['M.'] }),
    nom_naissance: Type.String({ title: 'Nom de naissance', description: 'Nom de naissance.', examples: ['MARTIN'] }),
    nom_usage: nullableString({ title: 'Nom d’usage', description: 'Nom d’usage. `null` quand le particulier n’en a pas déclaré.', examples: [null] }),
    prenom: Type.String({ title: 'Prénom', description: 'Prénom, limité à 13 caractères.', examples: ['JACQUES'] }),
    sexe: Type.String({ title: 'Sexe', description: 'Sexe, en toutes lettres (`Masculin`, `Féminin`).', examples: ['Masculin'] }),
    date_naissance: Type.String({ format: 'date', title: 'Date de naissance', description: 'Date de naissance au format AAAA-MM-JJ.', examples: ['1995-02-02'] }),
  },
  {
    title: 'Données d’identité de l’utilisateur France Travail',
    description:
      'Informations d’identité issues de l’espace France Travail où l’utilisateur les a saisies. Elles sont vérifiées par un agent à l’aide de la pièce d’identité fournie, et corrigées le cas échéant (justificatifs acceptés : https://www.service-public.fr/particuliers/vosdroits/F24465).',
  },
);

const contact = Type.Object(
  {
    telephone: Type.String({ title: 'Téléphone principal', description: 'Numéro de téléphone principal.', examples: ['0636676767'] }),
    telephone2: nullableString({ title: 'Téléphone secondaire', description: 'Numéro de téléphone secondaire.', examples: ['1122334455'] }),
    email: nullableString({ title: 'E-mail', description: 'Adresse e-mail.', examples: ['martin.jacques@france.fr'] }),
  },
  { title: 'Données de contact', description: 'Données de contact de l’utilisateur France Travail.' },
);

const adresse = Type.Object(
  {
    code_postal: Type.String({ title: 'Code postal', examples: ['75001'] }),
    code_cog_insee_commune: Type.String({ title: 'COG de la commune', description: 'Code officiel géographique (COG) de la commune.', examples: ['75101'] }),
    localite: Type.String({ title: 'Localité (code postal et nom de la commune)', examples: ['75001 Paris'] }),
    ligne_voie: Type.String({ title: 'Voie', examples: ['21 RUE DES MARMOTS'] }),
    ligne_complement_destinataire: nullableString({ title: 'Complément destinataire', examples: ['Appartement 42'] }),
    ligne_complement_adresse: nullableString({ title: 'Complément d’adresse', examples: [null] }),
    ligne_complement_distribution: nullableString({ title: 'Complément distribution', examples: [null] }),
    ligne_nom: Type.String({ title: 'Nom du destinataire', examples: ['MARTIN'] }),
  },
  {
    title: 'Adresse',
    description: 'Adresse déclarée par le particulier lors de son inscription à France Travail ou suite à une déclaration de changement d’adresse.',
  },
);

const inscription = Type.Object(
  {
    date_debut: Type.String({ format: 'date', title: 'Date d’inscription', description: 'Date d’inscription à France Travail au format AAAA-MM-JJ.', examples: ['2021-01-07'] }),
    date_fin: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
      title: 'Date de cessation d’inscription',
      description: 'Date de cessation d’inscription à France Travail au format AAAA-MM-JJ. `null` tant que le particulier est inscrit.',
      examples: ['2023-03-12'],
    }),
    categorie: Type.Object(
      {
        code: Type.Unsafe<1 | 2 | 3 | 4 | 5>({ type: 'integer', enum: [1, 2, 3, 4, 5], title: 'Code', description: 'Code de la catégorie d’inscription du particulier à France Travail.', examples: [1] }),
        libelle: Type.Unsafe<(typeof CATEGORIES)[number]>({
          type: 'string',
          enum: [...CATEGORIES],
          title: 'Libellé',
          description: 'Libellé de la catégorie d’inscription du particulier à France Travail.',
          examples: [CATEGORIES[0]],
        }),
      },
      {
        title: 'Catégorie d’inscription',
        description: `Catégorie de l’inscription de l’utilisateur à France Travail : ${CATEGORIES.map((l, i) => `${i + 1} : ${l}`).join(' ; ')}.`,
      },
    ),
    code_certification_cnav: Type.Union(
      [Type.Unsafe<'VC' | 'IC' | 'PC' | 'AC' | 'DC' | 'RC'>({ type: 'string', enum: ['VC', 'IC', 'PC', 'AC', 'DC', 'RC'] }), Type.Null()],
      {
        title: 'Code du statut de certification d’identité CNAV',
        description:
          'France Travail dépend d’un flux de certification d’identité émis par la CNAV. Identité certifiée : `VC` (identité certifiée), `IC` (identité assimilée certifiée), `PC` (identité certifiée partiellement). Non certifiée : `AC` (attente traitement retour CNAV), `DC` (demande de certification envoyée), `RC` (refus de la proposition de certification), `null` (identité non certifiée).',
        examples: ['VC'],
      },
    ),
  },
  { title: 'Inscription France Travail', description: 'Données relatives à l’inscription de l’utilisateur à France Travail.' },
);

const data = Type.Object(
  {
    identifiant: Type.String({
      title: 'Identifiant France Travail',
      description:
        'Identifiant du compte utilisateur France Travail, tel qu’il a été renseigné en paramètre d’appel : le nom d’utilisateur choisi par le particulier lors de la création de son espace personnel en ligne.',
      examples: ['martin.jacques'],
    }),
    identite,
    contact,
    adresse,
    inscription,
  },
  { additionalProperties: false },
);

export const statutIdentifiant: EndpointDefinition = {
  operationId: 'api_particulier_v3_france_travail_statut_with_identifiant',
  path: '/v3/france_travail/statut/identifiant',
  modality: 'identifiant',
  summary: 'Statut demandeur d’emploi',
  description:
    'Statut de demandeur d’emploi : données relatives à l’inscription à France Travail (dates, catégorie, certification de l’identité), ainsi que les données d’identité, de contact et l’adresse déclarées. Paramètre d’appel : le nom d’utilisateur France Travail choisi par le particulier lors de la création de son espace personnel en ligne.',
  tag: 'Statut demandeurs d’emploi',
  params: identifiantParams,
  paramError: () => franceTravailErrors.missingIdentifier,
  data,
  // CONTRACT §3.2 proposed v3 mapping: one scope per block.
  masking: {
    pole_emploi_identifiant: ['identifiant'],
    pole_emploi_identite: ['identite'],
    pole_emploi_contact: ['contact'],
    pole_emploi_adresse: ['adresse'],
    pole_emploi_inscription: ['inscription'],
  },
  providerErrors: franceTravailProviderErrors,
};
