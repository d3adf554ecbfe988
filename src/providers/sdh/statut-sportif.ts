/**
 * Statut de sportif de haut niveau et sur liste ministérielle (SDH, ministère des Sports): CONTRACT §1.3
 * route 34, §1.4 body.
 */
import { Type, type TSchema } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { sdhErrors } from './errors.ts';

const str = (title: string, description: string, example: string) => Type.String({ title, description, examples: [example] });
const date = (title: string, description: string, example: string) => Type.String({ format: 'date', title, description, examples: [example] });

/**
 * One status block. The official schema requires every field of the current status, and none in the
 * history items (`required` absent there): `strict` mirrors that difference.
 */
function statusFields(strict: boolean, ex: { debut: string; fin: string; federation: [string, string, string]; etablissement: [string, string]; region: [string, string]; categorie: [string, string, string] }) {
  const maybe = <T extends TSchema>(schema: T) => (strict ? schema : Type.Optional(schema));
  const object = (properties: Record<string, TSchema>, title: string, description: string) =>
    Type.Object(strict ? properties : Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, Type.Optional(v)])), { title, description });
  return {
    periode: maybe(
      object(
        {
          date_debut_statut: date('Date de début du statut', 'Date de début du statut sportif de haut niveau.', ex.debut),
          date_fin_statut: date('Date de fin du statut', 'Date de fin du statut sportif de haut niveau.', ex.fin),
        },
        'Période du statut',
        'Période de validité du statut sportif de haut niveau.',
      ),
    ),
    federation: maybe(
      object(
        {
          code_federation: str('Code fédération', 'Code de la fédération.', ex.federation[0]),
          nom_federation: str('Nom de la fédération', 'Nom complet de la fédération.', ex.federation[1]),
          nom_court_federation: str('Nom court de la fédération', 'Nom court de la fédération.', ex.federation[2]),
        },
        'Informations sur la fédération',
        'Données d’identification de la fédération.',
      ),
    ),
    etablissement: maybe(
      object(
        {
          code_etablissement: str('Code établissement', 'Code de l’établissement.', ex.etablissement[0]),
          nom_etablissement: str('Nom de l’établissement', 'Nom de l’établissement.', ex.etablissement[1]),
        },
        'Informations sur l’établissement',
        'Données d’identification de l’établissement.',
      ),
    ),
    region: maybe(
      object(
        {
          code_region: str('Code région', 'Code de la région.', ex.region[0]),
          nom_region: str('Nom de la région', 'Nom de la région.', ex.region[1]),
        },
        'Informations sur la région',
        'Données d’identification de la région.',
      ),
    ),
    categorie: maybe(
      object(
        {
          code_categorie: str('Code catégorie', 'Code de la catégorie.', ex.categorie[0]),
          nom_categorie: str('Nom de la catégorie', 'Nom de la catégorie.', ex.categorie[1]),
          valeur: str('Valeur', 'Valeur associée à la catégorie.', ex.categorie[2]),
        },
        'Informations sur la catégorie',
        'Données d’identification de la catégorie sportive.',
      ),
    ),
    sportif_de_haut_niveau: maybe(
      Type.Boolean({ title: 'Sportif de haut niveau', description: 'Indique si ce statut correspond à un sportif de haut niveau.', examples: [true] }),
    ),
  };
}

const data = Type.Object(
  {
    identite: Type.Object(
      {
        nom_naissance: str('Nom de naissance', 'Nom de naissance du sportif.', 'Dupont'),
        nom_usage: str('Nom d’usage', 'Nom d’usage du sportif.', 'Martin'),
        prenoms: str('Prénoms', 'Prénoms du sportif, séparés par des espaces.', 'Jean Claude'),
        date_naissance: date('Date de naissance', 'Date de naissance du sportif (format AAAA-MM-JJ).', '1990-05-15'),
        sexe: Type.Unsafe<'F' | 'M'>({ type: 'string', enum: ['F', 'M'], title: 'Sexe', description: 'Sexe du sportif.', examples: ['M'] }),
      },
      { title: 'Données d’identité du sportif', description: 'Informations d’identité du sportif.' },
    ),
    est_sportif_de_haut_niveau: Type.Boolean({
      title: 'Est sportif de haut niveau',
      description: 'Indique si la personne est actuellement un sportif de haut niveau.',
      examples: [true],
    }),
    a_ete_sportif_de_haut_niveau: Type.Boolean({
      title: 'A été sportif de haut niveau',
      description: 'Indique si la personne a été un sportif de haut niveau dans le passé.',
      examples: [true],
    }),
    informations_statut: Type.Object(
      statusFields(true, {
        debut: '2023-01-01',
        fin: '2025-09-30',
        federation: ['29', 'fédération française de handball', 'HANDBALL'],
        etablissement: ['2075', 'Maison de la Performance Nouvelle-Aquitaine'],
        region: ['75', 'Nouvelle-Aquitaine'],
        categorie: ['2', 'elite', '4'],
      }),
      { title: 'Informations du statut sportif', description: 'Détails du statut sportif actuel.' },
    ),
    informations_statuts_precedents: Type.Array(
      Type.Object({
        fiche: Type.Optional(Type.Integer({ title: 'Numéro de fiche', description: 'Numéro de la fiche.', examples: [789456] })),
        ...statusFields(false, {
          debut: '2021-01-01',
          fin: '2022-12-31',
          federation: ['69', 'Fédération Française de Triathlon et Disciplines Enchaînées', 'TRIATHLON'],
          etablissement: ['1093', 'Maison de la Performance Occitanie'],
          region: ['76', 'Occitanie'],
          categorie: ['4', 'Elite', '128'],
        }),
      }),
      { title: 'Historique des statuts précédents', description: 'Détails historiques des statuts sportifs précédents.' },
    ),
  },
  { additionalProperties: false },
);

export const statutSportifIdentifiant: EndpointDefinition = {
  operationId: 'api_particulier_v3_sdh_statut_sportif_with_identifiant',
  path: '/v3/sdh/statut_sportif/identifiant',
  modality: 'identifiant',
  summary: '[Identifiant] Statut sportif de haut niveau et sur liste ministérielle',
  description:
    'Statut de sportif de haut niveau, et de toute catégorie inscrite sur la liste des collectifs nationaux ou sur la liste des arbitres et juges sportifs de haut niveau, selon le système d’information du ministère des Sports : statut actuel et historique des statuts précédents.',
  tag: 'Statut Sportif',
  params: Type.Object({
    identifiant: Type.String({
      minLength: 1,
      maxLength: 100,
      description: '**Identifiant du sportif** dans le système d’information du ministère des Sports.',
      examples: ['123456789'],
    }),
  }),
  // CONTRACT §4.2, conformance check 11: a missing (or empty) identifiant is 00380.
  paramError: () => sdhErrors.missingIdentifier,
  data,
  // CONTRACT §3.2: `sdh_statut_sportif_<key>` unlocks `data.<key>`.
  masking: {
    sdh_statut_sportif_identite: ['identite'],
    sdh_statut_sportif_est_sportif_de_haut_niveau: ['est_sportif_de_haut_niveau'],
    sdh_statut_sportif_a_ete_sportif_de_haut_niveau: ['a_ete_sportif_de_haut_niveau'],
    sdh_statut_sportif_informations_statut: ['informations_statut'],
    sdh_statut_sportif_informations_statuts_precedents: ['informations_statuts_precedents'],
  },
  providerErrors: [sdhErrors.notFound, sdhErrors.unknown, sdhErrors.timeout, sdhErrors.unavailable, sdhErrors.dns],
};
