/**
 * The gateway's own error codes (CONTRACT §4.2), worded as the official OpenAPI words them.
 * Provider codes live in each provider's folder.
 */
import { defineError } from './errors.ts';

const ACCOUNT_URL = 'https://particulier.api.gouv.fr/compte'; // CONTRACT §8.6: the particulier URL

export const gatewayErrors = {
  invalidToken: defineError({
    code: '00101',
    status: 401,
    title: 'Interdit',
    detail: "Votre token n'est pas valide ou n'est pas renseigné",
  }),
  expiredToken: defineError({
    code: '00103',
    status: 401,
    title: 'Jeton expiré',
    detail: 'Votre token est expiré. Vous devez refaire une demande',
  }),
  blacklistedToken: defineError({
    code: '00105',
    status: 401,
    title: 'Jeton sur liste noire',
    detail: `Votre jeton est sur liste noire, celui-ci a certainement été divulgué sur un canal non-sécurisé. Vous pouvez trouver un jeton valide sur votre espace personnel: ${ACCOUNT_URL}`,
  }),
  insufficientPrivileges: defineError({
    code: '00100',
    status: 403,
    title: 'Privilèges insuffisants',
    detail: 'Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur /api/introspect',
  }),
  conflict: defineError({
    code: '00015',
    status: 409,
    title: 'Conflit',
    detail:
      "Une requête associé à votre jeton est déjà en cours de traitement pour ces paramètres. Veuillez attendre la fin du traitement avant d'effectuer une nouvelle requête.",
  }),
  missingRecipient: defineError({
    code: '00203',
    status: 422,
    title: 'Entité non traitable',
    detail: 'Le paramètre recipient est obligatoire',
  }),
  /** Not in the official file, which gives recipient no pattern: see docs/adr/0003-recipient-siret.md. */
  invalidRecipient: defineError({
    code: '00210',
    status: 422,
    title: 'Entité non traitable',
    detail:
      "Le paramètre recipient doit être le numéro SIRET (14 chiffres, clé de Luhn valide) de l'administration destinataire des données",
  }),
  invalidCivility: defineError({
    code: '00366',
    status: 422,
    title: 'Entité non traitable',
    detail: 'Un ou plusieurs paramètres de civilité ne sont pas correctement formatés',
  }),
  /** CONTRACT §1.2 "Other modalities": the official wording, typo included ("formatté"). */
  invalidIne: defineError({
    code: '00360',
    status: 422,
    title: 'Entité non traitable',
    detail: "Le numéro d'INE n'est pas correctement formatté",
  }),
  /** CONTRACT §4.2: SDH (v3) and France Travail (v2) answer it for a missing `identifiant`. */
  missingIdentifier: defineError({
    code: '00380',
    status: 422,
    title: 'Entité non traitable',
    detail: "L'identifiant est manquant",
    missingParamDetail: true,
  }),
  invalidParameter: defineError({
    code: '00301',
    status: 422,
    title: 'Entité non traitable',
    detail: "Un paramètre n'est pas correctement formaté",
  }),
  tooManyRequests: defineError({
    code: '00429',
    status: 429,
    title: 'Trop de requêtes',
    detail: 'Vous avez effectué trop de requêtes',
  }),
  networkError: defineError({
    code: '00501',
    status: 504,
    title: 'Erreur réseau',
    detail:
      "Problème de connexion au serveur distant. L'erreur peut venir soit du fournisseur, soit de API Particulier. Il s'agit souvent d'une erreur temporaire.",
  }),
  notFound: defineError({
    code: '00404',
    status: 404,
    title: 'Ressource introuvable',
    detail: "Cette adresse ne correspond à aucune route de l'API. La liste des routes est sur /docs",
  }),
  journalUnavailable: defineError({
    code: '00503',
    status: 503,
    title: 'Service temporairement indisponible',
    detail:
      "La traçabilité de l'appel n'a pas pu être assurée : aucune donnée n'a été transmise. Réessayez dans quelques instants.",
  }),
  /** Ours (docs/adr/0008-rate-limits.md): the shared rate limiter is unreachable and configured to fail closed. */
  rateLimiterUnavailable: defineError({
    code: '00504',
    status: 503,
    title: 'Service temporairement indisponible',
    detail: "Le contrôle du débit d'appels est momentanément indisponible : aucune donnée n'a été transmise. Réessayez dans quelques instants.",
  }),
  internal: defineError({
    code: '00500',
    status: 500,
    title: 'Erreur interne',
    detail: "Une erreur interne est survenue. L'équipe technique a été notifiée ; communiquez-lui l'identifiant de requête.",
  }),
} as const;

export type GatewayErrorName = keyof typeof gatewayErrors;
