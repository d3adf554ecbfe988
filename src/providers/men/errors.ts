/**
 * Errors of the MEN scolarités routes (CONTRACT §4.2, §4.3), worded as the official OpenAPI examples
 * of `/v3/men/scolarites/identite` (provider prefix 30). The official 404 detail is written without
 * accents; it is kept as is, since it is what production answers (docs/adr/0040-men-scolarites.md).
 */
import { defineError } from '../../core/errors.ts';

export const menErrors = {
  /**
   * 422 `00419`: a gateway code (§4.2) that only this route uses, for every problem with the search
   * perimeter — `codeEtablissement` combined with a BCN list (official detail), no perimeter, two BCN
   * lists, or a malformed perimeter value (the answer's detail then says which).
   */
  perimeter: defineError({
    code: '00419',
    status: 422,
    title: 'Entité non traitable',
    detail: 'Les paramètres codeEtablissement et périmètre (codesBcnRegions/codesBcnDepartements) sont mutuellement exclusifs',
  }),
  notFound: defineError({
    code: '30003',
    status: 404,
    title: 'Entité non trouvée',
    detail: "Aucun eleve n'a pu etre trouve avec les criteres de recherche fournis",
  }),
  unavailable: defineError({
    code: '30001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '30002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '30004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  unknown: defineError({
    code: '30999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;
