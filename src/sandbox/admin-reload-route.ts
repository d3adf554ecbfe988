/**
 * `POST /admin/v1/sandbox/reload`: reloads the sandbox cases of a running service, for
 * `api-particulier sandbox reload` (docs/adr/0060-sandbox-reload-and-tooling.md). Same guard as the other local
 * admin routes (`src/gateway/admin-routes.ts`): loopback only and the local admin secret; hidden from
 * the public OpenAPI document. The answer lists problems by file and message, never case content.
 */
import type { FastifyInstance } from 'fastify';
import { isLocalAdmin } from '../gateway/admin-routes.ts';
import type { ReloadSummary, SandboxStore } from './sandbox-store.ts';

export const SANDBOX_RELOAD_PATH = '/admin/v1/sandbox/reload';

/**
 * @example
 * registerSandboxReloadRoute(server, { adminSecret, store });
 */
export function registerSandboxReloadRoute(app: FastifyInstance, deps: { adminSecret: string; store: SandboxStore }): void {
  app.post(SANDBOX_RELOAD_PATH, { schema: { hide: true } }, async (request, reply): Promise<ReloadSummary | { error: string }> => {
    if (!isLocalAdmin(request, deps.adminSecret)) {
      reply.code(401);
      return { error: 'admin API: loopback and the local admin secret are required' };
    }
    const summary = await deps.store.reload();
    if (summary.error !== undefined) reply.code(500);
    return summary;
  });
}
