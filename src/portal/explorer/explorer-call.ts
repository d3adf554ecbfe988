/**
 * Runs one explorer call through the real data pipeline (`inject`: authentication, rate limit,
 * validation, scope check, sandbox driver, masking, journal) and describes it for the page: the
 * request with its token masked, the response status, headers and body. FranceConnect routes are
 * called with the cast's fake citizen token, whose scopes the sandbox takes from the demo token: the
 * same masking engine (src/core/mask.ts) then applies the chosen scopes to `data`.
 */
import type { FastifyInstance } from 'fastify';
import { compileMask } from '../../core/mask.ts';
import type { ExplorerRoute } from './explorer-model.ts';

export interface ExplorerResult {
  url: string;
  requestHeaders: Array<[string, string]>;
  status: number;
  responseHeaders: Array<[string, string]>;
  body: string;
  /** FranceConnect: the chosen scopes were applied by the explorer rather than by the token. */
  maskedHere: boolean;
}

/** `eyJhbGciOi…` → `eyJhbGci…(masqué)`: the page never shows a usable token. */
export function maskToken(token: string): string {
  return `${token.slice(0, 8)}…(masqué)`;
}

const SHOWN_HEADERS = /^(content-type|x-request-id|ratelimit.*|retry-after|x-response-cached|x-cache-expires-in|cache-control|deprecation|sunset|link|www-authenticate)$/i;

export async function runExplorerCall(
  app: FastifyInstance,
  route: ExplorerRoute,
  call: { query: Array<[string, string]>; bearer: string; franceConnect: boolean; scopes: readonly string[] },
): Promise<ExplorerResult> {
  const url = `${route.endpoint.path}?${new URLSearchParams(call.query).toString()}`;
  const headers = { authorization: `Bearer ${call.bearer}`, accept: 'application/json', 'x-request-id': `explorateur-${Date.now().toString(36)}` };
  const res = await app.inject({ method: 'GET', url, headers });
  let parsed: unknown;
  try {
    parsed = res.json();
  } catch {
    parsed = res.body;
  }
  const maskedHere = call.franceConnect && res.statusCode === 200;
  if (maskedHere && typeof parsed === 'object' && parsed !== null && 'data' in parsed) {
    const body = parsed as { data: unknown };
    parsed = { ...body, data: compileMask(route.endpoint.masking, call.scopes)(body.data) };
  }
  return {
    url,
    requestHeaders: [
      ['Authorization', call.franceConnect ? headers.authorization : `Bearer ${maskToken(call.bearer)}`],
      ['Accept', headers.accept],
      ['X-Request-Id', headers['x-request-id']],
    ],
    status: res.statusCode,
    responseHeaders: Object.entries(res.headers)
      .filter(([name]) => SHOWN_HEADERS.test(name))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
    body: typeof parsed === 'string' ? parsed : JSON.stringify(parsed, null, 2),
    maskedHere,
  };
}
