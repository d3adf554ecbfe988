/**
 * pino options (DESIGN §2.5): secrets and personal data never reach logs. Query strings carry civil
 * status, so requests are logged by path only; credentials are redacted wherever they appear.
 */
import type { FastifyRequest } from 'fastify';
import type { LogLevel } from '../config/config.ts';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'authorization',
  'token',
  'secret',
  '*.token',
  '*.secret',
  // The citizen's FranceConnect access token, as the pipeline carries it to drivers (Caller,
  // ProviderCall) and as the DSS "API des prestations" receives it (docs/adr/0085-franceconnect-token-to-drivers.md).
  'accessToken',
  '*.accessToken',
  'franceConnect.accessToken',
  '*.franceConnect.accessToken',
  'franceConnectAccessToken',
  '*.franceConnectAccessToken',
  'req.headers["x-franceconnect-token"]',
  'headers["x-franceconnect-token"]',
  '*.headers["x-franceconnect-token"]',
];

export function loggerOptions(level: LogLevel): Record<string, unknown> {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: FastifyRequest) => ({
        id: request.id,
        method: request.method,
        url: request.url.split('?')[0],
        ip: request.ip,
      }),
    },
  };
}
