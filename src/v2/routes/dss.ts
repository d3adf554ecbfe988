/**
 * The six v2 CNAV routes (CONTRACT §1.5): composition-familiale-v2, complementaire-sante-solidaire,
 * allocation-adulte-handicape, allocation-soutien-familial, prime-activite, revenu-solidarite-active.
 * All take the v2 "Family A" params, accept FranceConnect, and map onto the v3 `/v3/dss/…` routes.
 */
import { Type, type TObject } from 'typebox';
import type { EndpointDefinition, QueryParams } from '../../core/endpoint.ts';
import { aah } from '../../providers/dss/allocation-adulte-handicape.ts';
import { asf } from '../../providers/dss/allocation-soutien-familial.ts';
import { c2sFranceConnect, c2sIdentite } from '../../providers/dss/complementaire-sante-solidaire.ts';
import { primeActivite } from '../../providers/dss/prime-activite.ts';
import { quotientFamilialRoutes } from '../../providers/dss/quotient-familial.ts';
import { rsa } from '../../providers/dss/revenu-solidarite-active.ts';
import { at, defined, type V2Route } from '../v2-route.ts';

const text = (description: string, extra: Record<string, unknown> = {}) => Type.Optional(Type.String({ description, ...extra }));
const int = (description: string) => Type.Optional(Type.Integer({ description }));

/** OA2 Family A: nothing is required by the schema, because FranceConnect callers send none of it. */
const familyA = {
  nomNaissance: text('Nom de naissance. Obligatoire sans jeton FranceConnect.'),
  nomUsage: text("Nom d'usage."),
  'prenoms[]': Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Liste des prénoms : `prenoms[]=PIERRE&prenoms[]=RICHARD`.' })),
  anneeDateDeNaissance: int('Année de naissance.'),
  moisDateDeNaissance: int('Mois de naissance.'),
  jourDateDeNaissance: int('Jour de naissance.'),
  codeInseeLieuDeNaissance: text('Code COG INSEE à 5 caractères de la commune de naissance (naissance en France).', { minLength: 5, maxLength: 5 }),
  codePaysLieuDeNaissance: text('Code COG INSEE à 5 chiffres du pays de naissance (France = 99100). Obligatoire sans jeton FranceConnect.', {
    minLength: 5,
    maxLength: 5,
  }),
  sexe: Type.Optional(Type.Unsafe<'M' | 'F'>({ type: 'string', enum: ['M', 'F'], description: 'Sexe : M ou F. Obligatoire sans jeton FranceConnect.' })),
  nomCommuneNaissance: text('Nom de la commune de naissance (avec codeInseeDepartementNaissance et anneeDateDeNaissance).', { minLength: 1 }),
  codeInseeDepartementNaissance: text('Code INSEE du département de naissance.', { minLength: 2, maxLength: 3 }),
};

/** v2 name → v3 name of the Family A params. */
const RENAMES: Readonly<Record<string, string>> = {
  nomNaissance: 'nomNaissance',
  nomUsage: 'nomUsage',
  'prenoms[]': 'prenoms[]',
  anneeDateDeNaissance: 'anneeDateNaissance',
  moisDateDeNaissance: 'moisDateNaissance',
  jourDateDeNaissance: 'jourDateNaissance',
  codeInseeLieuDeNaissance: 'codeCogInseeCommuneNaissance',
  codePaysLieuDeNaissance: 'codeCogInseePaysNaissance',
  sexe: 'sexeEtatCivil',
  nomCommuneNaissance: 'nomCommuneNaissance',
  codeInseeDepartementNaissance: 'codeCogInseeDepartementNaissance',
};
const V2_NAMES = Object.fromEntries([...Object.entries(RENAMES).map(([v2, v3]) => [v3, v2]), ['annee', 'annee'], ['mois', 'mois']]);

const BIRTH_COMMUNE_PARAMS = ['codeCogInseeCommuneNaissance', 'nomCommuneNaissance', 'codeCogInseeDepartementNaissance'];

/**
 * v2 → v3 names. v2 ignored a birth commune sent for a person born abroad (OA2: "ne pas remplir si la
 * personne est née à l'étranger"; an official v2 case sends one and gets a 200), where v3 refuses it:
 * the adapter leaves it out of the v3 call rather than break such a client (docs/adr/0071-v2-errors.md).
 */
function renamed(params: QueryParams, extra: readonly string[] = []): QueryParams {
  const out: Record<string, unknown> = {};
  for (const [v2, v3] of Object.entries(RENAMES)) out[v3] = params[v2];
  for (const key of extra) out[key] = params[key];
  const country = out.codeCogInseePaysNaissance;
  if (country !== undefined && country !== '99100') for (const key of BIRTH_COMMUNE_PARAMS) delete out[key];
  return defined(out);
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

interface DssV2 {
  path: string;
  operationId: string;
  summary: string;
  routes: { identite: EndpointDefinition; franceConnect: EndpointDefinition };
  toV2(data: unknown): unknown;
  masking: V2Route['masking'];
  ownParams?: TObject['properties'];
}

function dssV2(api: DssV2): V2Route {
  const own = Object.keys(api.ownParams ?? {});
  return {
    path: api.path,
    operationId: api.operationId,
    summary: api.summary,
    description: `Route v2 dépréciée : utilisez ${api.routes.identite.path} ou ${api.routes.franceConnect.path}. Jeton en \`X-Api-Key\`, ou jeton FranceConnect du particulier en \`Authorization: Bearer\` (recipient alors obligatoire).`,
    params: Type.Object({ ...familyA, ...api.ownParams }),
    toV3: (params) => ({ endpoint: api.routes.identite, params: renamed(params, own) }),
    optionalInV2: ['prenoms[]'],
    franceConnect: { endpoint: api.routes.franceConnect, extraParams: (params) => defined(Object.fromEntries(own.map((k) => [k, params[k]]))) },
    toV2: (data) => api.toV2(data),
    masking: api.masking,
    v2Names: V2_NAMES,
    successors: [api.routes.identite.path, api.routes.franceConnect.path],
  };
}

/** v3 `est_beneficiaire` → the v2 `status` word. */
const status = (data: unknown): string => (at(data, 'est_beneficiaire') === true ? 'beneficiaire' : 'non_beneficiaire');

export const complementaireSanteSolidaireV2 = dssV2({
  path: '/api/v2/complementaire-sante-solidaire',
  operationId: 'api_particulier_v2_cnav_complementaire_sante_solidaire',
  summary: 'Statut complémentaire santé solidaire (C2S)',
  routes: { identite: c2sIdentite, franceConnect: c2sFranceConnect },
  toV2: (data) => ({
    status:
      at(data, 'est_beneficiaire') !== true
        ? 'non_beneficiaire_css'
        : at(data, 'avec_participation') === true
          ? 'beneficiaire_avec_participation_financiere'
          : 'beneficiaire_sans_participation_financiere',
    dateDebut: str(at(data, 'date_debut_droit')),
    dateFin: null,
  }),
  masking: { complementaire_sante_solidaire: ['status', 'dateDebut', 'dateFin'] },
});

export const allocationAdulteHandicapeV2 = dssV2({
  path: '/api/v2/allocation-adulte-handicape',
  operationId: 'api_particulier_v2_cnav_allocation_adulte_handicape',
  summary: 'Statut allocation adulte handicapé (AAH)',
  routes: aah,
  toV2: (data) => ({ status: status(data), dateDebut: str(at(data, 'date_debut_droit')) }),
  masking: { allocation_adulte_handicape: ['status', 'dateDebut'] },
});

export const allocationSoutienFamilialV2 = dssV2({
  path: '/api/v2/allocation-soutien-familial',
  operationId: 'api_particulier_v2_cnav_allocation_soutien_familial',
  summary: 'Statut allocation de soutien familial (ASF)',
  routes: asf,
  toV2: (data) => ({ status: status(data), dateDebut: str(at(data, 'date_debut_droit')), dateFin: null }),
  masking: { allocation_soutien_familial: ['status', 'dateDebut', 'dateFin'] },
});

const withMajoration = (data: unknown): unknown => ({
  status: status(data),
  majoration: typeof at(data, 'avec_majoration') === 'boolean' ? at(data, 'avec_majoration') : null,
  dateDebut: str(at(data, 'date_debut_droit')),
  dateFin: null,
});

export const primeActiviteV2 = dssV2({
  path: '/api/v2/prime-activite',
  operationId: 'api_particulier_v2_cnav_prime_activite',
  summary: "Statut prime d'activité",
  routes: primeActivite,
  toV2: withMajoration,
  masking: { prime_activite: ['status', 'dateDebut', 'dateFin'], prime_activite_majoration: ['majoration'] },
});

export const revenuSolidariteActiveV2 = dssV2({
  path: '/api/v2/revenu-solidarite-active',
  operationId: 'api_particulier_v2_cnav_revenu_solidarite_active',
  summary: 'Statut revenu de solidarité active (RSA)',
  routes: rsa,
  toV2: withMajoration,
  masking: { revenu_solidarite_active: ['status', 'dateDebut', 'dateFin'], revenu_solidarite_active_majoration: ['majoration'] },
});

/** v3 `date_naissance` (`AAAA-MM-JJ` or null) → the v2 zero-padded string parts. */
function person(p: unknown): unknown {
  const date = str(at(p, 'date_naissance'));
  const [year, month, day] = date === null ? [] : date.split('-');
  return {
    nomNaissance: at(p, 'nom_naissance') ?? null,
    nomUsuel: at(p, 'nom_usage') ?? null,
    prenoms: at(p, 'prenoms') ?? null,
    anneeDateDeNaissance: year ?? null,
    moisDateDeNaissance: month ?? null,
    jourDateDeNaissance: day ?? null,
    sexe: at(p, 'sexe') ?? null,
  };
}

const people = (list: unknown): unknown[] => (Array.isArray(list) ? list.map(person) : []);

export const compositionFamilialeV2 = dssV2({
  path: '/api/v2/composition-familiale-v2',
  operationId: 'api_particulier_v2_cnav_quotient_familial_v2',
  summary: 'Quotient familial CAF & MSA et composition familiale',
  routes: quotientFamilialRoutes,
  ownParams: {
    annee: Type.Optional(Type.Integer({ description: 'Année du quotient familial (par défaut, l’année en cours).' })),
    mois: Type.Optional(Type.Integer({ description: 'Mois du quotient familial (par défaut, le mois en cours).' })),
  },
  toV2: (data) => ({
    quotientFamilial: at(data, 'quotient_familial', 'valeur') ?? null,
    annee: at(data, 'quotient_familial', 'annee') ?? null,
    mois: at(data, 'quotient_familial', 'mois') ?? null,
    allocataires: people(at(data, 'allocataires')),
    enfants: people(at(data, 'enfants')),
    adresse: {
      identite: at(data, 'adresse', 'destinataire') ?? null,
      complementInformation: at(data, 'adresse', 'complement_information') ?? null,
      complementInformationGeographique: at(data, 'adresse', 'complement_information_geographique') ?? null,
      numeroLibelleVoie: at(data, 'adresse', 'numero_libelle_voie') ?? null,
      lieuDit: at(data, 'adresse', 'lieu_dit') ?? null,
      codePostalVille: at(data, 'adresse', 'code_postal_ville') ?? null,
      pays: at(data, 'adresse', 'pays') ?? null,
    },
  }),
  masking: {
    cnaf_quotient_familial: ['quotientFamilial', 'annee', 'mois'],
    cnaf_allocataires: ['allocataires'],
    cnaf_enfants: ['enfants'],
    cnaf_adresse: ['adresse'],
  },
});

export const dssV2Routes: readonly V2Route[] = [
  compositionFamilialeV2,
  complementaireSanteSolidaireV2,
  allocationAdulteHandicapeV2,
  allocationSoutienFamilialV2,
  primeActiviteV2,
  revenuSolidariteActiveV2,
];
