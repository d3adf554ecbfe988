/**
 * The v2 routes without FranceConnect (CONTRACT §1.5): `/api/v2/scolarites` (MEN → v3 scolarités),
 * `/api/v2/situations-pole-emploi` and `/api/v2/paiements-pole-emploi` (France Travail → v3 statut
 * and indemnités by `identifiant`).
 */
import { Type } from 'typebox';
import { indemnitesIdentifiant } from '../../providers/france-travail/indemnites.ts';
import { statutIdentifiant } from '../../providers/france-travail/statut.ts';
import { scolaritesV3 } from '../../providers/men/scolarites.ts';
import { at, birthDateParams, defined, upperSex, type V2Route } from '../v2-route.ts';

const required = (description: string, extra: Record<string, unknown> = {}) => Type.String({ description, ...extra });

export const scolaritesV2: V2Route = {
  path: '/api/v2/scolarites',
  operationId: 'api_particulier_v2_men_scolarites',
  summary: "Statut élève scolarisé et boursier",
  description: 'Route v2 dépréciée : utilisez /v3/men/scolarites/identite. Jeton en `X-Api-Key`.',
  params: Type.Object({
    nom: required("Nom de naissance de l'élève."),
    prenom: required("Premier prénom de l'élève."),
    sexe: Type.Unsafe<string>({ type: 'string', enum: ['M', 'F', 'm', 'f'], description: 'Sexe : M ou F.' }),
    dateNaissance: required('Date de naissance, AAAA-MM-JJ.', { pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    codeEtablissement: required("Code UAI de l'établissement."),
    anneeScolaire: required('Année scolaire : AAAA (année de la rentrée) ou AAAA-AAAA.'),
  }),
  toV3: (params) => ({
    endpoint: scolaritesV3,
    params: defined({
      nomNaissance: params.nom,
      'prenoms[]': params.prenom === undefined ? undefined : [params.prenom],
      sexeEtatCivil: upperSex(params.sexe),
      ...birthDateParams(params.dateNaissance),
      codeEtablissement: params.codeEtablissement,
      anneeScolaire: params.anneeScolaire,
    }),
  }),
  toV2: (data, request) => ({
    // CONTRACT §1.5: `eleve` echoes the request, as v2 did.
    eleve: { nom: request.nom ?? null, prenom: request.prenom ?? null, sexe: upperSex(request.sexe) ?? null, date_naissance: request.dateNaissance ?? null },
    code_etablissement: at(data, 'etablissement', 'code_uai') ?? request.codeEtablissement ?? null,
    annee_scolaire: request.anneeScolaire ?? at(data, 'annee_scolaire') ?? null,
    est_scolarise: at(data, 'est_scolarise') ?? null,
    est_boursier: at(data, 'est_boursier') ?? null,
    niveau_bourse: at(data, 'echelon_bourse') ?? null,
    status_eleve: at(data, 'statut_eleve') ?? null,
  }),
  masking: {
    men_statut_scolarite: ['eleve', 'code_etablissement', 'annee_scolaire', 'est_scolarise', 'status_eleve'],
    men_statut_boursier: ['est_boursier'],
    men_echelon_bourse: ['niveau_bourse'],
  },
  v2Names: {
    nomNaissance: 'nom',
    'prenoms[]': 'prenom',
    sexeEtatCivil: 'sexe',
    anneeDateNaissance: 'dateNaissance',
    moisDateNaissance: 'dateNaissance',
    jourDateNaissance: 'dateNaissance',
    codeEtablissement: 'codeEtablissement',
    anneeScolaire: 'anneeScolaire',
  },
  successors: [scolaritesV3.path],
};

const identifiant = Type.Object({ identifiant: required("Identifiant France Travail (nom d'utilisateur de l'espace personnel).") });

export const situationsPoleEmploiV2: V2Route = {
  path: '/api/v2/situations-pole-emploi',
  operationId: 'api_particulier_v2_pole_emploi_statut',
  summary: "Situation d'un demandeur d'emploi",
  description: 'Route v2 dépréciée : utilisez /v3/france_travail/statut/identifiant. Jeton en `X-Api-Key`.',
  params: identifiant,
  toV3: (params) => ({ endpoint: statutIdentifiant, params: { identifiant: params.identifiant } }),
  toV2: (data) => ({
    identifiant: at(data, 'identifiant') ?? null,
    civilite: at(data, 'identite', 'civilite') ?? null,
    nom: at(data, 'identite', 'nom_naissance') ?? null,
    nomUsage: at(data, 'identite', 'nom_usage') ?? null,
    prenom: at(data, 'identite', 'prenom') ?? null,
    sexe: at(data, 'identite', 'sexe') ?? null,
    dateNaissance: at(data, 'identite', 'date_naissance') ?? null,
    codeCertificationCNAV: at(data, 'inscription', 'code_certification_cnav') ?? null,
    telephone: at(data, 'contact', 'telephone') ?? null,
    telephone2: at(data, 'contact', 'telephone2') ?? null,
    email: at(data, 'contact', 'email') ?? null,
    adresse: {
      codePostal: at(data, 'adresse', 'code_postal') ?? null,
      INSEECommune: at(data, 'adresse', 'code_cog_insee_commune') ?? null,
      localite: at(data, 'adresse', 'localite') ?? null,
      ligneVoie: at(data, 'adresse', 'ligne_voie') ?? null,
      ligneComplementDestinataire: at(data, 'adresse', 'ligne_complement_destinataire') ?? null,
      ligneComplementAdresse: at(data, 'adresse', 'ligne_complement_adresse') ?? null,
      ligneComplementDistribution: at(data, 'adresse', 'ligne_complement_distribution') ?? null,
      ligneNom: at(data, 'adresse', 'ligne_nom') ?? null,
    },
    dateInscription: at(data, 'inscription', 'date_debut') ?? null,
    dateCessationInscription: at(data, 'inscription', 'date_fin') ?? null,
    codeCategorieInscription: at(data, 'inscription', 'categorie', 'code') ?? null,
    libelleCategorieInscription: at(data, 'inscription', 'categorie', 'libelle') ?? null,
  }),
  masking: {
    pole_emploi_identite: ['identifiant', 'civilite', 'nom', 'nomUsage', 'prenom', 'sexe', 'dateNaissance'],
    pole_emploi_adresse: ['adresse'],
    pole_emploi_contact: ['email', 'telephone', 'telephone2'],
    pole_emploi_inscription: ['dateInscription', 'dateCessationInscription', 'codeCertificationCNAV', 'codeCategorieInscription', 'libelleCategorieInscription'],
  },
  v2Names: { identifiant: 'identifiant' },
  successors: [statutIdentifiant.path],
};

function paiement(p: unknown): unknown {
  return {
    date: at(p, 'date_versement') ?? null,
    montant: at(p, 'montant_total') ?? null,
    allocations: at(p, 'montant_allocations') ?? null,
    aides: at(p, 'montant_aides') ?? null,
    autres: at(p, 'montant_autres') ?? null,
  };
}

export const paiementsPoleEmploiV2: V2Route = {
  path: '/api/v2/paiements-pole-emploi',
  operationId: 'api_particulier_v2_pole_emploi_indemnites',
  summary: "Paiements versés à un demandeur d'emploi",
  description: 'Route v2 dépréciée : utilisez /v3/france_travail/indemnites/identifiant. Jeton en `X-Api-Key`.',
  params: identifiant,
  toV3: (params) => ({ endpoint: indemnitesIdentifiant, params: { identifiant: params.identifiant } }),
  toV2: (data) => ({
    identifiant: at(data, 'identifiant') ?? null,
    paiements: Array.isArray(at(data, 'paiements')) ? (at(data, 'paiements') as unknown[]).map(paiement) : [],
  }),
  masking: { pole_emploi_paiements: ['identifiant', 'paiements'] },
  v2Names: { identifiant: 'identifiant' },
  successors: [indemnitesIdentifiant.path],
};
