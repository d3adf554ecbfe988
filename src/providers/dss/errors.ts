/**
 * Provider errors of the DSS routes (CONTRACT §4.3), worded as the official OpenAPI examples.
 * CNAV answers for CAF and MSA; C2S rights come from the RNCPS, hence its own 404. The CAF/MSA
 * benefits document three 404 codes (MSA, CNAF, both) and EAJE its own CNAV one: which of them the
 * sandbox answers is docs/adr/0011-dss-not-found-codes.md.
 */
import { defineError } from '../../core/errors.ts';

export const dssErrors = {
  c2sNotFound: defineError({
    code: '40003',
    status: 404,
    title: 'Dossier allocataire absent RNCPS',
    detail: "Le dossier allocataire n'a pas été trouvé auprès du RNCPS.",
  }),
  /** QF, AAH, AEEH, ASF, PA, RSA: the person has no file at the MSA. */
  msaNotFound: defineError({
    code: '10003',
    status: 404,
    title: 'Dossier allocataire absent MSA',
    detail: "Le dossier allocataire n'a pas été trouvé auprès de la MSA.",
  }),
  /** QF, AAH, AEEH, ASF, PA, RSA: the person has no file at the CAF. */
  cnafNotFound: defineError({
    code: '23003',
    status: 404,
    title: 'Dossier allocataire absent CNAF',
    detail: "Le dossier allocataire n'a pas été trouvé auprès de la CNAF.",
  }),
  /** QF, AAH, AEEH, ASF, PA, RSA: neither the CAF nor the MSA knows the person (`meta.provider` "CNAF & MSA"). */
  notReferenced: defineError({
    code: '35003',
    status: 404,
    title: 'Allocataire non référencé',
    detail: "L'allocataire n'est pas référencé auprès des caisses éligibles",
  }),
  /** Same code as {@link notReferenced}: the official file documents both wordings under 35003. */
  unexpected: defineError({
    code: '35003',
    status: 404,
    title: 'Erreur inattendue',
    detail: 'Une erreur inattendue est survenue lors de la collecte des données',
  }),
  /** EAJE `/identite`. */
  eajeNotFound: defineError({
    code: '37003',
    status: 404,
    title: 'Entité non trouvée',
    detail: 'Dossier allocataire inexistant. Le document ne peut être édité.',
  }),
  /** EAJE `/france_connect`: the official example words the same code more briefly. */
  eajeNotFoundFranceConnect: defineError({
    code: '37003',
    status: 404,
    title: 'Entité non trouvée',
    detail: 'Dossier allocataire inexistant.',
  }),
  unavailable: defineError({
    code: '37001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '37002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '37004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  throttled: defineError({
    code: '37008',
    status: 504,
    title: 'Erreur auprès du fournisseur de données : trop de requêtes',
    detail: 'Erreur de fournisseur de donnée : Trop de requêtes effectuées, veuillez réessayer plus tard.',
  }),
  unknown: defineError({
    code: '37999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;

/** The 404s of the CAF/MSA benefits (QF, AAH, AEEH, ASF, PA, RSA), as the official file lists them. */
export const cafMsaNotFoundErrors = [dssErrors.msaNotFound, dssErrors.cnafNotFound, dssErrors.notReferenced, dssErrors.unexpected] as const;

/** The CNAV failures every DSS `/identite` route documents (502, 504 ×4). */
export const cnavFailureErrors = [dssErrors.unknown, dssErrors.timeout, dssErrors.unavailable, dssErrors.dns, dssErrors.throttled] as const;

/** `meta.provider` of each provider prefix (CONTRACT §4.3), for the sandbox cases' error bodies. */
export const providerNameOfCode = (code: string): string =>
  ({ '10': 'MSA', '23': 'CNAF', '35': 'CNAF & MSA', '37': 'CNAV', '40': 'RNCPS' })[code.slice(0, 2)] ?? 'CNAV';
