/**
 * Errors of the GIP-MDS routes (CONTRACT §1.3 routes 27–28, §4.3 prefix 31), worded as the official
 * OpenAPI examples.
 */
import { defineError } from '../../core/errors.ts';

export const gipMdsErrors = {
  /**
   * 422 when the identity matches several people (CONTRACT §4.2). Not a malformed param: it is an
   * answer of GIP-MDS, so it comes from the provider (a sandbox case), with `meta: {}` as officially.
   * A gateway-style `00` code the provider's answer maps to, with `meta: {}` as in the official example.
   */
  severalMatches: defineError({
    code: '00391',
    status: 422,
    title: 'Entité non traitable',
    detail:
      "Les paramètres d'identité correspondent à plusieurs personnes. Nous ne pouvons pas fournir les informations de service civique pour cet individu.",
  }),
  notFound: defineError({
    code: '31003',
    status: 404,
    title: 'Entité non trouvée',
    detail:
      "Le ou les paramètre(s) d'entrée n'existent pas, ne sont pas connus, ou ne comportent aucune information pour cet appel. Veuillez vérifier que votre recherche est couverte par le périmètre de l'API.",
  }),
  unavailable: defineError({
    code: '31001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '31002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '31004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  unknown: defineError({
    code: '31999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;
