/**
 * « Formulaire de transfert d’informations sécurisé » (issue 7 item 4): anyone may send sensitive
 * information to the operators; it is sealed at once (AES-256-GCM), readable only by operators
 * (roles `admin` and `instructor`) in the inbox `/transfert-securise/boite`, and purged after the
 * retention. Bad input → messages beside the fields and nothing saved; a per-IP limit slows scripts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../render-page.ts';
import type { PortalUser } from '../users/portal-users.ts';
import { checkText, isEmail, textField, type Problems } from './field-checks.ts';
import type { SecureMessage, SecureTransfers } from './secure-transfers.ts';
import { SubmissionLimiter } from './submission-limiter.ts';

const TITLE = 'Transfert d’informations sécurisé — API Particulier';
const OPERATOR_ROLES = new Set(['admin', 'instructor']);

export interface SecureTransferRouteDeps {
  transfers: SecureTransfers;
  now: () => Date;
}

/** The signed-in operator, or the answer to send instead (sign-in redirect, or 403 page). */
function operatorOf(request: FastifyRequest, reply: FastifyReply): PortalUser | FastifyReply | Promise<FastifyReply> {
  const user = request.portalSession?.user;
  if (user === undefined) return reply.redirect(`/connexion?retour=${encodeURIComponent(request.url.split('?')[0] ?? '/')}`, 303);
  if (!user.roles.some((r) => OPERATOR_ROLES.has(r))) {
    return renderPage(reply, 'error', { title: 'Accès refusé — API Particulier', heading: 'Accès réservé aux opérateurs', message: 'Cette boîte de réception est réservée aux instructeurs et administrateurs d’API Particulier.' }, 403);
  }
  return user;
}

export function registerSecureTransferRoutes(app: FastifyInstance, deps: SecureTransferRouteDeps): void {
  const limiter = new SubmissionLimiter({ max: 5, windowMs: 10 * 60_000, now: () => deps.now().getTime() });
  const formPage = (reply: FastifyReply, values: Partial<SecureMessage>, problems: Problems, status = 200, sent?: string) =>
    renderPage(reply, 'forms/secure-transfer', { title: Object.keys(problems).length > 0 ? `Erreur de saisie — ${TITLE}` : TITLE, values, problems, retentionDays: deps.transfers.retentionDays, sent }, status);

  app.get('/transfert-securise', (request, reply) => {
    const ref = (request.query as Record<string, unknown>).envoye;
    return formPage(reply, {}, {}, 200, typeof ref === 'string' && /^TS-[A-Z0-9]{8}$/.test(ref) ? ref : undefined);
  });

  app.post('/transfert-securise', async (request, reply) => {
    const body = request.body;
    const values: SecureMessage = {
      name: textField(body, 'name'),
      email: textField(body, 'email'),
      organisation: textField(body, 'organisation'),
      subject: textField(body, 'subject'),
      message: textField(body, 'message'),
    };
    const problems: Problems = {};
    checkText(problems, 'name', values.name, { required: true, max: 200, label: 'votre nom' });
    if (!isEmail(values.email)) problems.email = 'Renseignez une adresse électronique valide, par exemple nom@domaine.fr.';
    checkText(problems, 'organisation', values.organisation, { required: false, max: 200, label: 'l’organisation' });
    checkText(problems, 'subject', values.subject, { required: true, max: 200, label: 'l’objet' });
    checkText(problems, 'message', values.message, { required: true, max: 10_000, label: 'le message' });
    if (Object.keys(problems).length > 0) return formPage(reply, values, problems, 400);
    if (!limiter.take(request.ip)) {
      return formPage(reply, values, { form: 'Trop d’envois depuis votre connexion : réessayez dans une dizaine de minutes.' }, 429);
    }
    const reference = await deps.transfers.submit(values);
    return reply.redirect(`/transfert-securise?envoye=${reference}`, 303);
  });

  app.get('/transfert-securise/boite', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!('sub' in operator)) return operator;
    const entries = await deps.transfers.list();
    return renderPage(reply, 'forms/inbox', { title: 'Boîte de réception sécurisée — API Particulier', entries });
  });

  app.get('/transfert-securise/boite/:id', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!('sub' in operator)) return operator;
    const entry = await deps.transfers.read((request.params as { id: string }).id, operator.sub);
    if (entry === undefined) return renderPage(reply, 'error', { title: 'Message introuvable — API Particulier', heading: 'Message introuvable', message: 'Ce message n’existe pas ou a été purgé.' }, 404);
    return renderPage(reply, 'forms/inbox-message', { title: `Message ${entry.reference} — API Particulier`, entry });
  });

  app.post('/transfert-securise/boite/:id/supprimer', async (request, reply) => {
    const operator = operatorOf(request, reply);
    if (!('sub' in operator)) return operator;
    await deps.transfers.delete((request.params as { id: string }).id);
    return reply.redirect('/transfert-securise/boite', 303);
  });
}
