/**
 * The habilitation pages over real HTTP (issue 5 §3–8), the app and its embedded identity provider
 * on loopback ports: role checks (403 HTML pages), sign-in redirects, bad input on every form (a
 * message, 4xx, nothing saved, never a 500), the one-time reveal and the magic link, the reminder
 * opt-out, the introspection extras, and no token value in the logs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { syntheticAgents, type SyntheticAgent } from '../src/idp/synthetic-agents.ts';
import type { ServiceActor } from '../src/habilitations/habilitation-service.ts';
import { optOutKey } from '../src/habilitations/habilitation-tokens.ts';
import { parisMidnight } from '../src/portal/account/paris-date.ts';
import { approvedHabilitation, stepInputs } from './helpers/habilitation-fixtures.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';
import { decodeHtml, page as pageOf, PortalClient as Client, signIn as signInAs } from './helpers/portal-client.ts';

const decode = decodeHtml;

const logs: string[] = [];
let t: TestApp;
let base: string;
before(async () => {
  t = await testApp({ env: { JOBS_ENABLED: 'false', LOG_LEVEL: 'info' }, overrides: { logger: true, logStream: { write: (line) => logs.push(line) } } });
  base = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  applicantClient = await signIn(applicantAgent);
  instructorClient = await signIn(agent('instructor'));
});
after(async () => t.close());

const agent = (role: SyntheticAgent['role']): SyntheticAgent => syntheticAgents.find((a) => a.role === role)!;
const applicantAgent = agent('applicant');
const applicant: ServiceActor = { role: 'applicant', id: applicantAgent.email, siret: applicantAgent.siret };

/** Signs an agent in through the embedded provider (back on /compte); returns their client. */
const signIn = (who: SyntheticAgent): Promise<Client> => signInAs(base, who);

/** GETs a page and returns its CSRF token and HTML. */
const page = (client: Client, path: string): Promise<{ status: number; html: string; csrf: string }> => pageOf(client, base, path);

let applicantClient: Client;
let instructorClient: Client;

describe('sign-in and roles', () => {
  test('signed out, account pages redirect to the sign-in with the way back', async () => {
    for (const path of ['/compte/habilitations', '/compte/jetons', '/compte/habilitations/nouvelle?api=dss%2Fquotient_familial', '/instruction']) {
      const res = await new Client().go(`${base}${path}`);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/connexion?retour=${encodeURIComponent(path)}`);
    }
  });

  test('an applicant gets a 403 HTML page on every back-office route, GET or POST', async () => {
    const { csrf } = await page(applicantClient, '/compte/jetons');
    const { id } = await approvedHabilitation(t.app.services.habilitations, { actor: applicant });
    for (const path of ['/instruction', `/instruction/habilitations/${id}`, '/instruction/courriels']) {
      const res = await applicantClient.go(`${base}${path}`);
      assert.equal(res.status, 403, path);
      assert.match(await res.text(), /Accès refusé/);
    }
    for (const path of [`/instruction/habilitations/${id}/decision`, '/instruction/prolongations/00000000-0000-4000-8000-000000000000', '/instruction/referencements/x']) {
      const res = await applicantClient.go(`${base}${path}`, { form: { _csrf: csrf, decision: 'revoquer', message: 'non' } });
      assert.equal(res.status, 403, path);
    }
    assert.equal((await t.app.services.habilitations.service.get(id))?.status, 'validated');
  });

  test('a provider reviewer sees the queue but neither the outbox nor prolongations', async () => {
    const reviewer = await signIn(agent('provider_reviewer'));
    assert.equal((await reviewer.go(`${base}/instruction`)).status, 200);
    assert.equal((await reviewer.go(`${base}/instruction/courriels`)).status, 403);
  });
});

describe('bad input: a message, nothing saved, never a 500', () => {
  test('the request forms', async () => {
    const start = await page(applicantClient, '/compte/habilitations/nouvelle');
    const bad = await applicantClient.go(`${base}/compte/habilitations/nouvelle`, { form: { _csrf: start.csrf, api: 'nope', type: 'particulier' } });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /id="champ-api-erreur"[^>]*>Choisissez l’API/);
    const notEligible = await applicantClient.go(`${base}/compte/habilitations/nouvelle`, { form: { _csrf: start.csrf, api: 'api_particulier', type: 'particulier' } });
    assert.match(await notEligible.text(), /réservé aux acteurs publics/);
    const before = (await t.app.services.habilitations.service.listFor(applicant)).length;
    const created = await applicantClient.go(`${base}/compte/habilitations/nouvelle`, { form: { _csrf: start.csrf, api: 'dss/quotient_familial', type: 'collectivite_administration', modele: 'cantine-scolaire' } });
    assert.equal(created.status, 303);
    const stepPath = created.headers.get('location') as string;
    assert.match(stepPath, /^\/compte\/habilitations\/[0-9a-f-]{36}\/etapes\/organisation$/);
    const id = stepPath.split('/')[3] as string;
    assert.equal((await t.app.services.habilitations.service.listFor(applicant)).length, before + 1);
    assert.equal((await t.app.services.habilitations.service.get(id))?.form.use_case?.templateId, 'restauration-scolaire', 'the catalogue slug names the template');

    const cases: Array<[string, Record<string, string | string[]>, RegExp]> = [
      ['organisation', { siret: 'abc', name: '' }, /14 chiffres/],
      ['use_case', { title: 'x', purpose: 'piratage', description: 'court' }, /Choisissez la finalité/],
      ['scopes', { scopes: ['cnaf_quotient_familial', 'tout'] }, /Données inconnues/],
      ['identification', { mode: 'france_connect', fcClientIds: '<script>' }, /identifiant client FranceConnect ne contient/],
      ['contacts', { 'dpo.email': 'x' }, /n’est pas valide/],
      ['legal', { text: '', expectedVolume: '-3' }, /nombre entier/],
    ];
    for (const [step, input, message] of cases) {
      const form = await page(applicantClient, `/compte/habilitations/${id}/etapes/${step}`);
      assert.equal(form.status, 200, step);
      const res = await applicantClient.go(`${base}/compte/habilitations/${id}/etapes/${step}`, { form: { _csrf: form.csrf, ...input } });
      assert.equal(res.status, 422, step);
      const html = await res.text();
      assert.match(html, message, step);
      assert.match(html, /aria-describedby="champ-[^"]+-erreur"/, step);
      assert.match(html, /Rien n’a été enregistré/, step);
      assert.ok(!html.includes('<script>'), 'input is escaped');
    }
    const stored = await t.app.services.habilitations.service.get(id);
    assert.equal(stored?.form.organisation, undefined);
    assert.equal(stored?.form.contacts, undefined);
    assert.equal(stored?.form.use_case?.title, 'Tarification de la restauration scolaire', 'the template’s step is untouched');

    const summary = await page(applicantClient, `/compte/habilitations/${id}`);
    const submit = await applicantClient.go(`${base}/compte/habilitations/${id}/soumettre`, { form: { _csrf: summary.csrf } });
    assert.equal(submit.status, 422);
    assert.match(await submit.text(), /Cette étape n’est pas encore remplie/);
    assert.equal((await t.app.services.habilitations.service.get(id))?.status, 'draft');

    assert.equal((await applicantClient.go(`${base}/compte/habilitations/${id}/etapes/nimporte`)).status, 404);
    assert.equal((await applicantClient.go(`${base}/compte/habilitations/pas-un-uuid`)).status, 404);
    const stranger = await signIn(agent('instructor'));
    assert.equal((await stranger.go(`${base}/compte/habilitations/${id}`)).status, 404, 'another organisation’s request is not found');
  });

  test('the token forms, the instructor’s decision and the vendor form', async () => {
    const h = t.app.services.habilitations;
    const { id, jti, token } = await approvedHabilitation(h, { actor: applicant });
    const tokens = await page(applicantClient, '/compte/jetons');
    const post = (path: string, form: Record<string, string>) => applicantClient.go(`${base}${path}`, { form: { _csrf: tokens.csrf, ...form } });

    for (const [form, message] of [[{}, /Choisissez quand/], [{ when: 'later', revokeAt: '31/12/2026' }, /format JJ\/MM\/AAAA/], [{ when: 'later', revokeAt: '2020-01-01' }, /ne peut pas être passée/]] as const) {
      const res = await post(`/compte/jetons/${jti}/revocation`, form);
      assert.equal(res.status, 422);
      assert.match(await res.text(), message);
    }
    for (const [form, message] of [[{ overlapUntil: 'demain' }, /format/], [{ overlapUntil: '2099-01-01' }, /précéder l’expiration/]] as const) {
      const res = await post(`/compte/jetons/${jti}/rotation`, form);
      assert.equal(res.status, 422);
      assert.match(await res.text(), message);
    }
    const prolongation = await post(`/compte/habilitations/${id}/prolongation`, { tokenJti: 'x' });
    assert.equal(prolongation.status, 422);
    assert.match(await prolongation.text(), /Choisissez un jeton de cette habilitation/);
    assert.equal((await post('/compte/jetons/not-a-token/revocation', { when: 'now' })).status, 404);
    assert.equal((await t.app.services.verifier.verify(token)).jti, jti, 'still active, not revoked');
    assert.equal(((await h.lifecycle.tokens(id, applicant)) ?? []).length, 1, 'no rotation happened');
    assert.deepEqual(await h.lifecycle.pendingProlongations(), []);

    const submitted = await approvedDraft();
    const detail = await page(instructorClient, `/instruction/habilitations/${submitted}`);
    for (const [form, message] of [[{ decision: 'refuser' }, /message au demandeur est obligatoire/], [{ decision: 'detruire' }, /Choisissez une décision/]] as const) {
      const res = await instructorClient.go(`${base}/instruction/habilitations/${submitted}/decision`, { form: { _csrf: detail.csrf, ...form } });
      assert.equal(res.status, 422);
      assert.match(await res.text(), message);
    }
    assert.equal((await h.service.get(submitted))?.status, 'submitted');

    const vendor = new Client();
    const form = await page(vendor, '/editeurs/referencement?api=api_particulier');
    const res = await vendor.go(`${base}/editeurs/referencement`, { form: { _csrf: form.csrf, product: 'api_particulier', vendorSiret: '123', contactEmail: 'nope', scopes: 'inconnu' } });
    assert.equal(res.status, 422);
    const html = await res.text();
    for (const m of [/SIRET n’est pas valide/, /adresse électronique n’est pas valide/i, /Données inconnues/]) assert.match(html, m);
    assert.deepEqual(await h.vendors.list(), []);
    assert.equal((await new Client().go(`${base}/editeurs/formulaire/AAAAAAAAAAAAAAAA`)).status, 404);
  });
});

/** A complete request of the applicant, submitted, waiting for an instructor. */
async function approvedDraft(): Promise<string> {
  const h = t.app.services.habilitations;
  const { stepInputs } = await import('./helpers/habilitation-fixtures.ts');
  const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
  assert.ok(draft.ok);
  for (const [step, input] of Object.entries(stepInputs())) assert.ok((await h.service.saveStep(draft.id, step, input, applicant)).ok);
  assert.ok((await h.service.act(draft.id, 'submit', applicant)).ok);
  return draft.id;
}

describe('tokens', () => {
  test('shown once, handed over by a single-use link, never logged; introspection names the habilitation', async () => {
    const h = t.app.services.habilitations;
    const submitted = await approvedDraft();
    const detail = await page(instructorClient, `/instruction/habilitations/${submitted}`);
    const approve = await instructorClient.go(`${base}/instruction/habilitations/${submitted}/decision`, { form: { _csrf: detail.csrf, decision: 'valider' } });
    assert.equal(approve.status, 303);
    const [view] = (await h.lifecycle.tokens(submitted, applicant)) ?? [];
    assert.ok(view);

    const list = await page(applicantClient, '/compte/jetons');
    assert.ok(list.html.includes(`/compte/jetons/${view.jti}/afficher`));
    const reveal = await applicantClient.go(`${base}/compte/jetons/${view.jti}/afficher`, { form: { _csrf: list.csrf } });
    assert.equal(reveal.status, 200);
    assert.equal(reveal.headers.get('cache-control'), 'private, no-store');
    const token = decode(/id="jeton-valeur"[^>]*>([^<]+)</.exec(await reveal.text())?.[1] ?? '');
    assert.match(token, /^eyJ/);
    const again = await applicantClient.go(`${base}/compte/jetons/${view.jti}/afficher`, { form: { _csrf: list.csrf } });
    assert.equal(again.status, 409);
    const againHtml = await again.text();
    assert.match(againHtml, /déjà été affiché/);
    assert.ok(!againHtml.includes(token));

    const intro = (await (await fetch(`${base}/api/introspect`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    assert.equal(intro.habilitation_id, submitted);
    assert.equal(intro.to_renew, false);

    const linkPage = await applicantClient.go(`${base}/compte/jetons/${view.jti}/lien`, { form: { _csrf: list.csrf } });
    const link = decode(/id="lien-valeur"[^>]*value="([^"]+)"/.exec(await linkPage.text())?.[1] ?? '');
    assert.match(link, /\/jeton\/lien\?cle=[\w-]{43}$/);
    const secret = new URL(link).searchParams.get('cle') as string;
    const colleague = new Client();
    const open = await page(colleague, `/jeton/lien?cle=${secret}`);
    assert.equal(open.status, 200);
    assert.ok(!open.html.includes('eyJ'), 'opening the link does not spend it');
    assert.equal(open.html.includes(`name="cle" value="${secret}"`), true);
    const got = await colleague.go(`${base}/jeton/lien`, { form: { _csrf: open.csrf, cle: secret } });
    assert.equal(got.status, 200);
    assert.ok((await got.text()).includes(token));
    const spent = await colleague.go(`${base}/jeton/lien`, { form: { _csrf: open.csrf, cle: secret } });
    assert.equal(spent.status, 410);
    assert.match(await spent.text(), /déjà été utilisé/);

    const logged = logs.join('\n');
    assert.ok(logged.length > 0, 'the server logged requests');
    assert.ok(!logged.includes(token), 'no token value in the logs');
    assert.ok(!logged.includes(secret), 'no magic-link secret in the logs');
  });

  test('the reminder opt-out link works without signing in, and only with its key', async () => {
    const h = t.app.services.habilitations;
    const { jti } = await approvedHabilitation(h, { actor: applicant });
    const { kid } = await h.db.selectFrom('tokens').select('kid').where('jti', '=', jti).executeTakeFirstOrThrow();
    const key = optOutKey(jti, kid, t.app.services.keyring) as string;
    const anyone = new Client();
    const form = await page(anyone, `/compte/jetons/${jti}/rappels/arret?cle=${encodeURIComponent(key)}`);
    assert.equal(form.status, 200);
    const forged = await anyone.go(`${base}/compte/jetons/${jti}/rappels/arret`, { form: { _csrf: form.csrf, cle: 'faux' } });
    assert.equal(forged.status, 404);
    const done = await anyone.go(`${base}/compte/jetons/${jti}/rappels/arret`, { form: { _csrf: form.csrf, cle: key } });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /Rappels arrêtés/);
    const optedOut = await h.db.selectFrom('habilitation_tokens').select('notices_opt_out_at').where('jti', '=', jti).executeTakeFirstOrThrow();
    assert.notEqual(optedOut.notices_opt_out_at, null);
  });
});

describe('the CNAM provider-review step, through the pages', () => {
  test('the reviewer gives the provider’s agreement; the instructor cannot approve before it', async () => {
    const h = t.app.services.habilitations;
    const clinic = await h.service.createDraft({ product: 'api_droits_cnam', kind: 'etablissement_soins', actor: applicant });
    assert.ok(clinic.ok);
    const inputs = stepInputs({ mode: 'france_connect', fcClientIds: 'fc-clinique-1', ownMeans: [], purpose: 'sante', scopes: ['cnam_droits'] });
    for (const [step, input] of Object.entries(inputs)) assert.ok((await h.service.saveStep(clinic.id, step, input, applicant)).ok, step);
    assert.ok((await h.service.act(clinic.id, 'submit', applicant)).ok);

    const early = await page(instructorClient, `/instruction/habilitations/${clinic.id}`);
    assert.match(early.html, /Avis du fournisseur : en attente/);
    const refused = await instructorClient.go(`${base}/instruction/habilitations/${clinic.id}/decision`, { form: { _csrf: early.csrf, decision: 'valider' } });
    assert.equal(refused.status, 422);
    assert.match(await refused.text(), /Le fournisseur de données doit d’abord valider la demande/);

    const reviewer = await signIn(agent('provider_reviewer'));
    const queue = await page(reviewer, '/instruction');
    assert.ok(queue.html.includes(`/instruction/habilitations/${clinic.id}`), 'in the reviewer’s queue');
    const detail = await page(reviewer, `/instruction/habilitations/${clinic.id}`);
    assert.ok(!detail.html.includes('value="valider"'), 'a reviewer cannot approve');
    const agreed = await reviewer.go(`${base}/instruction/habilitations/${clinic.id}/decision`, { form: { _csrf: detail.csrf, decision: 'avis_fournisseur' } });
    assert.equal(agreed.status, 303);
    assert.ok(!(await page(reviewer, '/instruction')).html.includes(`/instruction/habilitations/${clinic.id}`), 'out of the reviewer’s queue');

    const now = await page(instructorClient, `/instruction/habilitations/${clinic.id}`);
    assert.match(now.html, /Avis du fournisseur : favorable/);
    const approved = await instructorClient.go(`${base}/instruction/habilitations/${clinic.id}/decision`, { form: { _csrf: now.csrf, decision: 'valider' } });
    assert.equal(approved.status, 303);
    assert.equal((await h.service.get(clinic.id))?.status, 'validated');

    // A reviewer has no business with API Particulier requests: 403.
    const other = await approvedDraft();
    assert.equal((await reviewer.go(`${base}/instruction/habilitations/${other}`)).status, 403);
  });
});

describe('rotation through the page', () => {
  test('a new token shown once; the old one works until the chosen day, 0 h Paris time', async () => {
    const h = t.app.services.habilitations;
    const { id, jti, token } = await approvedHabilitation(h, { actor: applicant });
    const form = await page(applicantClient, `/compte/jetons/${jti}/rotation`);
    assert.equal(form.status, 200);
    const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const res = await applicantClient.go(`${base}/compte/jetons/${jti}/rotation`, { form: { _csrf: form.csrf, overlapUntil: day } });
    assert.equal(res.status, 200);
    const fresh = decode(/id="jeton-valeur"[^>]*>([^<]+)</.exec(await res.text())?.[1] ?? '');
    assert.match(fresh, /^eyJ/);
    assert.notEqual(fresh, token);
    const old = await t.app.services.verifier.verify(token);
    assert.equal(old.revokedAt?.toISOString(), parisMidnight(day)?.toISOString());
    assert.equal((await t.app.services.verifier.verify(fresh)).revokedAt, null);
    const tokens = (await h.lifecycle.tokens(id, applicant)) ?? [];
    assert.equal(tokens.find((x) => x.jti === jti)?.replacedBy, tokens.find((x) => x.jti !== jti)?.jti);
  });
});

describe('revoking a habilitation from the back office', () => {
  test('listed as validated; a message is required; then its tokens answer 401 00105', async () => {
    const { id, token } = await approvedHabilitation(t.app.services.habilitations, { actor: applicant });
    const queue = await page(instructorClient, '/instruction');
    assert.ok(queue.html.includes(`/instruction/habilitations/${id}`));
    const detail = await page(instructorClient, `/instruction/habilitations/${id}`);
    const silent = await instructorClient.go(`${base}/instruction/habilitations/${id}/decision`, { form: { _csrf: detail.csrf, decision: 'revoquer' } });
    assert.equal(silent.status, 422);
    assert.equal((await fetch(`${base}/api/introspect`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const done = await instructorClient.go(`${base}/instruction/habilitations/${id}/decision`, { form: { _csrf: detail.csrf, decision: 'revoquer', message: 'Usage non conforme.' } });
    assert.equal(done.status, 303);
    const res = await fetch(`${base}/api/introspect`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]?.code, '00105');
  });
});
