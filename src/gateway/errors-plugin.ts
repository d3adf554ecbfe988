/**
 * Every answer that is not a data route's own goes out in the contract's envelope too: unknown
 * routes, malformed requests that fastify rejects before our code, and unexpected failures — which
 * become a 500 without a stack trace, logged with the request id.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, itemOf } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';

/** The 400 a malformed request gets, from fastify's own checks or ours. Never echoes the request. */
export const BAD_REQUEST_BODY = {
  errors: [{ code: '00400', title: 'Requête invalide', detail: 'La requête est mal formée et ne peut pas être traitée', source: null, meta: {} }],
};

/**
 * For fastify's `frameworkErrors` option: errors raised before routing (a malformed URL…), which
 * would otherwise answer fastify's own body — echoing the URL — instead of the contract's envelope.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 400).send(BAD_REQUEST_BODY);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(ApiError.of(gatewayErrors.notFound).body());
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.body());
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // A client's mistake fastify caught first (bad encoding, body too large…): say so, plainly.
      return reply.code(status).send(BAD_REQUEST_BODY);
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ errors: [itemOf(gatewayErrors.internal, { meta: { request_id: String(request.id) } })] });
  });
}
