/**
 * `GET /metrics` for Prometheus (docs/adr/0009-metrics.md). With `METRICS_TOKEN` set, a scraper
 * sends it as a bearer token; without it, only a direct loopback connection (no proxy header) is
 * answered, so a reverse proxy on the same host never exposes the metrics to the internet.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function allowed(request: FastifyRequest, token: string | undefined): boolean {
  if (token !== undefined) {
    const header = request.headers.authorization ?? '';
    return header.startsWith('Bearer ') && sameSecret(header.slice(7), token);
  }
  const direct = request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
  return direct && LOOPBACK.has(request.socket.remoteAddress ?? '');
}

export function registerMetricsRoute(app: FastifyInstance, deps: { metrics: GatewayMetrics; token: string | undefined }): void {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!allowed(request, deps.token)) {
      // As if it did not exist: no hint that metrics are served here.
      reply.code(404);
      return ApiError.of(gatewayErrors.notFound).body();
    }
    reply.header('content-type', deps.metrics.contentType);
    reply.header('cache-control', 'no-store');
    return deps.metrics.render();
  });
}
