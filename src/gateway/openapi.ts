/**
 * The OpenAPI 3.1 document is generated from the route schemas — never written by hand (issue 2,
 * STYLE §2) — and served where the official hosts serve theirs: JSON at `/v3/openapi.json`, YAML at
 * `/api/open-api-v3.yml`, interactive reference at `/docs`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from './route-schemas.ts';

export const OPENAPI_INFO = {
  title: 'API Particulier',
  version: '3.0.0',
  description: [
    'API Particulier transmet aux administrations, avec l’accord de la loi et dans la limite du strict nécessaire (art. L114-8 CRPA), des données administratives certifiées sur un particulier : quotient familial, complémentaire santé solidaire, statut étudiant…',
    '',
    '**Authentification** : `Authorization: Bearer <jeton>`. Sur les routes `/france_connect`, le jeton FranceConnect du particulier remplace le jeton API Particulier.',
    '',
    '**Minimisation** : les scopes du jeton agissent comme des masques ; un champ non couvert est absent de la réponse.',
    '',
    '**Traçabilité** : `recipient` (SIRET du destinataire) est obligatoire ; chaque appel est inscrit au journal des accès avant la réponse. Envoyez `X-Request-Id` pour suivre un appel ; il est renvoyé sur chaque réponse.',
  ].join('\n'),
  license: { name: 'GNU Affero General Public License v3.0 or later', identifier: 'AGPL-3.0-or-later' },
};

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [{ url: '/', description: 'Cette instance' }],
      components: {
        securitySchemes: {
          jwt_bearer_token: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'Jeton API Particulier (JWT, valable 18 mois) ; sur les routes FranceConnect, jeton d’accès FranceConnect du particulier.',
          },
        },
        schemas: { Error: errorBodySchema },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.get('/v3/openapi.json', { schema: { hide: true } }, () => app.swagger());
  app.get('/api/open-api-v3.yml', { schema: { hide: true } }, (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true })),
  );
}
