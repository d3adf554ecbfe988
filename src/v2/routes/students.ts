/**
 * The two v2 student routes (CONTRACT §1.5): `/api/v2/etudiants` (MESRI → v3 statut étudiant) and
 * `/api/v2/etudiants-boursiers` (Cnous → v4 étudiant boursier, the current version). Both take an
 * INE or a civil status, and accept FranceConnect.
 */
import { Type } from 'typebox';
import type { QueryParams } from '../../core/endpoint.ts';
import { boursierV4FranceConnect, boursierV4Identite, boursierV4Ine } from '../../providers/cnous/etudiant-boursier.ts';
import { statutEtudiantFranceConnect, statutEtudiantIdentite, statutEtudiantIne } from '../../providers/mesri/statut-etudiant.ts';
import { at, birthDateParams, defined, upperSex, type V2Route } from '../v2-route.ts';

const ine = Type.Optional(Type.String({ pattern: '^[0-9a-zA-Z]{11}$', description: "INE de l'étudiant. Sinon, l'identité." }));
const dateDeNaissance = Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Date de naissance, AAAA-MM-JJ.' }));
const lieuDeNaissance = Type.Optional(Type.String({ description: 'Code COG INSEE de la commune de naissance (facultatif).' }));
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const STUDENT_V2_NAMES = {
  nomNaissance: 'nom',
  'prenoms[]': 'prenom',
  anneeDateNaissance: 'dateDeNaissance',
  moisDateNaissance: 'dateDeNaissance',
  jourDateNaissance: 'dateDeNaissance',
  sexeEtatCivil: 'sexe',
  codeCogInseeCommuneNaissance: 'lieuDeNaissance',
  ine: 'ine',
};

function inscription(admission: unknown): unknown {
  return {
    dateDebutInscription: at(admission, 'date_debut') ?? null,
    dateFinInscription: at(admission, 'date_fin') ?? null,
    statut: at(admission, 'est_inscrit') === true ? 'inscrit' : 'admis',
    regime: at(admission, 'regime_formation', 'libelle') ?? null,
    codeCommune: at(admission, 'code_cog_insee_commune') ?? null,
    etablissement: { uai: at(admission, 'etablissement_etudes', 'uai') ?? null, nom: at(admission, 'etablissement_etudes', 'nom') ?? null },
  };
}

const INSCRIPTION_FIELDS = ['inscriptions.dateDebutInscription', 'inscriptions.dateFinInscription', 'inscriptions.statut', 'inscriptions.regime'];

export const etudiantsV2: V2Route = {
  path: '/api/v2/etudiants',
  operationId: 'api_particulier_v2_mesri_student_status',
  summary: 'Statut étudiant',
  description:
    'Route v2 dépréciée : utilisez /v3/mesri/statut_etudiant/ine, /identite ou /france_connect. Par INE, ou par nom, prénom, date de naissance et sexe. Jeton en `X-Api-Key`, ou jeton FranceConnect en `Authorization: Bearer` (recipient alors obligatoire).',
  params: Type.Object({
    ine,
    nom: Type.Optional(Type.String({ description: 'Nom de naissance.' })),
    prenom: Type.Optional(Type.String({ description: 'Premier prénom.' })),
    dateDeNaissance,
    sexe: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['M', 'F', 'm', 'f'], description: 'Sexe : M ou F.' })),
    lieuDeNaissance,
  }),
  toV3(params: QueryParams) {
    if (params.ine !== undefined) return { endpoint: statutEtudiantIne, params: { ine: params.ine } };
    return {
      endpoint: statutEtudiantIdentite,
      params: defined({
        nomNaissance: params.nom,
        'prenoms[]': params.prenom === undefined ? undefined : [params.prenom],
        ...birthDateParams(params.dateDeNaissance),
        sexeEtatCivil: upperSex(params.sexe),
        codeCogInseeCommuneNaissance: params.lieuDeNaissance,
      }),
    };
  },
  franceConnect: { endpoint: statutEtudiantFranceConnect },
  toV2: (data) => ({
    nom: at(data, 'identite', 'nom_naissance') ?? null,
    prenom: at(data, 'identite', 'prenom') ?? null,
    dateNaissance: at(data, 'identite', 'date_naissance') ?? null,
    inscriptions: Array.isArray(at(data, 'admissions')) ? (at(data, 'admissions') as unknown[]).map(inscription) : [],
  }),
  // CONTRACT §3.2 legacy table. The official staging payloads spell some keys `nomFamille` and
  // `etablissement.nomEtablissement`: both spellings are listed so sandbox cases are masked alike.
  // `ine`: see docs/adr/0073-v2-scopes.md (no `mesri_identifiant` scope is declared yet).
  masking: {
    mesri_identifiant: ['ine'],
    mesri_identite: ['ine', 'nom', 'nomFamille', 'prenom', 'dateNaissance'],
    mesri_inscription_etudiant: INSCRIPTION_FIELDS,
    mesri_inscription_autre: INSCRIPTION_FIELDS,
    mesri_admission: INSCRIPTION_FIELDS,
    mesri_etablissements: ['inscriptions.codeCommune', 'inscriptions.etablissement'],
  },
  v2Names: STUDENT_V2_NAMES,
  successors: [statutEtudiantIne.path, statutEtudiantIdentite.path, statutEtudiantFranceConnect.path],
};

export const etudiantsBoursiersV2: V2Route = {
  path: '/api/v2/etudiants-boursiers',
  operationId: 'api_particulier_v2_cnous_student_scholarship',
  summary: 'Statut étudiant boursier',
  description:
    'Route v2 dépréciée : utilisez /v4/cnous/etudiant_boursier/ine, /identite ou /france_connect. Par INE, ou par nom, prénoms (séparés par des espaces) et date de naissance. Jeton en `X-Api-Key`, ou jeton FranceConnect en `Authorization: Bearer` (recipient alors obligatoire).',
  params: Type.Object({
    ine,
    nom: Type.Optional(Type.String({ description: 'Nom de naissance.' })),
    prenoms: Type.Optional(Type.String({ description: 'Prénoms, séparés par des espaces.' })),
    dateDeNaissance,
    sexe: Type.Optional(Type.Unsafe<'M' | 'F'>({ type: 'string', enum: ['M', 'F'], description: 'Sexe : M ou F (facultatif).' })),
    lieuDeNaissance,
  }),
  toV3(params: QueryParams) {
    if (params.ine !== undefined) return { endpoint: boursierV4Ine, params: { ine: params.ine } };
    const prenoms = typeof params.prenoms === 'string' ? params.prenoms.split(' ').filter((p) => p !== '') : undefined;
    return {
      endpoint: boursierV4Identite,
      params: defined({
        nomNaissance: params.nom,
        'prenoms[]': prenoms,
        ...birthDateParams(params.dateDeNaissance),
        sexeEtatCivil: params.sexe,
        codeCogInseeCommuneNaissance: params.lieuDeNaissance,
      }),
    };
  },
  franceConnect: { endpoint: boursierV4FranceConnect },
  toV2(data) {
    const prenoms = at(data, 'identite', 'prenoms');
    const list = Array.isArray(prenoms) ? prenoms.map(String) : [];
    const provisional = at(data, 'echelon_bourse', 'echelon_bourse_regionale_provisoire') === true;
    return {
      nom: at(data, 'identite', 'nom') ?? null,
      prenom: list[0] ?? null,
      prenom2: list[1] ?? '',
      dateNaissance: at(data, 'identite', 'date_naissance') ?? null,
      lieuNaissance: at(data, 'identite', 'nom_commune_naissance') ?? null,
      sexe: at(data, 'identite', 'sexe') ?? null,
      boursier: at(data, 'statut_boursier', 'est_boursier') ?? null,
      echelonBourse: str(at(data, 'echelon_bourse', 'echelon')),
      email: at(data, 'email') ?? null,
      dateDeRentree: at(data, 'periode_versement_bourse', 'date_rentree') ?? null,
      dureeVersement: at(data, 'periode_versement_bourse', 'duree') ?? null,
      statut: provisional ? 1 : 0,
      statutLibelle: provisional ? 'provisoire' : 'définitif',
      villeEtudes: at(data, 'etablissement_etudes', 'nom_commune') ?? null,
      etablissement: at(data, 'etablissement_etudes', 'nom_etablissement') ?? null,
    };
  },
  masking: {
    cnous_statut_boursier: ['boursier'],
    cnous_echelon_bourse: ['echelonBourse'],
    cnous_email: ['email'],
    cnous_periode_versement: ['dateDeRentree', 'dureeVersement'],
    cnous_statut_bourse: ['statut', 'statutLibelle'],
    cnous_ville_etudes: ['villeEtudes', 'etablissement'],
    cnous_identite: ['nom', 'prenom', 'prenom2', 'dateNaissance', 'lieuNaissance', 'sexe'],
  },
  v2Names: { ...STUDENT_V2_NAMES, 'prenoms[]': 'prenoms' },
  successors: [boursierV4Ine.path, boursierV4Identite.path, boursierV4FranceConnect.path],
};
