/**
 * Software vendors (issue 5 §5, ADR 0116): « Demander à être référencé » (a form describing the
 * software and the use case to pre-fill), and the shareable link of a published template, which
 * opens a pre-filled request for the vendor's client once signed in. The instructor's decision is
 * in the back office (src/portal/instruction/).
 */
import type { FastifyInstance } from 'fastify';
import { ORGANISATION_KINDS, ORGANISATION_KIND_LABELS, mayRequest, productById, products } from '../../habilitations/products.ts';
import { PURPOSES } from '../../habilitations/request-form.ts';
import { MINIMISATION_RULE, scopeCatalogue } from '../../habilitations/scope-catalogue.ts';
import { applicantOf, formOf, notFound, queryValue, signedInOrRedirect, type HabilitationPageDeps } from '../habilitations/portal-actors.ts';
import { productOfApi } from '../habilitations/request-start.ts';
import { renderPage } from '../render-page.ts';

export function registerVendorRoutes(app: FastifyInstance, deps: HabilitationPageDeps): void {
  const { vendors } = deps.habilitations;

  const formPage = (values: Record<string, unknown>, errors: Record<string, string>) => {
    const product = productOfApi(String(values.product ?? ''));
    return {
      title: 'Demander à être référencé (éditeurs de logiciel) — API Particulier',
      products: products.map((p) => ({ id: p.id, label: p.label })),
      product: product === undefined ? undefined : { id: product.id, label: product.label },
      scopeGroups: product === undefined ? [] : scopeCatalogue(product, deps.registry),
      minimisationRule: MINIMISATION_RULE,
      purposes: PURPOSES,
      values: { ...values, product: product?.id ?? '' },
      errors,
    };
  };

  app.get('/editeurs/referencement', (request, reply) => renderPage(reply, 'vendors/referencing', formPage({ product: queryValue(request, 'api') }, {})));

  app.post('/editeurs/referencement', async (request, reply) => {
    const values = formOf(request);
    // Choosing the API first (without JavaScript) posts only `product`: show the full form.
    if (values.etape === 'api') {
      if (productById(String(values.product ?? '')) === undefined) return renderPage(reply, 'vendors/referencing', formPage(values, { product: 'Choisissez une API dans la liste.' }), 422);
      return reply.redirect(`/editeurs/referencement?api=${encodeURIComponent(String(values.product))}`, 303);
    }
    const outcome = await vendors.requestReferencing(values);
    if (!outcome.ok) return renderPage(reply, 'vendors/referencing', formPage(values, outcome.errors ?? { product: outcome.message }), 422);
    return reply.redirect('/editeurs/referencement/envoyee', 303);
  });

  app.get('/editeurs/referencement/envoyee', (_request, reply) =>
    renderPage(reply, 'error', {
      title: 'Demande de référencement envoyée — API Particulier',
      heading: 'Demande de référencement envoyée',
      message: 'Un instructeur va examiner votre demande. Une fois votre formulaire publié, vous recevrez par courriel le lien à transmettre à vos clients.',
    }),
  );

  const sharePage = async (slug: string, errors: Record<string, string>, kind = '') => {
    const template = (await vendors.list('published')).find((t) => t.shareSlug === slug);
    if (template === undefined) return undefined;
    const product = productById(template.product);
    if (product === undefined) return undefined;
    return {
      title: `Formulaire pré-rempli par ${template.vendorName} — API Particulier`,
      template,
      productLabel: product.label,
      kinds: ORGANISATION_KINDS.filter((k) => mayRequest(product, k)).map((k) => ({ value: k, label: ORGANISATION_KIND_LABELS[k] })),
      kind,
      errors,
    };
  };

  app.get<{ Params: { slug: string } }>('/editeurs/formulaire/:slug', async (request, reply) => {
    const page = await sharePage(request.params.slug, {});
    if (page === undefined) return notFound(reply, 'Ce lien de formulaire pré-rempli n’existe pas ou n’est plus publié.');
    return renderPage(reply, 'vendors/share', page);
  });

  app.post<{ Params: { slug: string } }>('/editeurs/formulaire/:slug', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const kind = String(formOf(request).type ?? '');
    const outcome = await vendors.startFromShareLink(request.params.slug, { kind, actor: applicantOf(user) });
    if (!outcome.ok) {
      const page = await sharePage(request.params.slug, { type: outcome.errors?.kind ?? outcome.message }, kind);
      if (page === undefined) return notFound(reply, outcome.message);
      return renderPage(reply, 'vendors/share', page, 422);
    }
    return reply.redirect(`/compte/habilitations/${outcome.id}/etapes/organisation`, 303);
  });
}
