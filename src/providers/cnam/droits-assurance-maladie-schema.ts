/**
 * The `data` schema of the CNAM "droits à l'Assurance Maladie" route: one entry per beneficiary (the
 * FranceConnect-connected person first, then the beneficiaries attached to them), each with its
 * managing caisse, its coverage level and, for healthcare establishments only, the exonération du
 * ticket modérateur motives and the médecin traitant. No official schema exists: this contract is
 * ours (src/providers/cnam/CONTRACT.md, docs/adr/0050-cnam-droits-assurance-maladie.md). Nullable
 * fields are present with `null` (CONTRACT §1.1); only scope masking removes keys.
 */
import { Type, type TSchema } from 'typebox';

const DATE = { format: 'date' } as const;

function nullable<T extends TSchema>(schema: T, options: { title: string; description: string; examples: unknown[] }) {
  return Type.Union([schema, Type.Null()], options);
}

/** A `{code, libelle}` pair, the v3 habit for coded values (MEN `statut_eleve`, ANTS `genre_national`). */
function codeLibelle(title: string, code: TSchema, libelle: { description: string; example: string }) {
  return Type.Object(
    {
      code,
      libelle: Type.String({ title: 'Libellé', description: libelle.description, examples: [libelle.example] }),
    },
    { title, additionalProperties: false },
  );
}

/** Address in La Poste format, the shape of the quotient familial `adresse` (CONTRACT §1.4). */
const adresse = Type.Object(
  {
    destinataire: Type.String({
      title: 'Destinataire',
      description: 'Nom de la caisse ou du service destinataire du courrier.',
      examples: ['CPAM DU RHONE'],
    }),
    complement_information: nullable(Type.String(), {
      title: "Complément d'information du destinataire ou point de remise",
      description: 'Service, bâtiment ou point de remise. `null` si absent.',
      examples: ['SERVICE RELATIONS ASSURES'],
    }),
    complement_information_geographique: nullable(Type.String(), {
      title: "Complément d'information du point géographique",
      description: 'Entrée, immeuble, résidence. `null` si absent.',
      examples: [null],
    }),
    numero_libelle_voie: nullable(Type.String(), {
      title: 'Voie',
      description: 'Numéro et libellé de la voie. `null` pour une adresse en boîte postale seule.',
      examples: ['12 RUE DES CANUTS'],
    }),
    lieu_dit: nullable(Type.String(), {
      title: 'Lieu-dit',
      description: 'Lieu-dit ou service particulier de distribution : poste restante, boîte postale, CS. `null` si absent.',
      examples: [null],
    }),
    code_postal_ville: Type.String({
      title: 'Code postal et localité',
      description: 'Code postal (éventuellement CEDEX) et localité de destination.',
      examples: ['69007 LYON'],
    }),
    pays: Type.String({ title: 'Pays', description: 'Pays de destination, en capitales.', examples: ['FRANCE'] }),
  },
  {
    title: 'Adresse postale de la caisse',
    description:
      'Adresse de correspondance de la caisse gestionnaire, au format de La Poste (norme NF Z 10-011), comme l’`adresse` du quotient familial. Adresse d’un organisme, jamais celle de l’assuré.',
    additionalProperties: false,
  },
);

const caisseGestionnaire = Type.Object(
  {
    regime: codeLibelle(
      'Régime d’affiliation',
      Type.String({
        title: 'Code du régime',
        pattern: '^[0-9]{2}$',
        description:
          'Code du grand régime sur 2 chiffres (`01` : régime général). Les régimes hébergés dans les systèmes d’information du régime général gardent leur propre code.',
        examples: ['01'],
      }),
      { description: 'Libellé du régime.', example: 'Régime général' },
    ),
    caisse: codeLibelle(
      'Caisse d’affiliation',
      Type.String({
        title: 'Code de la caisse',
        pattern: '^[0-9]{3}$',
        description: 'Code de la caisse sur 3 chiffres (pour une CPAM, en général le numéro du département suivi d’un chiffre).',
        examples: ['691'],
      }),
      { description: 'Nom de la caisse.', example: 'CPAM du Rhône' },
    ),
    centre_gestion: codeLibelle(
      'Centre de gestion',
      Type.String({
        title: 'Code du centre de gestion',
        pattern: '^[0-9]{4}$',
        description:
          'Code du centre de gestion sur 4 chiffres. Régime, caisse et centre forment ensemble l’organisme de rattachement (9 chiffres) utilisé en facturation.',
        examples: ['0701'],
      }),
      { description: 'Nom du centre de gestion.', example: 'Centre de gestion de Lyon Gerland' },
    ),
    adresse,
  },
  {
    title: 'Caisse gestionnaire',
    description:
      'Organisme qui gère les droits du bénéficiaire : régime, caisse, centre de gestion et adresse de la caisse. Scope `cnam_caisse_gestionnaire`.',
    additionalProperties: false,
  },
);

const droits = Type.Object(
  {
    droits_de_base: Type.Object(
      {
        ouverts: Type.Boolean({
          title: 'Droits de base ouverts',
          description: 'Le bénéficiaire a des droits ouverts à l’assurance maladie obligatoire au jour de l’appel.',
          examples: [true],
        }),
        date_debut: Type.String({
          ...DATE,
          title: 'Début de la période de droits',
          description: 'Premier jour de la période de droits en cours, ou de la dernière période quand les droits sont fermés.',
          examples: ['2016-01-01'],
        }),
        date_fin: nullable(Type.String(DATE), {
          title: 'Fin de la période de droits',
          description:
            'Dernier jour de la période de droits. `null` pour des droits ouverts sans date de fin (cas général de la protection universelle maladie) ; renseignée pour des droits ouverts jusqu’à une date (titre de séjour temporaire…) ou fermés.',
          examples: [null],
        }),
      },
      {
        title: 'Droits de base',
        description: 'Droits à la prise en charge au titre du régime obligatoire (protection universelle maladie).',
        additionalProperties: false,
      },
    ),
    complementaire_sante_solidaire: Type.Object(
      {
        est_beneficiaire: Type.Boolean({
          title: 'Est bénéficiaire de la complémentaire santé solidaire (C2S)',
          description: 'Le bénéficiaire est couvert par la C2S au jour de l’appel.',
          examples: [true],
        }),
        avec_participation: nullable(Type.Boolean(), {
          title: 'C2S avec participation financière',
          description: '`true` : C2S avec participation financière ; `false` : sans participation. `null` quand il n’est pas bénéficiaire.',
          examples: [false],
        }),
        date_debut: nullable(Type.String(DATE), {
          title: 'Début de la période d’attribution en cours',
          description:
            'Premier jour de la période d’attribution en cours (la C2S est attribuée pour 12 mois et renouvelable). `null` quand il n’est pas bénéficiaire.',
          examples: ['2025-11-01'],
        }),
        date_fin: nullable(Type.String(DATE), {
          title: 'Fin de la période d’attribution en cours',
          description: 'Dernier jour de la période d’attribution en cours. `null` quand il n’est pas bénéficiaire.',
          examples: ['2026-10-31'],
        }),
      },
      {
        title: 'Complémentaire santé solidaire (C2S)',
        description: 'Droits à la complémentaire santé solidaire, gérée par l’Assurance Maladie pour ses assurés.',
        additionalProperties: false,
      },
    ),
    medecin_traitant_declare: Type.Boolean({
      title: 'Médecin traitant déclaré',
      description:
        'Un médecin traitant est déclaré pour ce bénéficiaire. Son identité n’est donnée que dans `medecin_traitant`, avec le scope réservé `cnam_medecin_traitant`.',
      examples: [true],
    }),
  },
  {
    title: 'Niveau de couverture',
    description: 'Droits de base, complémentaire santé solidaire et présence d’un médecin traitant. Scope `cnam_droits`.',
    additionalProperties: false,
  },
);

/** Motives of exonération du ticket modérateur (CSS art. L160-14), without the underlying affection. */
export const EXONERATION_MOTIFS = {
  ALD: 'Affection de longue durée exonérante',
  INVALIDITE: "Titulaire d'une pension d'invalidité",
  RENTE_AT_MP: "Titulaire d'une rente d'accident du travail ou de maladie professionnelle (incapacité d'au moins 66,66 %)",
  MATERNITE: 'Assurance maternité',
  PENSION_MILITAIRE: "Titulaire d'une pension militaire d'invalidité",
  AUTRE: "Autre motif d'exonération",
} as const;

const exoneration = Type.Object(
  {
    motif: codeLibelle(
      'Motif d’exonération',
      Type.Unsafe<keyof typeof EXONERATION_MOTIFS>({
        type: 'string',
        enum: Object.keys(EXONERATION_MOTIFS),
        title: 'Code du motif',
        description: `Code du motif : ${Object.entries(EXONERATION_MOTIFS)
          .map(([code, libelle]) => `\`${code}\` (${libelle})`)
          .join(', ')}. La pathologie en cause n’est jamais transmise.`,
        examples: ['ALD'],
      }),
      { description: 'Libellé du motif, fourni par l’Assurance Maladie.', example: EXONERATION_MOTIFS.ALD },
    ),
    date_debut: Type.String({
      ...DATE,
      title: 'Début de l’exonération',
      description: 'Premier jour de la période d’exonération.',
      examples: ['2021-06-01'],
    }),
    date_fin: nullable(Type.String(DATE), {
      title: 'Fin de l’exonération',
      description: 'Dernier jour de la période d’exonération. `null` pour une exonération sans limitation de durée.',
      examples: ['2026-05-31'],
    }),
  },
  { title: 'Exonération du ticket modérateur', additionalProperties: false },
);

const medecinTraitant = nullable(
  Type.Object(
    {
      nom: Type.String({ title: 'Nom', description: 'Nom d’exercice du médecin traitant.', examples: ['BONNET'] }),
      prenom: Type.String({ title: 'Prénom', description: 'Prénom d’exercice du médecin traitant.', examples: ['CLAIRE'] }),
      identifiant_rpps: nullable(Type.String({ pattern: '^[0-9]{11}$' }), {
        title: 'Identifiant RPPS',
        description:
          'Numéro RPPS du médecin (11 chiffres), pour l’adresser ou l’identifier dans l’annuaire santé. `null` quand l’Assurance Maladie ne le connaît pas.',
        examples: ['10000001234'],
      }),
      date_declaration: Type.String({
        ...DATE,
        title: 'Date de la déclaration',
        description: 'Date d’effet de la déclaration de choix du médecin traitant.',
        examples: ['2019-02-11'],
      }),
    },
    { additionalProperties: false },
  ),
  {
    title: 'Médecin traitant',
    description:
      'Identité du médecin traitant déclaré. `null` quand aucun médecin traitant n’est déclaré. Scope réservé aux établissements de soins : `cnam_medecin_traitant`.',
    examples: [{ nom: 'BONNET', prenom: 'CLAIRE', identifiant_rpps: '10000001234', date_declaration: '2019-02-11' }],
  },
);

const beneficiaire = Type.Object(
  {
    est_personne_connectee: Type.Boolean({
      title: 'Est la personne connectée',
      description:
        '`true` pour la personne identifiée par FranceConnect, toujours le premier élément du tableau ; `false` pour les bénéficiaires qui lui sont rattachés. Donné avec chaque scope, pour que chaque élément reste attribuable.',
      examples: [true],
    }),
    qualite: Type.Unsafe<'assure' | 'ayant_droit'>({
      type: 'string',
      enum: ['assure', 'ayant_droit'],
      title: 'Qualité',
      description:
        '`assure` : assuré ouvrant droit en son nom propre ; `ayant_droit` : bénéficiaire rattaché à un assuré (enfant mineur en général). La personne connectée peut elle-même être `ayant_droit` (mineur de plus de 16 ans rattaché à un parent) : la liste ne contient alors qu’elle.',
      examples: ['assure'],
    }),
    nom_naissance: Type.String({ title: 'Nom de naissance', description: 'Nom de famille à l’état civil.', examples: ['LEROY'] }),
    nom_usage: nullable(Type.String(), {
      title: 'Nom d’usage',
      description: 'Nom d’usage connu de l’Assurance Maladie. `null` s’il n’y en a pas.',
      examples: [null],
    }),
    prenoms: Type.Array(Type.String(), {
      minItems: 1,
      title: 'Prénoms',
      description: 'Prénoms à l’état civil, dans l’ordre.',
      examples: [['CAMILLE', 'ANNE']],
    }),
    date_naissance: Type.String({ ...DATE, title: 'Date de naissance', description: 'Date de naissance.', examples: ['1988-03-14'] }),
    sexe: Type.Unsafe<'M' | 'F'>({
      type: 'string',
      enum: ['M', 'F'],
      title: 'Sexe',
      description: '`M` (masculin) ou `F` (féminin).',
      examples: ['F'],
    }),
    caisse_gestionnaire: caisseGestionnaire,
    droits,
    exonerations_ticket_moderateur: Type.Array(exoneration, {
      title: 'Exonérations du ticket modérateur',
      description:
        'Motifs d’exonération du ticket modérateur en cours ou à venir ; tableau vide s’il n’y en a pas. Le motif seul est donné, jamais la pathologie. Scope réservé aux établissements de soins : `cnam_exonerations_ticket_moderateur`.',
    }),
    medecin_traitant: medecinTraitant,
  },
  { title: 'Bénéficiaire', additionalProperties: false },
);

export const droitsAssuranceMaladieData = Type.Object(
  {
    beneficiaires: Type.Array(beneficiaire, {
      minItems: 1,
      title: 'Bénéficiaires',
      description:
        'La personne connectée via FranceConnect (premier élément, `est_personne_connectee: true`), puis les bénéficiaires qui lui sont rattachés (ayants droit), dans l’ordre de l’Assurance Maladie. Les champs présents dans chaque élément dépendent des scopes du jeton.',
    }),
  },
  { additionalProperties: false },
);
