/**
 * Errors of the DSNJ routes (CONTRACT §1.3 routes 23–24, §4.3 prefix 39), worded as the official
 * OpenAPI examples. The staging payloads' other uses of 39001/39002/39004/39005 are not reproduced:
 * docs/adr/0030-dsnj-error-codes.md.
 */
import { defineError } from '../../core/errors.ts';

export const dsnjErrors = {
  /** 422 when `sexeEtatCivil` is absent (or unusable): the official DSNJ example, conformance check 10. */
  missingSex: defineError({
    code: '00427',
    status: 422,
    title: 'Entité non traitable',
    detail: "Le sexe de l'état civil est manquant",
    missingParamDetail: true,
  }),
  notFound: defineError({
    code: '39003',
    status: 404,
    title: 'Entité non trouvée',
    detail:
      "Le ou les paramètre(s) d'entrée n'existent pas, ne sont pas connus, ou ne comportent aucune information pour cet appel. Veuillez vérifier que votre recherche est couverte par le périmètre de l'API.",
  }),
  unavailable: defineError({
    code: '39001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '39002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '39004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  unknown: defineError({
    code: '39999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;
