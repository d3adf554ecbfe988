/**
 * `/faq` and `/cgu` (issue 7 item 4): pages rendered from faq-content.ts. Answers may carry portal
 * links written `[texte](/chemin)`: they are rendered by the developers' escaping Markdown renderer.
 */
import type { FastifyInstance } from 'fastify';
import { markdownToHtml } from '../developers/markdown.ts';
import { renderPage } from '../render-page.ts';
import { CGU, FAQ } from './faq-content.ts';

/** An answer paragraph → escaped HTML with its links and code marks. */
function paragraphHtml(text: string): string {
  return markdownToHtml(text).replace(/^<p>|<\/p>$/g, '');
}

export function registerFaqRoutes(app: FastifyInstance): void {
  const themes = FAQ.map((t) => ({ ...t, questions: t.questions.map((q) => ({ ...q, html: q.answer.map(paragraphHtml) })) }));
  app.get('/faq', (_request, reply) =>
    renderPage(reply, 'faq/faq', { title: 'Questions fréquentes — API Particulier', description: 'Éligibilité, jetons, limites d’appel, pannes, données, bac à sable : les réponses aux questions fréquentes.', themes }),
  );
  app.get('/cgu', (_request, reply) => renderPage(reply, 'faq/cgu', { title: 'Conditions générales d’utilisation — API Particulier', sections: CGU }));
}
