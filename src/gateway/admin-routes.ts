/**
 * Local admin API, used by the CLI when a running service holds the embedded database (PGlite
 * accepts one process). Reachable from loopback only, authenticated by the local admin secret of
 * `<dataDir>/secrets.json`, absent from the public OpenAPI document.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenInputError, type CreateTokenInput, type TokenAdmin } from '../tokens/token-admin.ts';
import { bearerOf } from './authenticate.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The local admin guard: the caller is on loopback and presents the admin secret (timing-safe). */
export function isLocalAdmin(request: FastifyRequest, adminSecret: string): boolean {
  const bearer = bearerOf(request.headers.authorization);
  return LOOPBACK.has(request.socket.remoteAddress ?? '') && bearer !== undefined && sameSecret(bearer, adminSecret);
}

function adminError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ error: message });
}

export function registerAdminRoutes(app: FastifyInstance, deps: { adminSecret: string; tokens: TokenAdmin }): void {
  app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!isLocalAdmin(request, deps.adminSecret)) {
          return adminError(reply, 401, 'admin API: loopback and the local admin secret are required');
        }
      });
      scope.setErrorHandler((error, request, reply) => {
        if (error instanceof TokenInputError) return adminError(reply, 422, error.message);
        if ((error as { statusCode?: number }).statusCode === 400) return adminError(reply, 400, 'malformed request');
        request.log.error({ err: error }, 'admin API failure');
        return adminError(reply, 500, 'internal error');
      });
      scope.post('/tokens', { schema: { hide: true } }, async (request) => deps.tokens.create((request.body ?? {}) as CreateTokenInput));
      scope.get('/tokens', { schema: { hide: true } }, async () => deps.tokens.list());
      scope.post('/tokens/:jti/revoke', { schema: { hide: true } }, async (request) => {
        const { jti } = request.params as { jti: string };
        const { at } = (request.body ?? {}) as { at?: string };
        const when = at === undefined ? undefined : new Date(at);
        if (when !== undefined && Number.isNaN(when.getTime())) throw new TokenInputError(`invalid date: ${at}`);
        return deps.tokens.revoke(jti, when);
      });
      done();
    },
    { prefix: '/admin/v1' },
  );
}
