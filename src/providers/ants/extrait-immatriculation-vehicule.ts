/**
 * Extrait d'immatriculation véhicule (SIV): CONTRACT §1.3 route 35, §1.4 body. FranceConnect only: the
 * citizen's identity comes from the FranceConnect token, the caller sends the plate. ANTS compares the
 * two identities and says how well they match in `meta.identity_matching` (carried by the sandbox
 * cases' `meta`). Decisions: docs/adr/0041-ants-extrait-immatriculation.md.
 */
import { Type } from 'typebox';
import { pickParams } from '../../core/civility.ts';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { antsErrors } from './errors.ts';

/** SIV letters: I, O and U are never used (confused with 1, 0 and V). */
const LETTER = '[A-HJ-NP-TV-Z]';
/** SIV number since 2009: `AA-123-BB`, the block of digits never `000`. */
const SIV = `${LETTER}{2}-(?!000)[0-9]{3}-${LETTER}{2}`;
/** Former FNI number, still carried by vehicles not re-registered since 2009: `123 ABC 75`, `9 AB 2A`, `1234 A 974`. */
const FNI = `[0-9]{1,4}[ -]?${LETTER}{1,3}[ -]?(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])`;

export const immatriculationPattern = `^(${SIV}|${FNI})$`;

const params = Type.Object({
  immatriculation: Type.String({
    pattern: immatriculationPattern,
    description:
      '**Numéro d’immatriculation du véhicule**, en majuscules : format SIV `AA-123-BB` (tirets compris), ou ancien format FNI `123 ABC 75` pour un véhicule qui n’a pas changé de numéro depuis 2009.',
    examples: ['AA-123-BB'],
  }),
});

const nullableString = (options: Record<string, unknown>) => Type.Union([Type.String(), Type.Null()], options);
const nullableInteger = (options: Record<string, unknown>, bounds: { minimum?: number; maximum?: number } = {}) =>
  Type.Union([Type.Integer(bounds), Type.Null()], options);

const codeLabel = (title: string, description: string, code: ReturnType<typeof Type.String> | ReturnType<typeof Type.Unsafe>, label: ReturnType<typeof Type.String>) =>
  Type.Object({ code, label }, { title, description });

const enumCode = <T extends string>(values: readonly T[], title: string, description: string, example: T) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], title, description, examples: [example] });

const CATEGORIES = ['M1', 'M2', 'M3', 'N1', 'N2', 'N3', 'O1', 'O2', 'O3', 'O4', 'L1e', 'L2e', 'L3e', 'L4e', 'L5e', 'L6e', 'L7e'] as const;
const GENRES = ['VP', 'CTTE', 'VASP', 'TCP', 'TRR', 'CAM', 'REM', 'RESP', 'SRAT', 'SREM', 'CL', 'CYCL', 'MTL', 'MTT1', 'MTT2', 'MOTO', 'MAGA', 'QM', 'TRA'] as const;
const CARBURANTS = [
  'AC', 'EE', 'EG', 'EH', 'EL', 'EM', 'EN', 'EP', 'EQ', 'ER', 'ES', 'ET', 'FE', 'FG', 'FH', 'FL', 'FN', 'GA', 'GF', 'GG', 'GH', 'GL', 'GM',
  'GN', 'GO', 'GP', 'GQ', 'GZ', 'H2', 'HE', 'HH', 'HY', 'NE', 'NH', 'PE', 'PH', 'PL',
] as const;
const CLASSES = ['Euro 1', 'Euro 2', 'Euro 3', 'Euro 4', 'Euro 5', 'Euro 5a', 'Euro 5b', 'Euro 6', 'Euro 6b', 'Euro 6c', 'Euro 6d-TEMP', 'Euro 6d', 'Euro 6e', 'Euro VI'] as const;

const data = Type.Object(
  {
    identite_particulier: Type.Object(
      {
        nom: Type.String({ title: 'Nom', description: 'Nom du demandeur du dossier d’immatriculation.', examples: ['LEROY'] }),
        prenom: Type.String({ title: 'Prénom', description: 'Prénom du demandeur du dossier d’immatriculation (personne physique).', examples: ['CAMILLE'] }),
        sexe_etat_civil: enumCode(['M', 'F'], 'Sexe état civil', 'Sexe à l’état civil du demandeur.', 'F'),
        annee_date_naissance: nullableInteger({ title: 'Année de naissance', description: 'Année de naissance du demandeur ; `null` si le dossier ne la donne pas.', examples: [1988] }),
        mois_date_naissance: nullableInteger(
          { title: 'Mois de naissance', description: 'Mois de naissance du demandeur (1 à 12) ; `null` si inconnu.', examples: [3] },
          { minimum: 1, maximum: 12 },
        ),
        jour_date_naissance: nullableInteger(
          { title: 'Jour de naissance', description: 'Jour de naissance du demandeur (1 à 31) ; `null` si inconnu.', examples: [14] },
          { minimum: 1, maximum: 31 },
        ),
        code_departement_naissance: Type.String({ title: 'Code département de naissance', description: 'Code du département de naissance du demandeur (`99` : né à l’étranger).', examples: ['69'] }),
      },
      {
        title: 'Identité',
        description:
          'Identité du demandeur du dossier d’immatriculation. Elle ne vient pas de FranceConnect : elle est fournie pour vérifier l’identité du demandeur (voir `meta.identity_matching`).',
      },
    ),
    adresse_particulier: Type.Object(
      {
        complement_information: nullableString({ title: 'Complément information de l’adresse', description: 'Complément d’adresse.', examples: [null] }),
        num_voie: nullableString({ title: 'Numéro de voie', description: 'Numéro de voie.', examples: ['14'] }),
        type_voie: nullableString({ title: 'Type de voie', description: 'Type de voie.', examples: ['RUE'] }),
        libelle_voie: nullableString({ title: 'Libellé de voie', description: 'Libellé de voie.', examples: ['DES LILAS'] }),
        code_postal_ville: Type.String({ title: 'Code postal', description: 'Code postal de la ville.', examples: ['69003'] }),
        libelle_commune: Type.String({ title: 'Libellé de commune', description: 'Libellé de la commune.', examples: ['LYON'] }),
        lieu_dit: nullableString({ title: 'Lieu-dit', description: 'Lieu-dit ou quartier.', examples: [null] }),
        etage_escalier_appartement: nullableString({ title: 'Étage, escalier ou appartement', description: 'Étage, escalier ou numéro d’appartement.', examples: ['ESCALIER 2'] }),
        extension: nullableString({ title: 'Extension de l’adresse', description: 'Extension du numéro de voie, le cas échéant (B pour bis, T pour ter…).', examples: ['B'] }),
        pays: nullableString({ title: 'Pays', description: 'Libellé du pays.', examples: ['FRANCE'] }),
      },
      { title: 'Adresse', description: 'Adresse du demandeur.' },
    ),
    statut_rattachement: enumCode(
      ['locataire', 'titulaire', 'cotitulaire'],
      'Statut de rattachement au véhicule',
      'Statut du demandeur du dossier d’immatriculation : `locataire` si le véhicule est en location longue durée (LLD, LCB, LCL), sinon `titulaire` ou `cotitulaire`.',
      'titulaire',
    ),
    donnees_immatriculation_vehicule: Type.Object(
      {
        numero_immatriculation: Type.String({ title: 'Numéro d’immatriculation', description: 'Numéro d’immatriculation du véhicule.', examples: ['AA-123-BB'] }),
        date_premiere_immatriculation: Type.String({ format: 'date', title: 'Date de première immatriculation', description: 'Date de la première immatriculation du véhicule.', examples: ['2024-01-15'] }),
        statut_location: Type.Object(
          {
            code: nullableString({ title: 'Code du statut de location', description: 'Code du statut de location selon la nomenclature officielle ; `null` hors location.', examples: ['LLD'] }),
            label: nullableString({ title: 'Label du statut de location', description: 'Libellé du statut de location ; `null` hors location.', examples: ['Location Longue Durée'] }),
          },
          { title: 'Statut de location', description: 'Statut de location du véhicule, le cas échéant. Les codes LLD, LCB et LCL désignent une location longue durée.' },
        ),
      },
      { title: 'Données d’immatriculation du véhicule', description: 'Informations relatives à l’immatriculation du véhicule.' },
    ),
    caracteristiques_techniques_vehicule: Type.Object(
      {
        marque: Type.String({ title: 'Marque du véhicule', description: 'Marque du véhicule.', examples: ['PEUGEOT'] }),
        type_variante_version: Type.String({ title: 'Type Variante Version', description: 'Type Variante Version (TVV) du véhicule.', examples: ['ABCDEF-G1H234'] }),
        denomination_commerciale: Type.String({ title: 'Dénomination commerciale', description: 'Dénomination commerciale du véhicule.', examples: ['308'] }),
        masse_charge_maximale: Type.Number({ title: 'Masse en charge maximale', description: 'Masse en charge maximale admissible du véhicule en service (kg).', examples: [1850] }),
        categorie_vehicule: codeLabel(
          'Catégorie du véhicule',
          'Catégorie du véhicule (classification européenne CE).',
          enumCode(CATEGORIES, 'Code de la catégorie du véhicule', 'Code de la catégorie du véhicule selon la classification européenne.', 'M1'),
          Type.String({
            title: 'Label de la catégorie du véhicule',
            description: 'Libellé de la catégorie du véhicule.',
            examples: ['Véhicule de transport de personnes comportant au maximum 8 places assises outre le siège du conducteur'],
          }),
        ),
        genre_national: codeLabel(
          'Genre national',
          'Genre national du véhicule.',
          enumCode(GENRES, 'Code du genre national', 'Code du genre national selon la classification française.', 'VP'),
          Type.String({ title: 'Label du genre national', description: 'Libellé du genre national.', examples: ['Véhicule Particulier'] }),
        ),
        cylindree: Type.Number({ title: 'Cylindrée', description: 'Cylindrée (cm³).', examples: [1600] }),
        type_carburant: codeLabel(
          'Type de carburant',
          'Type de carburant ou source d’énergie.',
          enumCode(CARBURANTS, 'Code du type de carburant', 'Code du type de carburant selon la nomenclature officielle.', 'ES'),
          Type.String({ title: 'Label du type de carburant', description: 'Libellé du type de carburant.', examples: ['Essence'] }),
        ),
        taux_co2: Type.Number({ title: 'Taux de CO2', description: 'Émissions de CO2 (g/km).', examples: [120] }),
        classe_environnementale: codeLabel(
          'Classe environnementale',
          'Classe environnementale de réception CE : version applicable de la directive 70/220/CEE ou 88/77/CEE.',
          enumCode(CLASSES, 'Code de la classe environnementale', 'Code de la classe environnementale selon les normes européennes.', 'Euro 6'),
          Type.String({ title: 'Label de la classe environnementale', description: 'Libellé de la classe environnementale.', examples: ['Norme européenne d’émission Euro 6'] }),
        ),
      },
      { title: 'Caractéristiques techniques du véhicule', description: 'Extrait des informations et caractéristiques techniques du véhicule.' },
    ),
  },
  { additionalProperties: false },
);

/** CONTRACT §3.2: `ants_extrait_immatriculation_vehicule_<key>` unlocks `data.<key>`. */
const score = (title: string, description: string, example: number) =>
  Type.Number({ minimum: 0, maximum: 1, title, description, examples: [example] });

/** `meta` of a 200: how well the FranceConnect identity matches the file's holder (official schema). */
const meta = Type.Object(
  {
    identity_matching: Type.Object(
      {
        family_name: score('Nom de famille correspond', "Correspondance du nom de famille entre FranceConnect et l'identité ANTS (0 à 1).", 1),
        given_name: score('Prénom correspond', "Correspondance du prénom entre FranceConnect et l'identité ANTS (0 à 1).", 1),
        birth_date: score('Date de naissance correspond', "Correspondance de la date de naissance entre FranceConnect et l'identité ANTS (0 à 1).", 0),
        overall_match: Type.Boolean({
          title: 'Correspondance globale',
          description: "L'identité correspond globalement (nom de famille et prénom). Information, pas une validation.",
          examples: [true],
        }),
      },
      {
        title: "Correspondance d'identité",
        description:
          "Compare l'identité FranceConnect du particulier à celle du demandeur du dossier d'immatriculation. Cette information n'est pas une validation mais est fournie à titre informatif.",
      },
    ),
  },
  { additionalProperties: false },
);

const masking = {
  ants_extrait_immatriculation_vehicule_identite_particulier: ['identite_particulier'],
  ants_extrait_immatriculation_vehicule_adresse_particulier: ['adresse_particulier'],
  ants_extrait_immatriculation_vehicule_statut_rattachement: ['statut_rattachement'],
  ants_extrait_immatriculation_vehicule_donnees_immatriculation_vehicule: ['donnees_immatriculation_vehicule'],
  ants_extrait_immatriculation_vehicule_caracteristiques_techniques_vehicule: ['caracteristiques_techniques_vehicule'],
};

export const extraitImmatriculationFranceConnect: EndpointDefinition = {
  meta,
  operationId: 'api_particulier_v3_ants_extrait_immatriculation_vehicule_with_france_connect',
  path: '/v3/ants/extrait_immatriculation_vehicule/france_connect',
  modality: 'france_connect',
  summary: '[FranceConnect] Extrait d’immatriculation véhicule',
  description:
    "Extrait du dossier d'immatriculation d'un véhicule (SIV) : identité et adresse du demandeur, statut de rattachement (titulaire, cotitulaire, locataire), données d'immatriculation et caractéristiques techniques. Source : ANTS.\n\nLe jeton d'accès FranceConnect du particulier remplace le jeton API Particulier ; seul le numéro d'immatriculation est à fournir. `meta.identity_matching` dit si l'identité FranceConnect correspond à celle du demandeur du dossier : `family_name`, `given_name` et `birth_date` (scores de 0 à 1) et `overall_match`, qui ne tient compte que du nom de famille et du prénom.",
  tag: 'Extrait d’immatriculation véhicule',
  params,
  // ANTS scores the FranceConnect names and birth date against the holder's (identity_matching).
  franceConnectParams: pickParams(['nomNaissance', 'prenoms', 'anneeDateNaissance', 'moisDateNaissance', 'jourDateNaissance']),
  paramError: () => gatewayErrors.invalidParameter,
  data,
  masking,
  providerErrors: [antsErrors.notFound],
};
