/**
 * `/infolettre`: subscribe (POST → confirmation mail), confirm and unsubscribe. The links of the mails
 * open a page whose button POSTs, so a mail scanner that follows links confirms or unsubscribes nobody.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../render-page.ts';
import { isEmail, textField } from './field-checks.ts';
import type { Newsletter } from './newsletter.ts';
import { SubmissionLimiter } from './submission-limiter.ts';

const TITLE = 'Infolettre — API Particulier';

export interface NewsletterRouteDeps {
  newsletter: Newsletter;
  publicBase: (request: FastifyRequest) => string;
  now: () => Date;
}

export function registerNewsletterRoutes(app: FastifyInstance, deps: NewsletterRouteDeps): void {
  const limiter = new SubmissionLimiter({ max: 10, windowMs: 10 * 60_000, now: () => deps.now().getTime() });
  const page = (reply: FastifyReply, data: Record<string, unknown>, status = 200) => renderPage(reply, 'forms/newsletter', { title: TITLE, email: '', problem: undefined, state: 'form', ...data }, status);
  const query = (request: FastifyRequest): Record<string, unknown> => request.query as Record<string, unknown>;

  app.get('/infolettre', (request, reply) => page(reply, { state: query(request).envoye === '1' ? 'sent' : 'form' }));

  app.post('/infolettre', async (request, reply) => {
    const email = textField(request.body, 'email');
    if (!isEmail(email)) return page(reply, { title: `Erreur de saisie — ${TITLE}`, email, problem: 'Renseignez une adresse électronique valide, par exemple nom@domaine.fr.' }, 400);
    if (!limiter.take(request.ip)) return page(reply, { email, problem: 'Trop de demandes depuis votre connexion : réessayez dans une dizaine de minutes.' }, 429);
    await deps.newsletter.subscribe(email, deps.publicBase(request));
    return reply.redirect('/infolettre?envoye=1', 303);
  });

  app.get('/infolettre/confirmer', (request, reply) => {
    const token = query(request).jeton;
    return page(reply, { state: 'confirm', token: typeof token === 'string' ? token : '' });
  });

  app.post('/infolettre/confirmer', async (request, reply) => {
    const result = await deps.newsletter.confirm(textField(request.body, 'jeton'));
    return result === 'confirmed' ? page(reply, { state: 'confirmed' }) : page(reply, { state: 'invalid' }, 400);
  });

  app.get('/infolettre/desinscription', (request, reply) => {
    const q = query(request);
    return page(reply, { state: 'unsubscribe', email: typeof q.email === 'string' ? q.email : '', token: typeof q.jeton === 'string' ? q.jeton : '' });
  });

  app.post('/infolettre/desinscription', async (request, reply) => {
    const done = await deps.newsletter.unsubscribe(textField(request.body, 'email'), textField(request.body, 'jeton'));
    return done ? page(reply, { state: 'unsubscribed' }) : page(reply, { state: 'invalid' }, 400);
  });
}
