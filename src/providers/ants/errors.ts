/**
 * Errors of the ANTS route (CONTRACT §4.3, provider prefix 42), worded as the official OpenAPI example
 * of `/v3/ants/extrait_immatriculation_vehicule/france_connect`. The official file documents no 502 or
 * 504 for this route: only the 404 is declared (docs/adr/0041-ants-extrait-immatriculation.md).
 */
import { defineError } from '../../core/errors.ts';

export const antsErrors = {
  /** No vehicle with this plate, or no holder identity for it (official 404 description). */
  notFound: defineError({
    code: '42003',
    status: 404,
    title: 'Entité non trouvée',
    detail:
      "Le ou les paramètre(s) d'entrée n'existent pas, ne sont pas connus, ou ne comportent aucune information pour cet appel. Veuillez vérifier que votre recherche est couverte par le périmètre de l'API.",
  }),
} as const;
