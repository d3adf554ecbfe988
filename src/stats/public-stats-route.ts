/**
 * `GET /stats/v1/public`: the public statistics as JSON (issue 6 §2), aggregates only. The `/stats`
 * page of the portal renders the same figures. Cacheable for a minute: the rollup behind it moves
 * every few minutes at most.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';
import { publicStats, type PublicStats } from './stats-queries.ts';

export const PUBLIC_STATS_PATH = '/stats/v1/public';

/**
 * @example
 * registerPublicStatsRoute(server, { db: database.db, now });
 */
export function registerPublicStatsRoute(app: FastifyInstance, deps: { db: Kysely<Schema>; now: () => Date }): void {
  app.get(PUBLIC_STATS_PATH, { schema: { hide: true } }, async (_request, reply): Promise<PublicStats> => {
    void reply.header('cache-control', 'public, max-age=60');
    return publicStats(deps.db, deps.now());
  });
}
