/**
 * Errors of the Cnous routes (CONTRACT §4.3, provider prefix 26), worded as the official OpenAPI
 * examples. The 404 detail differs per modality in the official file; each variant keeps its wording.
 */
import { defineError } from '../../core/errors.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';

const NOT_FOUND_TITLE = 'Entité non trouvée';

export const cnousErrors = {
  notFound: defineError({
    code: '26003',
    status: 404,
    title: NOT_FOUND_TITLE,
    detail: "Aucun étudiant boursier n'a pu être trouvé avec les critères de recherche fournis.",
  }),
  notFoundFranceConnect: defineError({
    code: '26003',
    status: 404,
    title: NOT_FOUND_TITLE,
    detail: "Aucun étudiant boursier n'a pu être trouvé.",
  }),
  notFoundIne: defineError({
    code: '26003',
    status: 404,
    title: NOT_FOUND_TITLE,
    detail:
      "Aucun étudiant boursier n'a pu être trouvé avec les critères de recherche fournis. Veuillez vérifier que l'identifiant correspond au périmètre couvert par l'API.",
  }),
  unavailable: defineError({
    code: '26001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '26002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '26004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  unknown: defineError({
    code: '26999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;

/** The INE format error is the gateway's (00360, used by every `/ine` route). */
export const invalidIne = gatewayErrors.invalidIne;

/** The upstream failures every Cnous route can meet, in the order of the official examples. */
export const cnousUpstreamErrors = [cnousErrors.unknown, cnousErrors.timeout, cnousErrors.unavailable, cnousErrors.dns] as const;
