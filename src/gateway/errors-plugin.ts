/**
 * Every answer that is not a data route's own goes out in the contract's envelope too: unknown
 * routes, malformed requests that fastify rejects before our code, and unexpected failures — which
 * become a 500 without a stack trace, logged with the request id.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, itemOf } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(ApiError.of(gatewayErrors.notFound).body());
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.body());
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // A client's mistake fastify caught first (bad encoding, body too large…): say so, plainly.
      return reply.code(status).send({
        errors: [{ code: '00400', title: 'Requête invalide', detail: 'La requête est mal formée et ne peut pas être traitée', source: null, meta: {} }],
      });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ errors: [itemOf(gatewayErrors.internal, { meta: { request_id: String(request.id) } })] });
  });
}
