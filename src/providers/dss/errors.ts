/**
 * Provider errors of the DSS routes (CONTRACT §4.3), worded as the official OpenAPI examples.
 * CNAV answers for CAF and MSA; C2S rights come from the RNCPS, hence its own 404.
 */
import { defineError } from '../../core/errors.ts';

export const dssErrors = {
  c2sNotFound: defineError({
    code: '40003',
    status: 404,
    title: 'Dossier allocataire absent RNCPS',
    detail: "Le dossier allocataire n'a pas été trouvé auprès du RNCPS.",
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
