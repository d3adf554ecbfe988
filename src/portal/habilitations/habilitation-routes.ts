/**
 * The applicant's request pages (issue 5 §3–4): « Vérifier votre éligibilité », starting a request
 * (optionally from a use-case template), the six steps saved one by one, the summary with the
 * instructor's messages and the submission. POST → redirect → GET; a step with errors is shown
 * again with each message beside its field and nothing saved. docs/adr/0160-habilitation-pages.md.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isMember } from '../../habilitations/habilitation-service.ts';
import { ORGANISATION_KINDS, ORGANISATION_KIND_LABELS, eligibility, mayRequest, productById, products, type OrganisationKind } from '../../habilitations/products.ts';
import { rateLimitLabel } from '../../habilitations/rate-limit-field.ts';
import { STEPS, isStep } from '../../habilitations/request-form.ts';
import { statusLabel } from '../../habilitations/state-machine.ts';
import { isUuid } from '../../tokens/token-repository.ts';
import { renderPage } from '../render-page.ts';
import { ACTOR_LABELS, eventDetail, eventLabel } from './event-labels.ts';
import { applicantOf, formOf, frenchDate, notFound, queryValue, signedInOrRedirect, type HabilitationPageDeps } from './portal-actors.ts';
import { productOfApi, templateOfSlug } from './request-start.ts';
import { STEP_TITLES, stepProgress, stepValues, stepView } from './step-views.ts';

const EDITABLE = new Set(['draft', 'changes_requested']);
const NOTICES: Record<string, string> = {
  soumise: 'Votre demande est transmise : un instructeur va l’examiner. Vous serez prévenu par courriel.',
  prolongation: 'Votre demande de prolongation est transmise à l’instruction.',
};

export function registerHabilitationRoutes(app: FastifyInstance, deps: HabilitationPageDeps): void {
  const { service } = deps.habilitations;
  const kinds = ORGANISATION_KINDS.map((k) => ({ value: k, label: ORGANISATION_KIND_LABELS[k] }));

  app.get('/eligibilite', (request, reply) => {
    const product = productOfApi(queryValue(request, 'api'));
    const kind = queryValue(request, 'type');
    const answer = product === undefined ? undefined : eligibility(product.id, kind);
    const errors: Record<string, string> = {};
    if (queryValue(request, 'verifier') !== '') {
      if (product === undefined) errors.api = 'Choisissez l’API qui vous intéresse.';
      if (answer === undefined && product !== undefined) errors.type = 'Indiquez quel type d’organisation vous représentez.';
    }
    return renderPage(reply, 'habilitations/eligibility', {
      title: 'Vérifier votre éligibilité — API Particulier',
      description: 'Vérifiez si votre organisation peut demander l’accès à une API du bouquet API Particulier.',
      products: products.map((p) => ({ id: p.id, label: p.label })),
      kinds,
      chosen: { api: product?.id ?? '', type: kind },
      answer,
      errors,
      requestHref: product && answer ? `/compte/habilitations/nouvelle?api=${encodeURIComponent(product.id)}&type=${encodeURIComponent(kind)}` : undefined,
      vendorHref: product ? `/editeurs/referencement?api=${encodeURIComponent(product.id)}` : undefined,
    });
  });

  app.get('/compte/habilitations', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const list = await service.listFor(applicantOf(user));
    list.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    return renderPage(reply, 'habilitations/list', {
      title: 'Mes habilitations — API Particulier',
      rows: list.map((h) => ({
        id: h.id,
        title: h.snapshot?.title ?? h.form.use_case?.title ?? 'Demande sans titre',
        product: productById(h.product)?.label ?? h.product,
        status: h.status,
        statusLabel: statusLabel(h.status),
        updatedAt: frenchDate(h.updatedAt),
      })),
    });
  });

  const newRequestPage = (request: FastifyRequest, input: { api: string; type: string; modele: string }, errors: Record<string, string>) => {
    const product = productOfApi(input.api);
    const template = product === undefined ? undefined : templateOfSlug(input.modele, product, service.templates);
    return {
      title: 'Nouvelle demande d’habilitation — API Particulier',
      products: products.map((p) => ({ id: p.id, label: p.label })),
      kinds,
      templates: service.templates.map((t) => ({ id: t.id, title: t.title, product: t.product })),
      chosen: { api: product?.id ?? '', type: input.type, modele: template?.id ?? '' },
      errors,
      user: request.portalSession?.user,
    };
  };

  app.get('/compte/habilitations/nouvelle', (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const page = newRequestPage(request, { api: queryValue(request, 'api'), type: queryValue(request, 'type'), modele: queryValue(request, 'modele') }, {});
    return renderPage(reply, 'habilitations/new', page);
  });

  app.post('/compte/habilitations/nouvelle', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const form = formOf(request);
    const input = { api: String(form.api ?? ''), type: String(form.type ?? ''), modele: String(form.modele ?? '') };
    const product = productOfApi(input.api);
    const errors: Record<string, string> = {};
    if (product === undefined) errors.api = 'Choisissez l’API qui vous intéresse.';
    if (!(ORGANISATION_KINDS as readonly string[]).includes(input.type)) errors.type = 'Indiquez quel type d’organisation vous représentez.';
    else if (product !== undefined && !mayRequest(product, input.type as OrganisationKind)) errors.type = product.eligibility[input.type as OrganisationKind].message;
    const template = product === undefined || input.modele === '' ? undefined : templateOfSlug(input.modele, product, service.templates);
    if (input.modele !== '' && product !== undefined && template === undefined) errors.modele = 'Ce modèle n’existe pas pour cette API : choisissez-en un autre ou partez d’une demande vierge.';
    if (Object.keys(errors).length > 0 || product === undefined) {
      return renderPage(reply, 'habilitations/new', newRequestPage(request, input, errors), 422);
    }
    const created = await service.createDraft({ product: product.id, kind: input.type, actor: applicantOf(user), ...(template ? { templateId: template.id } : {}) });
    if (!created.ok) return renderPage(reply, 'habilitations/new', newRequestPage(request, input, created.errors ?? { type: created.message }), 422);
    return reply.redirect(`/compte/habilitations/${created.id}/etapes/organisation`, 303);
  });

  /** The habilitation if this applicant may see it. */
  const owned = async (id: string, user: NonNullable<ReturnType<typeof signedInOrRedirect>>) => {
    if (!isUuid(id)) return undefined;
    const h = await service.get(id);
    return h !== undefined && isMember(h, applicantOf(user)) ? h : undefined;
  };

  const summary = async (id: string, user: NonNullable<ReturnType<typeof signedInOrRedirect>>, extra: { errors?: Record<string, string>; message?: string; notice?: string }) => {
    const h = await owned(id, user);
    if (h === undefined) return undefined;
    const events = await service.events(h.id);
    const tokens = await deps.habilitations.lifecycle.tokens(h.id, applicantOf(user));
    return {
      title: `Demande « ${h.snapshot?.title ?? h.form.use_case?.title ?? 'sans titre'} » — API Particulier`,
      h,
      productLabel: productById(h.product)?.label ?? h.product,
      kindLabel: ORGANISATION_KIND_LABELS[h.organisationKind as OrganisationKind] ?? h.organisationKind,
      statusLabel: statusLabel(h.status),
      editable: EDITABLE.has(h.status),
      steps: stepProgress(h),
      messages: events.filter((e) => e.message !== null).map((e) => ({ at: frenchDate(e.at, true), event: e.event, message: e.message })),
      history: events.map((e) => ({ at: frenchDate(e.at, true), event: e.event, actorRole: e.actorRole, detail: eventDetail(e, deps.habilitations.rateLimit.defaultPerSecond) })),
      tokens: (tokens ?? []).map((t) => ({ prefix: t.prefix, state: t.state, expiresAt: frenchDate(t.expiresAt), toRenew: t.toRenew })),
      // Read only for the applicant: an instructor sets it (ADR 0117).
      rateLimitLabel: rateLimitLabel(h.rateLimitPerSecond, deps.habilitations.rateLimit.defaultPerSecond),
      stepTitles: STEP_TITLES,
      eventLabel,
      actorLabels: ACTOR_LABELS,
      ...extra,
    };
  };

  app.get<{ Params: { id: string } }>('/compte/habilitations/:id', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const page = await summary(request.params.id, user, { notice: NOTICES[queryValue(request, 'ok')] });
    if (page === undefined) return notFound(reply, 'Cette demande n’existe pas ou vous n’y avez pas accès.');
    return renderPage(reply, 'habilitations/summary', page);
  });

  app.post<{ Params: { id: string } }>('/compte/habilitations/:id/soumettre', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    if ((await owned(request.params.id, user)) === undefined) return notFound(reply);
    const outcome = await service.act(request.params.id, 'submit', applicantOf(user));
    if (outcome.ok) return reply.redirect(`/compte/habilitations/${request.params.id}?ok=soumise`, 303);
    const page = await summary(request.params.id, user, { message: outcome.message, ...(outcome.errors ? { errors: outcome.errors } : {}) });
    return renderPage(reply, 'habilitations/summary', page as NonNullable<typeof page>, 422);
  });

  const stepPage = async (id: string, step: string, user: NonNullable<ReturnType<typeof signedInOrRedirect>>, posted?: { values: Record<string, unknown>; errors: Record<string, string>; message: string }) => {
    if (!isStep(step)) return undefined;
    const h = await owned(id, user);
    if (h === undefined) return undefined;
    const product = productById(h.product);
    if (product === undefined) return undefined;
    const values = posted?.values ?? stepValues(step, h, user.siret ? { siret: user.siret } : {});
    return {
      title: `${STEP_TITLES[step]} (étape ${STEPS.indexOf(step) + 1} sur ${STEPS.length}) — demande d’habilitation`,
      habilitation: h,
      editable: EDITABLE.has(h.status),
      productLabel: product.label,
      view: stepView(step, product, h.organisationKind as OrganisationKind, deps.registry, values, posted?.errors ?? {}),
      message: posted?.message,
    };
  };

  app.get<{ Params: { id: string; step: string } }>('/compte/habilitations/:id/etapes/:step', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const page = await stepPage(request.params.id, request.params.step, user);
    if (page === undefined) return notFound(reply);
    if (!page.editable) return reply.redirect(`/compte/habilitations/${request.params.id}`, 303);
    return renderPage(reply, 'habilitations/step', page);
  });

  app.post<{ Params: { id: string; step: string } }>('/compte/habilitations/:id/etapes/:step', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const { id, step } = request.params;
    const values = formOf(request);
    const saved = await service.saveStep(id, step, values, applicantOf(user));
    if (!saved.ok) {
      if (saved.code === 'not_found' || !isStep(step)) return notFound(reply);
      const page = await stepPage(id, step, user, { values, errors: saved.errors ?? {}, message: saved.message });
      if (page === undefined) return notFound(reply);
      return renderPage(reply, 'habilitations/step', page, 422);
    }
    const next = STEPS[STEPS.indexOf(step as (typeof STEPS)[number]) + 1];
    return reply.redirect(next === undefined ? `/compte/habilitations/${id}` : `/compte/habilitations/${id}/etapes/${next}`, 303);
  });
}
