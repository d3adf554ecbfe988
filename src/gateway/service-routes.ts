/**
 * Service routes: `/api/introspect` (the contract's 403 message sends callers there), `/api/ping`
 * and `/healthz` for readiness.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { endpointScopes, type EndpointDefinition } from '../core/endpoint.ts';
import { ApiError } from '../core/errors.ts';
import { bearerOf } from './authenticate.ts';
import type { TokenVerifier } from '../tokens/token-verifier.ts';
import { errorBodySchema } from './route-schemas.ts';
import { V2_ACCESS_DENIED } from '../v2/v2-errors.ts';

export interface ServiceRouteDeps {
  verifier: TokenVerifier;
  endpoints: readonly EndpointDefinition[];
  ready: () => Promise<boolean>;
  /** For a token issued by a habilitation: its id and whether it is due for renewal (issue 5 §8). */
  habilitationOf?: (jti: string, expiresAt: Date) => Promise<{ habilitation_id: string; to_renew: boolean } | undefined>;
  /** `RATE_LIMIT_PER_SECOND`: the limit of a token without its own (docs/adr/0117-habilitation-rate-limit.md). */
  defaultRateLimitPerSecond?: number;
}

const introspection = Type.Object({
  _id: Type.String({ description: 'Identifiant du jeton (`jti`)' }),
  name: Type.String({ description: 'Nom du jeton' }),
  scopes: Type.Array(Type.String(), { description: 'Scopes du jeton' }),
  modalities: Type.Array(Type.String(), { description: "Modalités d'appel autorisées" }),
  expires_at: Type.String({ format: 'date-time' }),
  routes: Type.Array(Type.String(), { description: 'Routes que ce jeton peut appeler' }),
  habilitation_id: Type.Optional(Type.String({ description: 'Habilitation qui a délivré ce jeton (absent pour un jeton émis hors habilitation)' })),
  to_renew: Type.Optional(Type.Boolean({ description: 'Jeton à renouveler : il expire bientôt et n’a pas encore été remplacé' })),
  rate_limit_per_second: Type.Optional(
    Type.Integer({ description: 'Appels par seconde permis à ce jeton : celui fixé par son habilitation, ou le débit par défaut (absent pour un jeton émis hors habilitation sans débit propre)' }),
  ),
});

export function registerServiceRoutes(app: FastifyInstance, deps: ServiceRouteDeps): void {
  app.get(
    '/api/introspect',
    {
      schema: {
        summary: 'Lister les privilèges du jeton',
        description:
          'Renvoie l’identifiant, les scopes, les modalités d’appel, l’expiration du jeton et les routes qu’il peut appeler. Jeton en `Authorization: Bearer` (ou `X-Api-Key`, comme en v2).',
        tags: ['Service'],
        operationId: 'api_particulier_introspect',
        security: [{ jwt_bearer_token: [] }],
        response: { 200: introspection, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const apiKey = request.headers['x-api-key'];
      const bearer = bearerOf(request.headers.authorization) ?? (typeof apiKey === 'string' ? apiKey : undefined);
      try {
        const token = await deps.verifier.verify(bearer);
        const held = new Set(token.scopes);
        const habilitation = await deps.habilitationOf?.(token.jti, token.expiresAt);
        // Shown where the token's limit is a habilitation's business or its own; the contract's shape stays as it was otherwise.
        const perSecond = token.rateLimitPerSecond ?? (habilitation === undefined ? undefined : deps.defaultRateLimitPerSecond);
        return {
          _id: token.jti,
          name: token.name,
          scopes: token.scopes,
          modalities: token.modalities,
          expires_at: token.expiresAt.toISOString(),
          routes: deps.endpoints
            .filter((e) => token.modalities.includes(e.modality) && endpointScopes(e).some((s) => held.has(s)))
            .map((e) => e.path),
          ...habilitation,
          ...(perSecond === undefined ? {} : { rate_limit_per_second: perSecond }),
        };
      } catch (error) {
        if (error instanceof ApiError) {
          // A v2 client (X-Api-Key, no Bearer) gets the v2 401 body it knows (CONTRACT §2, issue 8).
          if (bearerOf(request.headers.authorization) === undefined && typeof apiKey === 'string') return reply.code(401).send(V2_ACCESS_DENIED.body);
          void reply.header('www-authenticate', 'Bearer realm="api-particulier", error="invalid_token"');
          return reply.code(error.status as 401).send(error.body()); // 401 is the only ApiError verify() throws
        }
        throw error;
      }
    },
  );

  app.get(
    '/api/ping',
    { schema: { summary: 'Ping', tags: ['Service'], operationId: 'api_particulier_ping', response: { 200: Type.Literal('pong') } } },
    // The contract's answer is the JSON string "pong"; fastify would send a bare string as text.
    (_request, reply) => reply.type('application/json; charset=utf-8').send('"pong"'),
  );

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Disponibilité',
        description: '200 quand le service est prêt à répondre (base de données joignable), 503 sinon.',
        tags: ['Service'],
        operationId: 'healthz',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: Type.Object({ status: Type.Literal('unavailable') }) },
      },
    },
    async (_request, reply) => ((await deps.ready()) ? { status: 'ok' as const } : reply.code(503).send({ status: 'unavailable' as const })),
  );
}
