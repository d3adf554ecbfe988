/**
 * MEN scolarités in live mode: what the published "API scolarité de l'élève" cannot serve (issue 4
 * leftover 3; docs/adr/0084-men-upstream.md §1, docs/adr/0087-men-unserved-params.md). It searches
 * one school (UAI) at a time: a search by perimeter — BCN departments or academic regions, with or
 * without a degree — is answered at once 504 `30001` with a detail telling the caller to give the
 * UAI, without calling the ministry, and journaled; a degree given with a UAI is not sent (the
 * school has one degree) and changes nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveRig, RECIPIENT, type LiveRig } from './helpers/live-apps.ts';

const LEO = `recipient=${RECIPIENT}&nomNaissance=PERRIN&prenoms[]=LEO&sexeEtatCivil=M&anneeDateNaissance=2012&moisDateNaissance=9&jourDateNaissance=5&anneeScolaire=2025-2026`;
const NATHAN = `recipient=${RECIPIENT}&nomNaissance=FONTAINE&prenoms[]=NATHAN&sexeEtatCivil=M&anneeDateNaissance=2009&moisDateNaissance=5&jourDateNaissance=17&anneeScolaire=2025-2026`;
const PERIMETER_DETAIL =
  "La recherche par périmètre (degré, départements ou régions académiques) n'est pas proposée par le service du ministère : indiquez le code UAI de l'établissement (codeEtablissement).";

let rig: LiveRig;

before(async () => {
  rig = await liveRig({ gateway: { retries: 0 } });
});

after(async () => {
  await rig?.close();
});

async function ask(url: string, requestId: string) {
  const res = await rig.live.app.server.inject({ url, headers: { authorization: `Bearer ${rig.token}`, 'x-request-id': requestId } });
  return { status: res.statusCode, body: res.json() as unknown };
}

/** Data requests the MEN simulator received (its OAuth2 token fetches aside). */
function menRequests(): number {
  const men = rig.sims.simulators.get('men');
  assert.ok(men !== undefined);
  return men.stats.requests - men.stats.tokensIssued;
}

describe('a search by perimeter is refused with a coded, documented error', () => {
  const cases = [
    { label: 'v3, BCN departments', url: `/v3/men/scolarites/identite?${LEO}&codesBcnDepartements[]=069`, route: '/v3/men/scolarites/identite' },
    { label: 'v3, BCN departments and a degree', url: `/v3/men/scolarites/identite?${LEO}&codesBcnDepartements[]=069&codesBcnDepartements[]=001&degreEtablissement=2D`, route: '/v3/men/scolarites/identite' },
    { label: 'v4, BCN academic regions', url: `/v4/men/scolarites/identite?${NATHAN}&codesBcnRegions[]=75`, route: '/v4/men/scolarites/identite' },
  ];
  for (const [i, { label, url, route }] of cases.entries()) {
    test(`${label} → 504 30001 at once, the ministry is not called, the call is journaled`, async () => {
      const before = menRequests();
      const requestId = `men-perimeter-${i}`;
      const got = await ask(url, requestId);
      assert.equal(got.status, 504);
      assert.deepEqual(got.body, { errors: [{ code: '30001', title: 'Service non disponible', detail: PERIMETER_DETAIL, source: null, meta: { provider: 'MEN' } }] });
      assert.equal(menRequests(), before);
      await rig.live.app.services.journal.drain();
      const row = await rig.live.database.db.selectFrom('access_journal').select(['route', 'status', 'error_code', 'recipient']).where('request_id', '=', requestId).executeTakeFirst();
      assert.deepEqual(row, { route, status: 504, error_code: '30001', recipient: RECIPIENT });
    });
  }

  test('the refusal does not count against the ministry’s breaker or success rate', () => {
    const health = rig.live.app.services.liveHealth().find((h) => h.provider === 'men');
    assert.equal(health?.breaker, 'closed');
    assert.equal(health?.calls, 0);
  });
});

describe('a search by UAI is served', () => {
  test('a degree given with the UAI is not sent and changes nothing', async () => {
    const before = menRequests();
    const plain = await ask(`/v3/men/scolarites/identite?${NATHAN}&codeEtablissement=0331234M`, 'men-uai-plain');
    const withDegree = await ask(`/v3/men/scolarites/identite?${NATHAN}&codeEtablissement=0331234M&degreEtablissement=2D`, 'men-uai-degree');
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.deepEqual(withDegree, plain);
    assert.equal(menRequests(), before + 2);
    const data = (plain.body as { data: { etablissement: unknown; est_boursier: unknown; echelon_bourse: unknown } }).data;
    assert.deepEqual(data.etablissement, { code_uai: '0331234M', code_ministere_tutelle: null });
    assert.deepEqual([data.est_boursier, data.echelon_bourse], [true, 4]);
  });
});
