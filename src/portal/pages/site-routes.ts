/**
 * The portal's general pages: home, account, and the legal pages every DSFR footer links to.
 */
import type { FastifyInstance } from 'fastify';
import { renderPage } from '../render-page.ts';

/** Footer pages required by the DSFR (accessibility, legal notice, personal data). */
const LEGAL_PAGES: Record<string, { title: string; paragraphs: string[] }> = {
  '/accessibilite': {
    title: 'Accessibilité : non conforme',
    paragraphs: [
      'Ce site n’a pas encore fait l’objet d’un audit de conformité au référentiel général d’amélioration de l’accessibilité (RGAA). Il est donc non conforme au sens de la réglementation.',
      'Il est construit avec le système de design de l’État (DSFR), ses pages fonctionnent sans JavaScript et sont vérifiées automatiquement (axe) à chaque modification.',
      'Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez-nous à api-particulier@api.gouv.fr : nous vous répondrons et vous proposerons une alternative.',
    ],
  },
  '/mentions-legales': {
    title: 'Mentions légales',
    paragraphs: [
      'Ce site est édité par la direction interministérielle du numérique (DINUM) pour le service API Particulier.',
      'Son code source est libre (licence AGPL-3.0 ou ultérieure).',
    ],
  },
  '/donnees-personnelles': {
    title: 'Données personnelles et cookies',
    paragraphs: [
      'Ce site ne dépose aucun cookie de mesure d’audience. Deux cookies techniques, nécessaires au service, sont utilisés : la session de connexion des agents (apip_session) et la protection des formulaires (_csrf).',
      'Les agents connectés sont identifiés par leur compte ProConnect : nom, prénom, adresse électronique et SIRET de leur organisation sont conservés pour instruire leurs demandes.',
    ],
  },
};

export function registerSiteRoutes(app: FastifyInstance): void {
  app.get('/', (_request, reply) =>
    renderPage(reply, 'home', {
      title: 'API Particulier — les données des particuliers pour les administrations',
      description: 'API Particulier permet aux administrations d’obtenir directement des données certifiées sur les particuliers, sans pièce justificative.',
    }),
  );

  app.get('/compte', (request, reply) => {
    const user = request.portalSession?.user;
    if (user === undefined) return reply.redirect('/connexion?retour=%2Fcompte', 303);
    return renderPage(reply, 'account', { title: 'Mon compte — API Particulier', user });
  });

  for (const [path, page] of Object.entries(LEGAL_PAGES)) {
    app.get(path, (_request, reply) => renderPage(reply, 'legal', { title: `${page.title} — API Particulier`, heading: page.title, paragraphs: page.paragraphs }));
  }
}
