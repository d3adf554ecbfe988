/**
 * The public status API, versioned (USERS U26: integrations broke when the status endpoint moved):
 * `GET /status/v1/summary` and `GET /status/v1/providers/:id`. No authentication, no personal data,
 * `Cache-Control: max-age=10` so pollers are cheap to serve.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import { providerStatus, statusSummary, type StatusDeps } from './status-report.ts';

export function registerStatusRoutes(app: FastifyInstance, deps: StatusDeps): void {
  app.get('/status/v1/summary', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=10');
    return statusSummary(deps);
  });
  app.get<{ Params: { id: string } }>('/status/v1/providers/:id', { schema: { hide: true } }, async (request, reply) => {
    const detail = await providerStatus(deps, request.params.id);
    if (detail === undefined) {
      reply.code(404);
      return ApiError.of(gatewayErrors.notFound, { detail: 'Aucun fournisseur ne porte cet identifiant. La liste est sur /status/v1/summary' }).body();
    }
    reply.header('cache-control', 'public, max-age=10');
    return detail;
  });
}
