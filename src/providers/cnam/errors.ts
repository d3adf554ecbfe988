/**
 * Provider errors of the CNAM "droits à l'Assurance Maladie" route (CONTRACT §4.3 pattern `PP` + `SSS`).
 * The official files have no CNAM route, hence no CNAM prefix: `43` is the first one CONTRACT §4.3 does
 * not use (docs/adr/0050-cnam-droits-assurance-maladie.md). `meta.provider` is `CNAM`.
 *
 * The 404 has two documented variants under the same code `43003` (the registry only admits the
 * suffixes 001/002/003/004/008/999): the person is unknown, or the person is affiliated to a régime
 * whose rights are not held in the régime général's information systems (MSA, MGEN…). They differ by
 * `title` and `detail`, which are stable and documented in CONTRACT.md beside this file.
 */
import { defineError } from '../../core/errors.ts';

/** Value of `meta.provider` in every CNAM error. */
export const CNAM_PROVIDER = 'CNAM';

export const cnamErrors = {
  notFound: defineError({
    code: '43003',
    status: 404,
    title: 'Assuré non trouvé',
    detail:
      "Aucun assuré de l'Assurance Maladie ne correspond à l'identité FranceConnect de la personne connectée.",
  }),
  otherRegime: defineError({
    code: '43003',
    status: 404,
    title: 'Assuré hors régime général',
    detail:
      "La personne connectée est affiliée à un régime d'assurance maladie dont les droits ne sont pas gérés dans les systèmes d'information du régime général (MSA, MGEN…) : cette API ne peut pas restituer ses droits. Orientez-la vers sa caisse d'affiliation.",
  }),
  unavailable: defineError({
    code: '43001',
    status: 504,
    title: 'Service non disponible',
    detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.',
  }),
  timeout: defineError({
    code: '43002',
    status: 504,
    title: 'Intermédiaire hors-délai',
    detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.',
  }),
  dns: defineError({
    code: '43004',
    status: 504,
    title: 'Erreur de résolution DNS',
    detail: "Problème de résolution DNS de l'adresse du serveur",
  }),
  throttled: defineError({
    code: '43008',
    status: 504,
    title: 'Erreur auprès du fournisseur de données : trop de requêtes',
    detail: 'Erreur de fournisseur de donnée : Trop de requêtes effectuées, veuillez réessayer plus tard.',
  }),
  unknown: defineError({
    code: '43999',
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  }),
} as const;
