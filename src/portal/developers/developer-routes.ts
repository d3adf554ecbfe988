/**
 * `/developpeurs` (issue 7 item 2): getting started, copy-paste examples of every route, the error and
 * scope catalogues (generated from the registry) and the repository's guides (FranceConnect, v2 → v3
 * migration, sandbox) rendered as DSFR pages. The interactive OpenAPI reference stays at `/docs`
 * (src/gateway/openapi.ts) and the explorer at `/developpeurs/explorateur` (src/portal/explorer/).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProviderManifest } from '../../core/endpoint.ts';
import type { LoadReport } from '../../sandbox/load-cases.ts';
import { renderPage } from '../render-page.ts';
import { buildCodeExamples, TOKEN_VARIABLE, type CodeExample } from './code-examples.ts';
import { markdownToHtml } from './markdown.ts';
import { referenceOperations, type OpenApiDocument, type ReferenceOperation } from './openapi-reference.ts';
import { errorCatalogue, scopeCatalogue } from './reference-catalogues.ts';

export interface DeveloperRouteDeps {
  registry: readonly ProviderManifest[];
  sandbox: () => LoadReport;
  /** The public base URL the examples call (PUBLIC_URL, else the request's host). */
  publicBase: (request: FastifyRequest) => string;
}

const DOCS_DIR = fileURLToPath(new URL('../../../docs/', import.meta.url));

/** Guides of the repository published on the portal: slug → file, title, language. */
export const GUIDES: ReadonlyArray<{ slug: string; file: string; title: string; lang: 'fr' | 'en'; summary: string }> = [
  { slug: 'franceconnect', file: 'guides/franceconnect.md', title: 'Intégrer FranceConnect', lang: 'en', summary: 'Appeler une route /france_connect avec le jeton du particulier, et ce qui peut mal se passer.' },
  { slug: 'migration-v2-v3', file: 'guides/migrate-v2-to-v3.md', title: 'Migrer de la v2 vers la v3', lang: 'fr', summary: 'Route par route, ce qui change entre la v2 et la v3 : en-têtes, chemins, corps, erreurs.' },
  { slug: 'bac-a-sable', file: 'guides/sandbox.md', title: 'Le bac à sable', lang: 'en', summary: 'Comment le bac à sable répond, et comment y ajouter vos propres cas de test.' },
  { slug: 'personnages-du-bac-a-sable', file: 'guides/sandbox-cast.md', title: 'Les personnes fictives du bac à sable', lang: 'en', summary: 'Les familles synthétiques, leurs jetons FranceConnect et les déclencheurs d’erreurs.' },
  { slug: 'cas-du-bac-a-sable', file: 'reference/sandbox-cases.md', title: 'Index des cas du bac à sable', lang: 'en', summary: 'Chaque cas de test, par route : paramètres et statut de réponse.' },
];

/** Repository links inside a guide → the portal page that shows the same document, else the repository. */
function rewriteGuideLink(href: string): string {
  if (/^(https?:|mailto:|#|\/)/.test(href)) return href;
  const [file = '', anchor] = href.split('#');
  const guide = GUIDES.find((g) => path.posix.basename(g.file) === path.posix.basename(file));
  if (guide !== undefined) return `/developpeurs/guides/${guide.slug}${anchor ? `#${anchor}` : ''}`;
  // Other repository files (ADRs, source): their page on the forge.
  return `https://github.com/etalab/api-particulier/blob/main/${path.posix.normalize(`docs/guides/${file}`)}`;
}

export function registerDeveloperRoutes(app: FastifyInstance, deps: DeveloperRouteDeps): void {
  const examplesFor = (request: FastifyRequest): CodeExample[] => buildCodeExamples(deps.registry, deps.sandbox(), deps.publicBase(request));
  const errors = errorCatalogue(deps.registry);
  const scopes = scopeCatalogue(deps.registry);
  const guideHtml = new Map<string, string>();

  app.get('/developpeurs', (request, reply) =>
    renderPage(reply, 'developers/index', {
      title: 'Développeurs — API Particulier',
      description: 'Démarrer avec API Particulier : jeton, premier appel, erreurs, limites, exemples, guides.',
      baseUrl: deps.publicBase(request),
      example: examplesFor(request).find((e) => e.franceConnectToken === undefined && !e.deprecated),
      tokenVariable: TOKEN_VARIABLE,
      guides: GUIDES,
      sandbox: true,
    }),
  );

  app.get('/developpeurs/exemples', (request, reply) => {
    const examples = examplesFor(request);
    const byProvider = deps.registry.map((p) => ({ id: p.id, name: p.name, examples: examples.filter((e) => e.providerId === p.id) }));
    return renderPage(reply, 'developers/examples', { title: 'Exemples d’appel de chaque route — API Particulier', byProvider, count: examples.length });
  });

  app.get('/developpeurs/exemples/:operationId', (request, reply) => {
    const { operationId } = request.params as { operationId: string };
    const example = examplesFor(request).find((e) => e.operationId === operationId);
    if (example === undefined) {
      return renderPage(reply, 'error', { title: 'Page introuvable — API Particulier', heading: 'Page introuvable', message: 'Aucune route ne porte cet identifiant.' }, 404);
    }
    return renderPage(reply, 'developers/example', { title: `Exemple : ${example.path} — API Particulier`, example, tokenVariable: TOKEN_VARIABLE });
  });

  // Built from the served document on first use: every route plugin has registered by then.
  let reference: ReferenceOperation[] | undefined;
  const operations = (): ReferenceOperation[] => (reference ??= referenceOperations(app.swagger() as unknown as OpenApiDocument));
  const examplesIds = new Set(deps.registry.flatMap((p) => p.endpoints.map((e) => e.operationId)));

  app.get('/developpeurs/reference', (_request, reply) => {
    const tags = new Map<string, ReferenceOperation[]>();
    for (const op of operations()) tags.set(op.tag, [...(tags.get(op.tag) ?? []), op]);
    return renderPage(reply, 'developers/reference', { title: 'Référence de l’API (OpenAPI) — API Particulier', tags: [...tags.entries()], count: operations().length });
  });

  app.get('/developpeurs/reference/:key', (request, reply) => {
    const { key } = request.params as { key: string };
    const op = operations().find((o) => o.key === key);
    if (op === undefined) {
      return renderPage(reply, 'error', { title: 'Page introuvable — API Particulier', heading: 'Page introuvable', message: 'Aucune opération ne porte cet identifiant.' }, 404);
    }
    return renderPage(reply, 'developers/operation', { title: `${op.method} ${op.path} — Référence — API Particulier`, op, runnable: examplesIds.has(op.key) });
  });

  app.get('/developpeurs/erreurs', (_request, reply) =>
    renderPage(reply, 'developers/errors', { title: 'Catalogue des codes d’erreur — API Particulier', errors }),
  );

  app.get('/developpeurs/scopes', (_request, reply) =>
    renderPage(reply, 'developers/scopes', { title: 'Catalogue des scopes — API Particulier', scopes }),
  );

  app.get('/developpeurs/guides/:slug', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const guide = GUIDES.find((g) => g.slug === slug);
    if (guide === undefined) {
      return renderPage(reply, 'error', { title: 'Page introuvable — API Particulier', heading: 'Page introuvable', message: 'Ce guide n’existe pas.' }, 404);
    }
    let html = guideHtml.get(slug);
    if (html === undefined) {
      const source = await readFile(path.join(DOCS_DIR, guide.file), 'utf8');
      // The guide's own `# title` is replaced by the page's h1.
      html = markdownToHtml(source.replace(/^#\s+.*\n/, ''), { rewriteLink: rewriteGuideLink });
      guideHtml.set(slug, html);
    }
    return renderPage(reply, 'developers/guide', { title: `${guide.title} — Développeurs — API Particulier`, guide, html });
  });
}
