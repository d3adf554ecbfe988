/**
 * The instructor's back office (issue 5 §5–7): the queue of submitted requests, pending
 * prolongations and vendor referencing requests; a request's page with its content, its history and
 * the decisions (ask for changes with a message, approve, refuse, the CNAM reviewer's agreement,
 * revoke); the prolongation and referencing decisions; the mail outbox of the embedded default.
 * Every route checks the role (403 page otherwise). docs/adr/0162-instruction-back-office.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceActor } from '../../habilitations/habilitation-service.ts';
import { ORGANISATION_KIND_LABELS, productById, type OrganisationKind } from '../../habilitations/products.ts';
import { CONTACT_ROLES, PURPOSES } from '../../habilitations/request-form.ts';
import { listHabilitations } from '../../habilitations/habilitation-repository.ts';
import { RATE_LIMIT_FIELD, parseRateLimitField, rateLimitHint, rateLimitLabel } from '../../habilitations/rate-limit-field.ts';
import { statusLabel, type HabilitationEvent } from '../../habilitations/state-machine.ts';
import { isUuid } from '../../tokens/token-repository.ts';
import { ACTOR_LABELS, eventDetail, eventLabel } from '../habilitations/event-labels.ts';
import { MODE_LABELS, OWN_MEANS_LABELS } from '../habilitations/step-views.ts';
import { forbidden, formOf, frenchDate, isInstructor, notFound, queryValue, staffOf, signedInOrRedirect, type HabilitationPageDeps } from '../habilitations/portal-actors.ts';
import { renderPage } from '../render-page.ts';
import type { PortalUser } from '../users/portal-users.ts';

/** The decisions a form may post, and the event each applies. */
const DECISIONS: Record<string, HabilitationEvent> = {
  demander_modifications: 'request_changes',
  valider: 'approve',
  refuser: 'refuse',
  avis_fournisseur: 'provider_approve',
  revoquer: 'revoke',
};
const NOTICES: Record<string, string> = {
  request_changes: 'Les modifications ont été demandées au demandeur.',
  approve: 'La demande est validée : le jeton a été émis, le demandeur l’affichera une fois.',
  refuse: 'La demande est refusée.',
  provider_approve: 'L’avis favorable du fournisseur est enregistré.',
  revoke: 'L’habilitation est révoquée et ses jetons aussi.',
  prolongation: 'La demande de prolongation est instruite.',
  referencement: 'La demande de référencement est instruite.',
  debit: 'Le débit maximal est modifié : les jetons actifs de l’habilitation l’appliquent dès maintenant.',
};

/** What a form posted back to the request's page with a 422: values typed and messages beside the fields. */
interface Posted {
  message?: string;
  error?: string;
  decision?: string;
  /** The rate limit typed on the approval form, and its message. */
  rateLimit?: string;
  rateLimitError?: string;
  /** The rate limit typed on the change form of an approved habilitation, and its message. */
  change?: string;
  changeError?: string;
}

const typed = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The staff actor, or undefined after answering (sign-in redirect or 403). */
function staffOrAnswer(request: FastifyRequest, reply: FastifyReply, options: { instructorOnly?: boolean } = {}): { user: PortalUser; actor: ServiceActor } | undefined {
  const user = signedInOrRedirect(request, reply);
  if (user === undefined) return undefined;
  const actor = staffOf(user);
  if (actor === undefined || (options.instructorOnly && !isInstructor(actor))) {
    void forbidden(reply);
    return undefined;
  }
  return { user, actor };
}

export function registerInstructionRoutes(app: FastifyInstance, deps: HabilitationPageDeps): void {
  const { service, lifecycle, vendors } = deps.habilitations;

  app.get('/instruction', async (request, reply) => {
    const staff = staffOrAnswer(request, reply);
    if (staff === undefined) return reply;
    const role = staff.actor.role === 'applicant' ? 'instructor' : staff.actor.role;
    const queue = await service.queue(role);
    const instructor = isInstructor(staff.actor);
    const prolongations = instructor ? await lifecycle.pendingProlongations() : [];
    const prolongationRows = [];
    for (const p of prolongations) {
      const h = await service.get(p.habilitationId);
      prolongationRows.push({ ...p, title: h?.snapshot?.title ?? '', organisation: h?.snapshot?.organisationName ?? '', requestedLabel: frenchDate(p.requestedAt, true), prefix: p.tokenJti.slice(0, 8) });
    }
    return renderPage(reply, 'instruction/queue', {
      title: 'Instruction des demandes — API Particulier',
      instructor,
      notice: NOTICES[queryValue(request, 'ok')],
      rows: queue.map((h) => ({
        id: h.id,
        title: h.form.use_case?.title ?? 'Demande sans titre',
        organisation: h.form.organisation?.name ?? '',
        product: productById(h.product)?.label ?? h.product,
        providerReview: productById(h.product)?.providerReview === true,
        providerApproved: h.providerApproved,
        updatedAt: frenchDate(h.updatedAt, true),
      })),
      prolongations: prolongationRows,
      // Validated habilitations, to revoke one (an instructor's decision, with a message).
      validated: instructor ? (await listHabilitations(deps.habilitations.db, { statuses: ['validated'] })).map((h) => ({ id: h.id, title: h.snapshot?.title ?? '', organisation: h.snapshot?.organisationName ?? '' })) : [],
      referencing: instructor ? await vendors.list('submitted') : [],
      published: instructor ? (await vendors.list('published')).map((t) => ({ ...t, link: `${deps.publicBase(request)}/editeurs/formulaire/${t.shareSlug ?? ''}` })) : [],
    });
  });

  const defaultPerSecond = deps.habilitations.rateLimit.defaultPerSecond;

  const detailPage = async (reply: FastifyReply, id: string, actor: ServiceActor, posted?: Posted, notice?: string) => {
    if (!isUuid(id)) return notFound(reply);
    const h = await service.get(id);
    if (h === undefined) return notFound(reply);
    const product = productById(h.product);
    // A provider reviewer sees only the requests of their product waiting for them (and decided ones).
    if (actor.role === 'provider_reviewer' && product?.providerReview !== true) return forbidden(reply);
    const events = await service.events(id);
    const tokens = (await lifecycle.tokens(id, actor)) ?? [];
    return renderPage(
      reply,
      'instruction/habilitation',
      {
        title: `Instruction : ${h.form.use_case?.title ?? 'demande'} — API Particulier`,
        h,
        actor,
        instructor: isInstructor(actor),
        productLabel: product?.label ?? h.product,
        providerReview: product?.providerReview === true,
        kindLabel: ORGANISATION_KIND_LABELS[h.organisationKind as OrganisationKind] ?? h.organisationKind,
        statusLabel: statusLabel(h.status),
        purposes: PURPOSES,
        modeLabels: MODE_LABELS,
        ownMeansLabels: OWN_MEANS_LABELS,
        contactRoles: CONTACT_ROLES,
        // Staff see who acted, not only their role: the back office is where decisions are audited.
        history: events.map((e) => ({
          at: frenchDate(e.at, true),
          label: eventLabel(e.event),
          actor: `${ACTOR_LABELS[e.actorRole] ?? e.actorRole}, ${e.actor}`,
          detail: eventDetail(e, defaultPerSecond),
          message: e.message,
        })),
        tokens: tokens.map((t) => ({ prefix: t.prefix, state: t.state, expiresAt: frenchDate(t.expiresAt), rateLimit: rateLimitLabel(t.rateLimitPerSecond, defaultPerSecond) })),
        rateLimit: {
          label: rateLimitLabel(h.rateLimitPerSecond, defaultPerSecond),
          hint: rateLimitHint(defaultPerSecond),
          value: h.rateLimitPerSecond === null ? '' : String(h.rateLimitPerSecond),
        },
        notice,
        posted: { message: '', error: '', decision: '', rateLimit: '', rateLimitError: '', changeError: '', ...posted },
      },
      posted === undefined ? 200 : 422,
    );
  };

  app.get<{ Params: { id: string } }>('/instruction/habilitations/:id', async (request, reply) => {
    const staff = staffOrAnswer(request, reply);
    if (staff === undefined) return reply;
    return detailPage(reply, request.params.id, staff.actor, undefined, NOTICES[queryValue(request, 'ok')]);
  });

  app.post<{ Params: { id: string } }>('/instruction/habilitations/:id/decision', async (request, reply) => {
    const staff = staffOrAnswer(request, reply);
    if (staff === undefined) return reply;
    const form = formOf(request);
    const decision = String(form.decision ?? '');
    const message = String(form.message ?? '').trim();
    const rateLimit = typed(form[RATE_LIMIT_FIELD]);
    const event = DECISIONS[decision];
    if (event === undefined) return detailPage(reply, request.params.id, staff.actor, { message, error: 'Choisissez une décision.', decision, rateLimit });
    if (message.length > 5000) return detailPage(reply, request.params.id, staff.actor, { message, error: 'Le message ne doit pas dépasser 5 000 caractères.', decision, rateLimit });
    // The rate limit field belongs to the approval: other decisions ignore it (ADR 0117).
    const limit = event === 'approve' ? parseRateLimitField(form[RATE_LIMIT_FIELD]) : undefined;
    if (limit !== undefined && !limit.ok) return detailPage(reply, request.params.id, staff.actor, { message, decision, rateLimit, rateLimitError: limit.message });
    const actor = event === 'provider_approve' ? (staffOf(staff.user, 'provider_reviewer') as ServiceActor) : staff.actor;
    const outcome = await service.act(request.params.id, event, actor, message === '' ? undefined : message, limit?.ok ? { rateLimitPerSecond: limit.value } : {});
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return notFound(reply);
      // The field checked above cannot fail again in the domain: every refusal left is about the request.
      const detail = outcome.errors === undefined ? '' : ` ${Object.values(outcome.errors).join(' ')}`;
      return detailPage(reply, request.params.id, staff.actor, { message, error: `${outcome.message}${detail}`, decision, rateLimit });
    }
    return reply.redirect(`/instruction?ok=${event}`, 303);
  });

  // A new rate limit for an approved habilitation and its live tokens (issue 6; ADR 0117).
  app.post<{ Params: { id: string } }>('/instruction/habilitations/:id/debit', async (request, reply) => {
    const staff = staffOrAnswer(request, reply, { instructorOnly: true });
    if (staff === undefined) return reply;
    const change = typed(formOf(request)[RATE_LIMIT_FIELD]);
    const limit = parseRateLimitField(formOf(request)[RATE_LIMIT_FIELD]);
    if (!limit.ok) return detailPage(reply, request.params.id, staff.actor, { change, changeError: limit.message });
    const outcome = await deps.habilitations.rateLimit.change(request.params.id, staff.actor, limit.value);
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return notFound(reply);
      return detailPage(reply, request.params.id, staff.actor, { change, changeError: outcome.errors?.[RATE_LIMIT_FIELD] ?? outcome.message });
    }
    return reply.redirect(`/instruction/habilitations/${request.params.id}?ok=debit`, 303);
  });

  app.post<{ Params: { id: string } }>('/instruction/prolongations/:id', async (request, reply) => {
    const staff = staffOrAnswer(request, reply, { instructorOnly: true });
    if (staff === undefined) return reply;
    const form = formOf(request);
    const decision = form.decision === 'valider' ? 'validate' : form.decision === 'refuser' ? 'refuse' : undefined;
    const message = String(form.message ?? '').trim();
    const outcome = decision === undefined ? { ok: false as const, message: 'Choisissez une décision.' } : await lifecycle.decideProlongation(request.params.id, staff.actor, decision, message === '' ? undefined : message);
    if (!outcome.ok) {
      return renderPage(reply, 'error', { title: 'Prolongation non instruite — API Particulier', heading: 'Prolongation non instruite', message: outcome.message }, 422);
    }
    return reply.redirect('/instruction?ok=prolongation', 303);
  });

  app.post<{ Params: { id: string } }>('/instruction/referencements/:id', async (request, reply) => {
    const staff = staffOrAnswer(request, reply, { instructorOnly: true });
    if (staff === undefined) return reply;
    const decision = formOf(request).decision === 'publier' ? 'publish' : formOf(request).decision === 'refuser' ? 'refuse' : undefined;
    const id = request.params.id;
    const outcome = decision === undefined ? { ok: false as const, message: 'Choisissez une décision.' } : await vendors.decide(id, staff.actor, decision);
    if (!outcome.ok) return renderPage(reply, 'error', { title: 'Référencement non instruit — API Particulier', heading: 'Référencement non instruit', message: outcome.message }, 422);
    const template = (await vendors.list()).find((t) => t.id === id);
    if (template !== undefined) {
      const text =
        decision === 'publish'
          ? `Votre formulaire pré-rempli pour « ${template.softwareName} » est publié. Transmettez ce lien à vos clients : ${deps.publicBase(request)}/editeurs/formulaire/${template.shareSlug ?? ''}`
          : `Votre demande de référencement pour « ${template.softwareName} » n’a pas été retenue.`;
      try {
        await deps.habilitations.mailer.send({ to: [template.contactEmail], subject: `Référencement API Particulier : ${template.softwareName}`, text });
      } catch (error) {
        // The decision stands; the mail failure is logged without the address.
        request.log.error({ code: (error as { code?: unknown }).code }, 'mail not sent');
      }
    }
    return reply.redirect('/instruction?ok=referencement', 303);
  });

  app.get('/instruction/courriels', async (request, reply) => {
    const staff = staffOrAnswer(request, reply, { instructorOnly: true });
    if (staff === undefined) return reply;
    const mails = await deps.habilitations.outbox({ limit: 100 });
    return renderPage(reply, 'instruction/outbox', {
      title: 'Courriels envoyés — API Particulier',
      mails: mails.map((m) => ({ ...m, atLabel: frenchDate(m.at, true) })),
    });
  });
}
