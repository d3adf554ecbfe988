/**
 * The household blocks shared by the quotient familial and EAJE bodies (CONTRACT §1.4): the
 * allocataires, the children and the family's postal address, worded as the official schemas.
 * Every key is present in each item, `null` when unknown (CONTRACT §1.1; docs/adr/0013-dss-households.md).
 */
import { Type, type TSchema } from 'typebox';

const nullable = <T extends TSchema>(schema: T, options: Record<string, unknown>) => Type.Union([schema, Type.Null()], options);

type Role = 'allocataire' | 'enfant';

const whose = (role: Role): string => (role === 'allocataire' ? "de l'allocataire ou du conjoint" : "de l'enfant");

/** One member of the household; EAJE adds the birth commune (`withBirthCommune`). */
function person(role: Role, withBirthCommune: boolean) {
  const fields = {
    nom_naissance: Type.String({
      title: 'Nom de naissance',
      description: `Nom de naissance ${whose(role)}.`,
      examples: [role === 'allocataire' ? 'JACQUES' : 'DUPONT'],
    }),
    nom_usage: nullable(Type.String(), {
      title: "Nom d'usage",
      description: `Nom d'usage ${whose(role)}, \`null\` s'il n'en a pas.`,
      examples: [role === 'allocataire' ? 'DUPONT' : null],
    }),
    prenoms: Type.String({
      title: 'Prénoms',
      description: `Prénoms ${whose(role)}, séparés par une espace.`,
      examples: [role === 'allocataire' ? 'JEAN-PIERRE THOMAS' : 'JEAN-PIERRE THOMAS JUNIOR'],
    }),
    date_naissance: Type.String({
      format: 'date',
      title: 'Date de naissance',
      description: `Date de naissance ${whose(role)} au format AAAA-MM-JJ.`,
      examples: ['2000-01-20'],
    }),
    sexe: Type.Unsafe<'F' | 'M'>({
      type: 'string',
      enum: ['F', 'M'],
      title: 'Sexe',
      description: `Sexe ${whose(role)}.`,
      examples: ['M'],
    }),
  };
  if (!withBirthCommune) return Type.Object(fields);
  return Type.Object({
    ...fields,
    code_cog_insee_commune_naissance: nullable(Type.String(), {
      title: 'COG de la commune de naissance',
      description:
        role === 'allocataire'
          ? "Code officiel géographique (COG) de la commune de naissance. Ce champ peut être `null`, notamment pour les co-allocataires (il n'est généralement renvoyé que pour l'allocataire principal demandé)."
          : "Code officiel géographique (COG) de la commune de naissance. Ce champ peut être `null` pour les enfants (il n'est généralement renvoyé que pour l'allocataire principal demandé).",
      examples: [role === 'allocataire' ? '75113' : null],
    }),
  });
}

const SOURCE_NOTE = "La provenance de ces données n'est pas sourcée précisément et diffère selon la CAF ou la MSA.";
/** QF only: a past month still lists the current household (OA3 QF description). */
const CURRENT_MONTH_NOTE =
  " Les membres de la famille listés sont toujours ceux du mois en cours, y compris en cas d'appel sur une date antérieure.";

export function allocatairesSchema(options: { withBirthCommune: boolean; currentMonthNote: boolean }) {
  return Type.Array(person('allocataire', options.withBirthCommune), {
    minItems: 1,
    title: "Données d'identité de l'allocataire et du conjoint",
    description: `Liste des données d'identité de l'allocataire appelé et de celles du conjoint le cas échéant. ${SOURCE_NOTE}${options.currentMonthNote ? CURRENT_MONTH_NOTE : ''}`,
  });
}

export function enfantsSchema(options: { withBirthCommune: boolean; currentMonthNote: boolean }) {
  return Type.Array(person('enfant', options.withBirthCommune), {
    title: 'Données d’identité des enfants',
    description: `Liste des données d'identité des enfants composant la famille, le cas échéant (liste vide sinon). ${SOURCE_NOTE}${options.currentMonthNote ? CURRENT_MONTH_NOTE : ''}`,
  });
}

export const adresseSchema = Type.Object(
  {
    destinataire: Type.String({
      title: 'Destinataire',
      description: 'Civilité, titre ou qualité, nom et prénom du destinataire.',
      examples: ['Monsieur JEAN JACQUES'],
    }),
    complement_information: nullable(Type.String(), {
      title: "Complément d'information du destinataire ou point de remise",
      description: 'Ligne 2 de l’adresse postale (appartement, étage, « chez »…), `null` si absente.',
      examples: [null],
    }),
    complement_information_geographique: nullable(Type.String(), {
      title: "Complément d'information du point géographique",
      description: 'Ligne 3 de l’adresse postale (bâtiment, résidence, entrée…), `null` si absente.',
      examples: [null],
    }),
    numero_libelle_voie: nullable(Type.String(), {
      title: 'Voie',
      description: 'Numéro et libellé de la voie.',
      examples: ['1 RUE DE LA GARE'],
    }),
    lieu_dit: nullable(Type.String(), {
      title: 'Lieu-dit',
      description: 'Lieu-dit ou service particulier de distribution : poste restante, boîte postale.',
      examples: [null],
    }),
    code_postal_ville: Type.String({
      title: 'Code postal',
      description: 'Code postal et localité de destination.',
      examples: ['75002 PARIS'],
    }),
    pays: Type.String({ title: 'Pays', description: 'Pays de destination.', examples: ['FRANCE'] }),
  },
  {
    title: 'Adresse de la famille',
    description:
      "Adresse de la famille au format de La Poste. Cette adresse est déclarative. Si l'usager a changé d'adresse et n'a pas actualisé son adresse auprès de la CAF ou de la MSA, l'information sera donc obsolète.",
  },
);
