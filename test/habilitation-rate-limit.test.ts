/**
 * Issue 6, "20 req/s per token by default (configurable per habilitation)": the instructor sets a
 * habilitation's rate limit in the back office — on the approval form, then on the approved
 * habilitation — every token the habilitation issues carries it, a change reaches the gateway at
 * once (RateLimit headers, the 429 `00429` one call past the burst), the applicant sees it read
 * only, `/api/introspect` says it; bad input is a 422 beside the field, nothing saved, no event.
 * Real HTTP on loopback, sign-in through the embedded identity provider, a frozen clock, on PGlite
 * and on PostgreSQL. docs/adr/0117-habilitation-rate-limit.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ServiceActor } from '../src/habilitations/habilitation-service.ts';
import { syntheticAgents, type SyntheticAgent } from '../src/idp/synthetic-agents.ts';
import type { Database } from '../src/infra/db/open-database.ts';
import { C2S_IDENTITE, LEA, leaQuery, writeCaseDir } from './helpers/case-dir.ts';
import { engines } from './helpers/engines.ts';
import { approvedHabilitation, instructor as instructorActor, stepInputs } from './helpers/habilitation-fixtures.ts';
import { page, signIn, type PortalClient } from './helpers/portal-client.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const ROUTE = '/v3/dss/complementaire_sante_solidaire/identite';
const OK_BODY = { data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' }, links: {}, meta: {} };
const TOO_MANY = { errors: [{ code: '00429', title: 'Trop de requêtes', detail: 'Vous avez effectué trop de requêtes', source: null, meta: {} }] };
const cases = writeCaseDir([{ operationId: C2S_IDENTITE, file: 'lea.yaml', params: LEA, status: 200, body: OK_BODY }]);

const agent = (role: SyntheticAgent['role']): SyntheticAgent => syntheticAgents.find((a) => a.role === role) as SyntheticAgent;
const applicantAgent = agent('applicant');
const instructorAgent = agent('instructor');
const applicant: ServiceActor = { role: 'applicant', id: applicantAgent.email, siret: applicantAgent.siret };

/** Zero, negative, above the bound (TOKEN_RATE_LIMIT_BOUNDS: 1–10 000), not a number, not whole. */
const BAD_INPUT = ['0', '-1', '10001', 'abc', '2.5'];
const MESSAGE = 'Indiquez un nombre entier d’appels par seconde entre 1 et 10\u202f000, ou laissez le champ vide pour le débit par défaut.';
const DAY = 86_400_000;

/** The field's message where DSFR puts it, tied to the field. */
function assertFieldError(html: string, typed: string): void {
  assert.ok(html.includes(`<p id="champ-rateLimitPerSecond-erreur" class="fr-error-text">${MESSAGE}</p>`), `message beside the field for ${typed}`);
  assert.match(html, new RegExp(`name="rateLimitPerSecond" value="${typed.replace('.', '\\.')}" inputmode="numeric" aria-describedby="champ-rateLimitPerSecond-erreur" aria-invalid="true">`));
}

for (const engine of engines()) {
  describe(`per-habilitation rate limit on ${engine.name}`, () => {
    let clock = new Date('2026-11-23T10:00:10.000Z');
    let database: Database;
    let t: TestApp;
    let base: string;
    let instructor: PortalClient;
    let applicantClient: PortalClient;

    before(async () => {
      database = await engine.open();
      t = await testApp({
        database,
        // The default limit is the service's 20/s; tokens stay cached a minute, so only the change's notice can refresh them.
        env: { SANDBOX_DATA_DIRS: cases, RATE_LIMIT_PER_SECOND: '20', RATE_LIMIT_BURST: '20', TOKEN_CACHE_TTL_MS: '60000' },
        overrides: { now: () => clock },
      });
      base = (await t.app.server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
      instructor = await signIn(base, instructorAgent);
      applicantClient = await signIn(base, applicantAgent);
    });
    after(async () => {
      await t?.close();
      await database?.close();
    });

    const h = () => t.app.services.habilitations;
    const call = (token: string) => fetch(`${base}${ROUTE}?${leaQuery()}`, { headers: { authorization: `Bearer ${token}` } });
    const introspect = async (token: string) => (await (await fetch(`${base}/api/introspect`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    /** Two seconds on: every budget is whole again, and the cached verifications are still fresh. */
    const rest = () => {
      clock = new Date(clock.getTime() + 2_000);
    };
    const tokenLimit = async (jti: string) => (await database.db.selectFrom('tokens').select('rate_limit_per_second').where('jti', '=', jti).executeTakeFirstOrThrow()).rate_limit_per_second;
    const habilitationLimit = async (id: string) => (await h().db.selectFrom('habilitations').select('rate_limit_per_second').where('id', '=', id).executeTakeFirstOrThrow()).rate_limit_per_second;
    const eventCount = async (id: string) => (await h().service.events(id)).length;

    /** `limit` calls at one instant pass under the token policy `limit`/s; the next one is the contract's 429. */
    async function burst(token: string, limit: number): Promise<void> {
      for (let i = 0; i < limit; i++) {
        const res = await call(token);
        assert.equal(res.status, 200, `call ${i + 1} of ${limit}`);
        assert.deepEqual(await res.json(), OK_BODY);
        assert.equal(res.headers.get('ratelimit-limit'), String(limit * 60), 'the contract counts per minute');
        assert.equal(res.headers.get('ratelimit-policy'), `"token";q=${limit};w=1`);
        assert.match(res.headers.get('ratelimit') ?? '', new RegExp(`^"token";r=${limit - 1 - i};t=1$`));
      }
      const refused = await call(token);
      assert.equal(refused.status, 429, `call ${limit + 1}`);
      assert.deepEqual(await refused.json(), TOO_MANY);
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal(refused.headers.get('ratelimit-policy'), `"token";q=${limit};w=1`);
    }

    /** A complete request of the signed-in applicant, submitted, waiting for the instructor. */
    async function submitted(): Promise<string> {
      const draft = await h().service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: applicant });
      assert.ok(draft.ok);
      for (const [step, input] of Object.entries(stepInputs())) assert.ok((await h().service.saveStep(draft.id, step, input, applicant)).ok, step);
      assert.ok((await h().service.act(draft.id, 'submit', applicant)).ok);
      return draft.id;
    }

    test('approval with a limit: bad input refused beside the field, then the token carries it and the gateway applies it', async () => {
      const id = await submitted();
      const detail = await page(instructor, base, `/instruction/habilitations/${id}`);
      assert.ok(
        detail.html.includes(
          '<label class="fr-label" for="champ-rateLimitPerSecond">Débit maximal (appels par seconde)<span class="fr-hint-text">Pris en compte si vous validez la demande. Laisser vide pour le débit par défaut de 20 appels/s. Nombre entier, de 1 à 10\u202f000.</span></label>',
        ),
      );
      const events = await eventCount(id);
      const decide = (form: Record<string, string>) => instructor.go(`${base}/instruction/habilitations/${id}/decision`, { form: { _csrf: detail.csrf, decision: 'valider', ...form } });
      for (const bad of BAD_INPUT) {
        const res = await decide({ rateLimitPerSecond: bad });
        assert.equal(res.status, 422, bad);
        assertFieldError(await res.text(), bad);
      }
      assert.equal((await h().service.get(id))?.status, 'submitted', 'not approved');
      assert.equal(await habilitationLimit(id), null);
      assert.equal(await eventCount(id), events, 'no event');
      assert.deepEqual(await h().db.selectFrom('habilitation_tokens').select('jti').where('habilitation_id', '=', id).execute(), [], 'no token');

      const approved = await decide({ rateLimitPerSecond: ' 3 ' });
      assert.equal(approved.status, 303);
      const [view, ...others] = (await h().lifecycle.tokens(id, applicant)) ?? [];
      assert.ok(view);
      assert.deepEqual(others, []);
      assert.equal(await tokenLimit(view.jti), 3);
      assert.equal(await habilitationLimit(id), 3);
      const last = (await h().service.events(id)).at(-1);
      assert.deepEqual({ event: last?.event, actor: last?.actor, data: last?.data }, { event: 'approve', actor: instructorAgent.email, data: { tokenJti: view.jti, rateLimitPerSecond: 3 } });

      const revealed = await h().lifecycle.reveal(view.jti, applicant);
      assert.ok(revealed.ok);
      rest();
      await burst(revealed.token, 3);
      const intro = await introspect(revealed.token);
      assert.deepEqual({ habilitation_id: intro.habilitation_id, rate_limit_per_second: intro.rate_limit_per_second }, { habilitation_id: id, rate_limit_per_second: 3 });

      // The applicant sees it, read only: on the habilitation's page, in its history, on « Mes jetons ».
      const summary = await page(applicantClient, base, `/compte/habilitations/${id}`);
      assert.ok(summary.html.includes('<strong id="debit-maximal">3 appels/s</strong>'));
      assert.ok(summary.html.includes('Demande validée, jeton émis (débit maximal : 3 appels/s) (instructeur)'));
      assert.ok(!summary.html.includes('name="rateLimitPerSecond"'), 'no form for the applicant');
      const tokens = await page(applicantClient, base, '/compte/jetons');
      assert.match(tokens.html, new RegExp(`<code class="portal-code">${view.jti}</code></dd>[\\s\\S]*?<dt class="fr-text--bold">Débit maximal</dt><dd>3 appels/s</dd>`));
    });

    test('a change on an approved habilitation: an event, the live tokens updated, the next call under the new limit', async () => {
      const { id, jti, token } = await approvedHabilitation(h(), { actor: applicant });
      rest();
      const first = await call(token);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('ratelimit-limit'), '1200', 'the service default: 20/s');
      assert.equal((await introspect(token)).rate_limit_per_second, 20);
      // A rotation in its overlap: the old token stays live until then, so it gets the new limit too.
      const rotated = await h().lifecycle.rotate(jti, applicant, new Date(clock.getTime() + 7 * DAY));
      assert.ok(rotated.ok);
      // Verified again since the rotation dropped the caches: the record with 20/s is cached for a minute now.
      assert.equal((await call(token)).headers.get('ratelimit-limit'), '1200');

      const detail = await page(instructor, base, `/instruction/habilitations/${id}`);
      assert.ok(detail.html.includes('<strong id="debit-actuel">20 appels/s (débit par défaut)</strong>'));
      assert.ok(detail.html.includes(`<form method="post" action="/instruction/habilitations/${id}/debit" novalidate>`));
      const events = await eventCount(id);
      const change = (value: string, client = instructor, csrf = detail.csrf) =>
        client.go(`${base}/instruction/habilitations/${id}/debit`, { form: { ...(csrf === '' ? {} : { _csrf: csrf }), rateLimitPerSecond: value } });

      for (const bad of BAD_INPUT) {
        const res = await change(bad);
        assert.equal(res.status, 422, bad);
        assertFieldError(await res.text(), bad);
      }
      const forged = await change('5', instructor, '');
      assert.equal(forged.status, 403);
      assert.match(await forged.text(), /Formulaire expiré/);
      const byApplicant = await change('5', applicantClient, (await page(applicantClient, base, '/compte/jetons')).csrf);
      assert.equal(byApplicant.status, 403);
      assert.equal(await habilitationLimit(id), null);
      assert.deepEqual([await tokenLimit(jti), await tokenLimit(rotated.jti)], [null, null]);
      assert.equal(await eventCount(id), events, 'no event');

      const done = await change('5');
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), `/instruction/habilitations/${id}?ok=debit`);
      assert.equal(await habilitationLimit(id), 5);
      assert.deepEqual([await tokenLimit(jti), await tokenLimit(rotated.jti)], [5, 5]);
      const event = (await h().service.events(id)).at(-1);
      assert.deepEqual(
        { event: event?.event, actorRole: event?.actorRole, actor: event?.actor, at: event?.at.toISOString(), data: event?.data },
        { event: 'change_rate_limit', actorRole: 'instructor', actor: instructorAgent.email, at: clock.toISOString(), data: { from: null, to: 5, defaultPerSecond: 20, tokenJtis: [jti, rotated.jti].sort() } },
      );
      const shown = await page(instructor, base, `/instruction/habilitations/${id}?ok=debit`);
      assert.ok(shown.html.includes('Le débit maximal est modifié : les jetons actifs de l’habilitation l’appliquent dès maintenant.'));
      assert.ok(shown.html.includes('<strong id="debit-actuel">5 appels/s</strong>'));
      assert.ok(shown.html.includes(`Débit maximal modifié (20 appels/s (débit par défaut) → 5 appels/s) (instructeur, ${instructorAgent.email})`));
      assert.ok((await page(applicantClient, base, `/compte/habilitations/${id}`)).html.includes('Débit maximal modifié (20 appels/s (débit par défaut) → 5 appels/s) (instructeur)'));

      // Two seconds later — within the token cache's lifetime — the gateway already applies 5/s.
      rest();
      await burst(token, 5);
      assert.equal((await introspect(token)).rate_limit_per_second, 5);

      // The same value again changes nothing and logs nothing.
      const events2 = await eventCount(id);
      assert.equal((await change('5')).status, 303);
      assert.equal(await eventCount(id), events2);

      // A prolongation issues its token with the habilitation's limit.
      assert.equal((await change('7')).status, 303);
      const asked = await h().lifecycle.requestProlongation(id, applicant, { tokenJti: rotated.jti });
      assert.ok(asked.ok);
      const prolonged = await h().lifecycle.decideProlongation(asked.prolongationId, instructorActor, 'validate');
      assert.ok(prolonged.ok && prolonged.tokenJti !== undefined);
      assert.equal(await tokenLimit(prolonged.tokenJti), 7);

      // Empty: back to the service default, for every live token.
      assert.equal((await change('')).status, 303);
      assert.equal(await habilitationLimit(id), null);
      assert.deepEqual([await tokenLimit(jti), await tokenLimit(rotated.jti), await tokenLimit(prolonged.tokenJti)], [null, null, null]);
      assert.deepEqual((await h().service.events(id)).at(-1)?.data, { from: 7, to: null, defaultPerSecond: 20, tokenJtis: [jti, rotated.jti, prolonged.tokenJti].sort() });
      rest();
      const back = await call(token);
      assert.equal(back.status, 200);
      assert.equal(back.headers.get('ratelimit-limit'), '1200');
    });

    test('only on an approved habilitation: a submitted one answers 422 beside the field, an unknown one 404', async () => {
      const id = await submitted();
      const detail = await page(instructor, base, `/instruction/habilitations/${id}`);
      assert.ok(!detail.html.includes(`action="/instruction/habilitations/${id}/debit"`), 'no change form before approval');
      const events = await eventCount(id);
      const res = await instructor.go(`${base}/instruction/habilitations/${id}/debit`, { form: { _csrf: detail.csrf, rateLimitPerSecond: '50' } });
      assert.equal(res.status, 422);
      assert.ok((await res.text()).includes('<p id="champ-rateLimitPerSecond-erreur" class="fr-error-text">Action impossible sur une demande soumise.</p>'));
      assert.equal(await habilitationLimit(id), null);
      assert.equal(await eventCount(id), events);
      const unknown = await instructor.go(`${base}/instruction/habilitations/00000000-0000-4000-8000-000000000000/debit`, { form: { _csrf: detail.csrf, rateLimitPerSecond: '50' } });
      assert.equal(unknown.status, 404);
    });
  });
}
