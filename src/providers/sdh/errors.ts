/**
 * Errors of the SDH route (CONTRACT §1.3 route 34, §4.3 prefix 41), worded as the official OpenAPI
 * examples.
 */
import { defineError } from '../../core/errors.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';

export const sdhErrors = {
  /** 422 for a missing `identifiant`: the gateway's 00380 (docs/adr/0032-identifiant-routes.md). */
  missingIdentifier: gatewayErrors.missingIdentifier,
  notFound: defineError({
    code: '41003',
    status: 404,
    title: 'Entité non trouvée',
    detail:
      "Le ou les paramètre(s) d'entrée n'existent pas, ne sont pas connus, ou ne comportent aucune information pour cet appel. Veuillez vérifier que votre recherche est couverte par le périmètre de l'API.",
  }),
  unavailable: defineError({
    code: '41001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '41002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '41004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  unknown: defineError({
    code: '41999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;
