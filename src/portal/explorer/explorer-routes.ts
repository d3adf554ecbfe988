/**
 * `/developpeurs/explorateur` (issue 7 item 3): pick a route, pick one of its sandbox cases or type the
 * params, choose scopes, run the call against the sandbox and see the request, the response headers
 * and the body, with the fields masking removed. A GET form: it works without JavaScript and a result
 * can be shared as a link (the data is synthetic). In live mode the page only explains and points
 * to the sandbox: the explorer never touches real data (docs/adr/0142-sandbox-explorer.md).
 */
import type { FastifyInstance } from 'fastify';
import type { Mode } from '../../config/config.ts';
import type { ProviderManifest } from '../../core/endpoint.ts';
import type { LoadReport } from '../../sandbox/load-cases.ts';
import { renderPage } from '../render-page.ts';
import { runExplorerCall } from './explorer-call.ts';
import { explorerForm, explorerRoutes, queryOfForm, removedFields } from './explorer-model.ts';
import type { ExplorerTokenSource } from './explorer-tokens.ts';

export interface ExplorerRouteDeps {
  registry: readonly ProviderManifest[];
  sandbox: () => LoadReport;
  mode: Mode;
  /** Absent in live mode. */
  tokens: ExplorerTokenSource | undefined;
}

const TITLE = 'Explorateur du bac à sable — Développeurs — API Particulier';

export function registerExplorerRoutes(app: FastifyInstance, deps: ExplorerRouteDeps): void {
  const routes = explorerRoutes(deps.registry);

  app.get('/developpeurs/explorateur', async (request, reply) => {
    const tokens = deps.tokens;
    if (deps.mode !== 'sandbox' || tokens === undefined) {
      return renderPage(reply, 'explorer/live', { title: TITLE });
    }
    const q = request.query as Record<string, unknown>;
    const route = routes.find((r) => r.endpoint.operationId === q.route);
    const choices = routes.map((r) => ({ operationId: r.endpoint.operationId, path: r.endpoint.path, selected: r === route }));
    if (route === undefined) {
      const unknown = typeof q.route === 'string' && q.route !== '';
      return renderPage(reply, 'explorer/index', { title: TITLE, choices, form: undefined, problems: unknown ? { route: 'Cette route n’existe pas : choisissez-en une dans la liste.' } : {} }, unknown ? 400 : 200);
    }
    const caseIndex = typeof q.cas === 'string' && /^\d{1,3}$/.test(q.cas) ? Number(q.cas) : undefined;
    const run = q.executer === '1';
    const form = explorerForm(route, deps.sandbox(), run ? q : undefined, caseIndex);
    if (!run) return renderPage(reply, 'explorer/index', { title: TITLE, choices, form, problems: {} });

    const checked = queryOfForm(form);
    if ('problems' in checked) {
      return renderPage(reply, 'explorer/index', { title: `Erreur de saisie — ${TITLE}`, choices, form, problems: checked.problems }, 400);
    }
    const scopes = form.scopes.filter((s) => s.checked).map((s) => s.name);
    const franceConnect = route.endpoint.modality === 'france_connect';
    const bearer = franceConnect ? form.franceConnectToken : await tokens.tokenFor(scopes);
    const result = await runExplorerCall(app, route, { query: checked.query, bearer, franceConnect, scopes });
    return renderPage(reply, 'explorer/index', {
      title: `Résultat (HTTP ${result.status}) — ${TITLE}`,
      choices,
      form,
      problems: {},
      result,
      removed: removedFields(route.endpoint, scopes),
    });
  });
}
