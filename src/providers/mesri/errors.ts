/**
 * Errors of the MESRI routes (CONTRACT §4.3, provider prefix 25), worded as the official OpenAPI
 * examples; the FranceConnect 404 has its own, shorter detail in the official file.
 */
import { defineError } from '../../core/errors.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';

export const mesriErrors = {
  notFound: defineError({
    code: '25003',
    status: 404,
    title: 'Entité non trouvée',
    detail: "Aucun étudiant n'a pu être trouvé avec les critères de recherche fournis.",
  }),
  notFoundFranceConnect: defineError({
    code: '25003',
    status: 404,
    title: 'Entité non trouvée',
    detail: "Aucun étudiant n'a pu être trouvé.",
  }),
  unavailable: defineError({
    code: '25001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '25002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '25004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  unknown: defineError({
    code: '25999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;

/** The INE format error is the gateway's (00360, used by every `/ine` route). */
export const invalidIne = gatewayErrors.invalidIne;

export const mesriUpstreamErrors = [mesriErrors.unknown, mesriErrors.timeout, mesriErrors.unavailable, mesriErrors.dns] as const;
