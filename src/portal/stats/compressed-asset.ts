/**
 * Serves one JavaScript file of the statistics pages, gzipped once at start-up. Chart.js's UMD build
 * weighs 205 KB but 70 KB gzipped: compressed, a statistics page (DSFR 115 KB + Chart.js + its
 * script) stays under the 200 KB of JavaScript a page may download (issue 7). @fastify/static cannot
 * compress on the fly and node_modules holds no `.gz`, hence this small route.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

/**
 * @example
 * serveCompressedScript(app, '/statistiques/js/stats-charts.js', path.join(here, 'assets', 'stats-charts.js'));
 */
export function serveCompressedScript(app: FastifyInstance, url: string, file: string): void {
  const plain = readFileSync(file);
  const gzipped = gzipSync(plain, { level: 9 });
  const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 22)}"`;
  app.get(url, (request, reply) => {
    void reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').header('etag', etag).header('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    const accepts = String(request.headers['accept-encoding'] ?? '');
    if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(gzipped);
    return reply.send(plain);
  });
}
