/**
 * Errors of the France Travail routes (CONTRACT §1.3 routes 25–26, §4.3 prefix 24), worded as the
 * official OpenAPI examples.
 */
import { defineError } from '../../core/errors.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';

export const franceTravailErrors = {
  /** 422 for a missing `identifiant`: the gateway's 00380 (docs/adr/0032-identifiant-routes.md). */
  missingIdentifier: gatewayErrors.missingIdentifier,
  notFound: defineError({
    code: '24003',
    status: 404,
    title: 'Entité non trouvée',
    detail: "Aucune situation France Travail n'a pu être trouvée avec les critères de recherche fournis.",
  }),
  unavailable: defineError({
    code: '24001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '24002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '24004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  unknown: defineError({
    code: '24999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;

export const franceTravailProviderErrors = [
  franceTravailErrors.notFound,
  franceTravailErrors.unknown,
  franceTravailErrors.timeout,
  franceTravailErrors.unavailable,
  franceTravailErrors.dns,
] as const;
