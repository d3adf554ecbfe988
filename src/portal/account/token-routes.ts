/**
 * The applicant's token pages (issue 5 §7–8): « Mes jetons », the one-time reveal, rotation with a
 * chosen overlap date, revocation now or at a date, the single-use 4-hour link and its redemption,
 * the per-token stop of expiry reminders (the mails' link) and the prolongation short form (the
 * mails' other link). A token's value appears only in the answer of the POST that reveals it
 * (no-store), never in a log or another page. docs/adr/0161-token-pages.md.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isMember } from '../../habilitations/habilitation-service.ts';
import { CONTACT_ROLES, inputOf } from '../../habilitations/request-form.ts';
import { MAGIC_LINK_LIFETIME_MS } from '../../habilitations/token-lifecycle.ts';
import { isUuid } from '../../tokens/token-repository.ts';
import { applicantOf, formOf, frenchDate, notFound, queryValue, signedInOrRedirect, type HabilitationPageDeps } from '../habilitations/portal-actors.ts';
import { renderPage } from '../render-page.ts';
import { accountToken, accountTokens } from './account-tokens.ts';
import { parisDay, parisMidnight } from './paris-date.ts';

const NOTICES: Record<string, string> = {
  revoque: 'Le jeton est révoqué.',
  programme: 'La révocation du jeton est programmée.',
};

/** The page that shows a token value once; never cached, never indexed. */
function revealPage(reply: FastifyReply, data: { token: string; heading: string; intro: string; back: string | undefined }): Promise<FastifyReply> {
  void reply.header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex');
  return renderPage(reply, 'account/token-reveal', { title: `${data.heading} — API Particulier`, ...data });
}

export function registerTokenRoutes(app: FastifyInstance, deps: HabilitationPageDeps): void {
  const h = deps.habilitations;

  app.get('/compte/jetons', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const tokens = await accountTokens(h, applicantOf(user));
    return renderPage(reply, 'account/tokens', { title: 'Mes jetons — API Particulier', tokens, notice: NOTICES[queryValue(request, 'ok')] });
  });

  app.post<{ Params: { jti: string } }>('/compte/jetons/:jti/afficher', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const outcome = await h.lifecycle.reveal(request.params.jti, applicantOf(user));
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return notFound(reply);
      const tokens = await accountTokens(h, applicantOf(user));
      return renderPage(reply, 'account/tokens', { title: 'Mes jetons — API Particulier', tokens, error: outcome.message }, 409);
    }
    return revealPage(reply, { token: outcome.token, heading: 'Votre jeton', intro: 'Copiez ce jeton maintenant et conservez-le dans un coffre-fort de secrets : il ne sera plus jamais affiché.', back: '/compte/jetons' });
  });

  const rotationPage = async (reply: FastifyReply, jti: string, user: Parameters<typeof applicantOf>[0], errors: Record<string, string> = {}, value = '', status = 200) => {
    const token = await accountToken(h, applicantOf(user), jti);
    if (token === undefined) return notFound(reply);
    const now = deps.now();
    return renderPage(
      reply,
      'account/rotation',
      { title: 'Renouveler un jeton (rotation) — API Particulier', token, errors, value, min: parisDay(new Date(now.getTime() + 86_400_000)), max: parisDay(token.expiresAt) },
      status,
    );
  };

  app.get<{ Params: { jti: string } }>('/compte/jetons/:jti/rotation', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    return rotationPage(reply, request.params.jti, user);
  });

  app.post<{ Params: { jti: string } }>('/compte/jetons/:jti/rotation', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const typed = String(formOf(request).overlapUntil ?? '');
    const until = parisMidnight(typed);
    if (until === undefined) return rotationPage(reply, request.params.jti, user, { overlapUntil: 'Indiquez une date au format JJ/MM/AAAA.' }, typed, 422);
    const outcome = await h.lifecycle.rotate(request.params.jti, applicantOf(user), until);
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return notFound(reply);
      return rotationPage(reply, request.params.jti, user, outcome.errors ?? { overlapUntil: outcome.message }, typed, 422);
    }
    return revealPage(reply, {
      token: outcome.token ?? '',
      heading: 'Votre nouveau jeton',
      intro: `Copiez ce nouveau jeton maintenant : il ne sera plus jamais affiché. L’ancien jeton fonctionne jusqu’au ${frenchDate(until, true)}.`,
      back: '/compte/jetons',
    });
  });

  const revocationPage = async (reply: FastifyReply, jti: string, user: Parameters<typeof applicantOf>[0], errors: Record<string, string> = {}, values: Record<string, string> = {}, status = 200) => {
    const token = await accountToken(h, applicantOf(user), jti);
    if (token === undefined) return notFound(reply);
    return renderPage(reply, 'account/revocation', { title: 'Révoquer un jeton — API Particulier', token, errors, values, min: parisDay(deps.now()), max: parisDay(token.expiresAt) }, status);
  };

  app.get<{ Params: { jti: string } }>('/compte/jetons/:jti/revocation', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    return revocationPage(reply, request.params.jti, user);
  });

  app.post<{ Params: { jti: string } }>('/compte/jetons/:jti/revocation', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const form = formOf(request);
    const when = String(form.when ?? '');
    const typed = String(form.revokeAt ?? '');
    const values = { when, revokeAt: typed };
    if (when !== 'now' && when !== 'later') return revocationPage(reply, request.params.jti, user, { when: 'Choisissez quand révoquer le jeton.' }, values, 422);
    let at: Date | undefined;
    if (when === 'later') {
      at = parisMidnight(typed);
      if (at === undefined) return revocationPage(reply, request.params.jti, user, { revokeAt: 'Indiquez une date au format JJ/MM/AAAA.' }, values, 422);
    }
    const outcome = await h.lifecycle.revoke(request.params.jti, applicantOf(user), at);
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return notFound(reply);
      return revocationPage(reply, request.params.jti, user, outcome.errors ?? { when: outcome.message }, values, 422);
    }
    return reply.redirect(`/compte/jetons?ok=${when === 'now' ? 'revoque' : 'programme'}`, 303);
  });

  app.post<{ Params: { jti: string } }>('/compte/jetons/:jti/lien', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const outcome = await h.lifecycle.createMagicLink(request.params.jti, applicantOf(user));
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return notFound(reply);
      const tokens = await accountTokens(h, applicantOf(user));
      return renderPage(reply, 'account/tokens', { title: 'Mes jetons — API Particulier', tokens, error: outcome.message }, 409);
    }
    void reply.header('cache-control', 'private, no-store');
    return renderPage(reply, 'account/magic-link', {
      title: 'Lien à usage unique — API Particulier',
      // In the query string, which the request log never writes (src/gateway/logger-options.ts).
      link: `${deps.publicBase(request)}/jeton/lien?cle=${outcome.secret}`,
      expiresAt: frenchDate(outcome.expiresAt, true),
      hours: MAGIC_LINK_LIFETIME_MS / 3600_000,
    });
  });

  // The link is opened by a colleague, maybe not signed in. GET only shows a button: mail scanners
  // that prefetch links must not spend it.
  app.get('/jeton/lien', (request, reply) => {
    void reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
    return renderPage(reply, 'account/magic-link-open', { title: 'Récupérer un jeton — API Particulier', secret: queryValue(request, 'cle') });
  });

  app.post('/jeton/lien', async (request, reply) => {
    const outcome = await h.lifecycle.redeemMagicLink(String(formOf(request).cle ?? ''));
    if (!outcome.ok) return renderPage(reply, 'error', { title: 'Lien inutilisable — API Particulier', heading: 'Lien inutilisable', message: outcome.message }, outcome.code === 'invalid_link' ? 404 : 410);
    return revealPage(reply, {
      token: outcome.token,
      heading: 'Le jeton qui vous a été transmis',
      intro: `Copiez ce jeton maintenant : ce lien ne fonctionne plus. Le jeton expire le ${frenchDate(outcome.expiresAt)}.`,
      back: undefined,
    });
  });

  // The « stop these reminders » link of expiry mails (ADR 0114): no sign-in, the key is the proof.
  app.get<{ Params: { jti: string } }>('/compte/jetons/:jti/rappels/arret', (request, reply) =>
    renderPage(reply, 'account/opt-out', { title: 'Arrêter les rappels d’expiration — API Particulier', jti: request.params.jti, key: queryValue(request, 'cle'), done: false }),
  );

  app.post<{ Params: { jti: string } }>('/compte/jetons/:jti/rappels/arret', async (request, reply) => {
    const outcome = await h.lifecycle.optOut(request.params.jti, String(formOf(request).cle ?? ''));
    if (!outcome.ok) return renderPage(reply, 'error', { title: 'Lien inutilisable — API Particulier', heading: 'Lien inutilisable', message: outcome.message }, 404);
    return renderPage(reply, 'account/opt-out', { title: 'Rappels d’expiration arrêtés — API Particulier', jti: request.params.jti, key: '', done: true });
  });

  const prolongationPage = async (reply: FastifyReply, id: string, user: Parameters<typeof applicantOf>[0], posted?: { values: Record<string, unknown>; errors: Record<string, string>; message: string }) => {
    if (!isUuid(id)) return notFound(reply);
    const habilitation = await h.service.get(id);
    if (habilitation === undefined || !isMember(habilitation, applicantOf(user)) || habilitation.snapshot === null) return notFound(reply);
    const tokens = ((await h.lifecycle.tokens(id, applicantOf(user))) ?? []).filter((t) => t.state === 'active' && t.replacedBy === null);
    const contacts = inputOf('contacts', { contacts: habilitation.snapshot.contacts });
    return renderPage(
      reply,
      'account/prolongation',
      {
        title: 'Demander une prolongation — API Particulier',
        habilitation,
        tokens: tokens.map((t) => ({ jti: t.jti, prefix: t.prefix, expiresAt: frenchDate(t.expiresAt), toRenew: t.toRenew })),
        contactRoles: CONTACT_ROLES,
        values: posted?.values ?? { tokenJti: tokens[0]?.jti ?? '', ...contacts },
        errors: posted?.errors ?? {},
        message: posted?.message,
        validated: habilitation.status === 'validated',
      },
      posted === undefined ? 200 : 422,
    );
  };

  app.get<{ Params: { id: string } }>('/compte/habilitations/:id/prolongation', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    return prolongationPage(reply, request.params.id, user);
  });

  app.post<{ Params: { id: string } }>('/compte/habilitations/:id/prolongation', async (request, reply) => {
    const user = signedInOrRedirect(request, reply);
    if (user === undefined) return reply;
    const values = formOf(request);
    const updateContacts = values.majContacts === 'oui';
    const contacts = Object.fromEntries(Object.entries(values).filter(([k]) => Object.keys(CONTACT_ROLES).some((role) => k.startsWith(`${role}.`))));
    const outcome = await h.lifecycle.requestProlongation(request.params.id, applicantOf(user), {
      tokenJti: String(values.tokenJti ?? ''),
      ...(updateContacts ? { contacts } : {}),
    });
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return notFound(reply);
      return prolongationPage(reply, request.params.id, user, { values, errors: outcome.errors ?? {}, message: outcome.message });
    }
    return reply.redirect(`/compte/habilitations/${request.params.id}?ok=prolongation`, 303);
  });
}
