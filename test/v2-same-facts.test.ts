/**
 * Issue 8 acceptance test: for every v2 route, the v2 answer and the v3 answer about the same person
 * of the sandbox cast (docs/guides/sandbox-cast.md) carry the same facts — read from each body in its
 * own vocabulary and compared. `/api/v2/composition-familiale`, which has no v3 successor, is compared
 * with the v3 quotient familial of the same household. One route is also compared through
 * FranceConnect, and every v2 answer must carry the deprecation headers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { v2Routes } from '../src/v2/register-v2-routes.ts';
import { testApp, type TestApp } from './helpers/test-app.ts';

const CLOCK = new Date('2026-11-23T12:00:00Z');
const RECIPIENT = '13002526500013';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies read field by field below

interface Comparison {
  label: string;
  v2: string;
  v3: string;
  /** The facts of each answer, in a common vocabulary. */
  facts(v2: Body, v3data: Body): { v2: unknown; v3: unknown };
}

const q = (params: Record<string, string | string[]>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const item of ([] as string[]).concat(v)) s.append(k, item);
  return s.toString();
};

/** Camille LEROY in v2 Family A names and in v3 names. */
const CAMILLE_V2 = q({ nomNaissance: 'LEROY', 'prenoms[]': ['CAMILLE', 'ANNE'], anneeDateDeNaissance: '1988', moisDateDeNaissance: '3', jourDateDeNaissance: '14', sexe: 'F', codePaysLieuDeNaissance: '99100', codeInseeLieuDeNaissance: '69123' });
const CAMILLE_V3 = q({ nomNaissance: 'LEROY', 'prenoms[]': ['CAMILLE', 'ANNE'], anneeDateNaissance: '1988', moisDateNaissance: '3', jourDateNaissance: '14', sexeEtatCivil: 'F', codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '69123' });
const HUGO_V2 = q({ nomNaissance: 'PERRIN', 'prenoms[]': ['HUGO', 'MARCEL'], anneeDateDeNaissance: '1975', moisDateDeNaissance: '11', jourDateDeNaissance: '2', sexe: 'M', codePaysLieuDeNaissance: '99100', codeInseeLieuDeNaissance: '59350' });
const HUGO_V3 = q({ nomNaissance: 'PERRIN', 'prenoms[]': ['HUGO', 'MARCEL'], anneeDateNaissance: '1975', moisDateNaissance: '11', jourDateNaissance: '2', sexeEtatCivil: 'M', codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '59350' });
const SOPHIE_V2 = q({ nomNaissance: 'DUVAL', nomUsage: 'BERTIN', 'prenoms[]': ['SOPHIE', 'CLAIRE', 'MARIE'], anneeDateDeNaissance: '1979', moisDateDeNaissance: '9', jourDateDeNaissance: '3', sexe: 'F', codePaysLieuDeNaissance: '99100', codeInseeLieuDeNaissance: '31555' });
const SOPHIE_V3 = q({ nomNaissance: 'DUVAL', nomUsage: 'BERTIN', 'prenoms[]': ['SOPHIE', 'CLAIRE', 'MARIE'], anneeDateNaissance: '1979', moisDateNaissance: '9', jourDateNaissance: '3', sexeEtatCivil: 'F', codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '31555' });
const ELENA_V2 = q({ nomNaissance: 'MORENO', 'prenoms[]': ['ELENA'], anneeDateDeNaissance: '1992', moisDateDeNaissance: '5', jourDateDeNaissance: '9', sexe: 'F', codePaysLieuDeNaissance: '99134' });
const ELENA_V3 = q({ nomNaissance: 'MORENO', 'prenoms[]': ['ELENA'], anneeDateNaissance: '1992', moisDateNaissance: '5', jourDateNaissance: '9', sexeEtatCivil: 'F', codeCogInseePaysNaissance: '99134' });

const status = (d: Body): string => (d.est_beneficiaire === true ? 'beneficiaire' : 'non_beneficiaire');
const c2sStatus = (d: Body): string =>
  d.est_beneficiaire !== true ? 'non_beneficiaire_css' : d.avec_participation === true ? 'beneficiaire_avec_participation_financiere' : 'beneficiaire_sans_participation_financiere';
const person = (p: Body): string => `${p.nomNaissance ?? p.nom_naissance} ${p.prenoms} ${p.date_naissance ?? `${p.anneeDateDeNaissance}-${p.moisDateDeNaissance}-${p.jourDateDeNaissance}`} ${p.sexe}`;
const inscriptions = (list: Body[]): unknown => list.map((i) => [i.dateDebutInscription, i.dateFinInscription, i.statut, i.regime, i.codeCommune, i.etablissement.uai, i.etablissement.nom]);
const admissions = (list: Body[]): unknown =>
  list.map((a) => [a.date_debut, a.date_fin, a.est_inscrit ? 'inscrit' : 'admis', a.regime_formation.libelle, a.code_cog_insee_commune, a.etablissement_etudes.uai, a.etablissement_etudes.nom]);
const boursierV2 = (b: Body): unknown => [b.nom, [b.prenom, b.prenom2].filter((p: string) => p !== '').join(' '), b.dateNaissance, b.sexe, b.boursier, b.echelonBourse, b.email, b.dateDeRentree, b.dureeVersement, b.statut > 0, b.villeEtudes, b.etablissement];
const boursierV3 = (d: Body): unknown => [
  d.identite.nom,
  d.identite.prenoms.join(' '),
  d.identite.date_naissance,
  d.identite.sexe,
  d.statut_boursier.est_boursier,
  d.echelon_bourse.echelon,
  d.email,
  d.periode_versement_bourse.date_rentree,
  d.periode_versement_bourse.duree,
  d.echelon_bourse.echelon_bourse_regionale_provisoire,
  d.etablissement_etudes.nom_commune,
  d.etablissement_etudes.nom_etablissement,
];

const comparisons: Comparison[] = [
  ...[
    ['Camille (sans participation)', CAMILLE_V2, CAMILLE_V3],
    ['Hugo (avec participation)', HUGO_V2, HUGO_V3],
  ].map(([label, v2, v3]): Comparison => ({
    label: `C2S ${label}`,
    v2: `/api/v2/complementaire-sante-solidaire?${v2}`,
    v3: `/v3/dss/complementaire_sante_solidaire/identite?${v3}`,
    facts: (b, d) => ({ v2: [b.status, b.dateDebut], v3: [c2sStatus(d), d.date_debut_droit] }),
  })),
  { label: 'AAH Elena', v2: `/api/v2/allocation-adulte-handicape?${ELENA_V2}`, v3: `/v3/dss/allocation_adulte_handicape/identite?${ELENA_V3}`, facts: (b, d) => ({ v2: [b.status, b.dateDebut], v3: [status(d), d.date_debut_droit] }) },
  { label: 'ASF Sophie', v2: `/api/v2/allocation-soutien-familial?${SOPHIE_V2}`, v3: `/v3/dss/allocation_soutien_familial/identite?${SOPHIE_V3}`, facts: (b, d) => ({ v2: [b.status, b.dateDebut], v3: [status(d), d.date_debut_droit] }) },
  {
    label: 'Prime d’activité Sophie',
    v2: `/api/v2/prime-activite?${SOPHIE_V2}`,
    v3: `/v3/dss/prime_activite/identite?${SOPHIE_V3}`,
    facts: (b, d) => ({ v2: [b.status, b.majoration, b.dateDebut], v3: [status(d), d.avec_majoration, d.date_debut_droit] }),
  },
  {
    label: 'RSA Elena',
    v2: `/api/v2/revenu-solidarite-active?${ELENA_V2}`,
    v3: `/v3/dss/revenu_solidarite_active/identite?${ELENA_V3}`,
    facts: (b, d) => ({ v2: [b.status, b.majoration, b.dateDebut], v3: [status(d), d.avec_majoration, d.date_debut_droit] }),
  },
  {
    label: 'Quotient familial Camille',
    v2: `/api/v2/composition-familiale-v2?${CAMILLE_V2}`,
    v3: `/v3/dss/quotient_familial/identite?${CAMILLE_V3}`,
    facts: (b, d) => ({
      v2: [b.quotientFamilial, b.annee, b.mois, b.allocataires.map(person), b.enfants.map(person), b.adresse.identite, b.adresse.numeroLibelleVoie, b.adresse.codePostalVille],
      v3: [d.quotient_familial.valeur, d.quotient_familial.annee, d.quotient_familial.mois, d.allocataires.map(person), d.enfants.map(person), d.adresse.destinataire, d.adresse.numero_libelle_voie, d.adresse.code_postal_ville],
    }),
  },
  {
    label: 'Composition familiale (numéro allocataire) Camille, face au quotient familial v3 du même foyer',
    v2: '/api/v2/composition-familiale?numeroAllocataire=0123456&codePostal=69007',
    v3: `/v3/dss/quotient_familial/identite?${CAMILLE_V3}`,
    facts: (b, d) => ({
      v2: [b.quotientFamilial, b.allocataires.map((p: Body) => [p.nomPrenom, p.dateDeNaissance]), b.enfants.map((p: Body) => p.nomPrenom), b.adresse.identite, b.adresse.numeroRue, b.adresse.codePostalVille],
      v3: [
        d.quotient_familial.valeur,
        d.allocataires.map((p: Body) => [`${p.nom_naissance} ${p.prenoms}`, p.date_naissance.split('-').reverse().join('')]),
        d.enfants.map((p: Body) => `${p.nom_naissance} ${p.prenoms}`),
        d.adresse.destinataire,
        d.adresse.numero_libelle_voie,
        d.adresse.code_postal_ville,
      ],
    }),
  },
  {
    label: 'Scolarité Léo',
    v2: `/api/v2/scolarites?${q({ nom: 'PERRIN', prenom: 'LEO', sexe: 'M', dateNaissance: '2012-09-05', codeEtablissement: '0691234K', anneeScolaire: '2025' })}`,
    v3: `/v3/men/scolarites/identite?${q({ nomNaissance: 'PERRIN', 'prenoms[]': 'LEO', sexeEtatCivil: 'M', anneeDateNaissance: '2012', moisDateNaissance: '9', jourDateNaissance: '5', codeEtablissement: '0691234K', anneeScolaire: '2025' })}`,
    facts: (b, d) => ({ v2: [b.est_scolarise, b.est_boursier, b.niveau_bourse, b.status_eleve, b.code_etablissement], v3: [d.est_scolarise, d.est_boursier, d.echelon_bourse, d.statut_eleve, d.etablissement.code_uai] }),
  },
  ...['claire.roussel', 'marc.fontaine'].map(
    (id): Comparison => ({
      label: `Situation France Travail ${id}`,
      v2: `/api/v2/situations-pole-emploi?identifiant=${id}`,
      v3: `/v3/france_travail/statut/identifiant?identifiant=${id}`,
      facts: (b, d) => ({
        v2: [b.identifiant, b.civilite, b.nom, b.nomUsage, b.prenom, b.dateNaissance, b.email, b.telephone, b.adresse.INSEECommune, b.adresse.ligneVoie, b.dateInscription, b.dateCessationInscription, b.codeCategorieInscription],
        v3: [
          d.identifiant,
          d.identite.civilite,
          d.identite.nom_naissance,
          d.identite.nom_usage,
          d.identite.prenom,
          d.identite.date_naissance,
          d.contact.email,
          d.contact.telephone,
          d.adresse.code_cog_insee_commune,
          d.adresse.ligne_voie,
          d.inscription.date_debut,
          d.inscription.date_fin,
          d.inscription.categorie.code,
        ],
      }),
    }),
  ),
  {
    label: 'Paiements France Travail marc.fontaine',
    v2: '/api/v2/paiements-pole-emploi?identifiant=marc.fontaine',
    v3: '/v3/france_travail/indemnites/identifiant?identifiant=marc.fontaine',
    facts: (b, d) => ({
      v2: b.paiements.map((p: Body) => [p.date, p.montant, p.allocations, p.aides, p.autres]),
      v3: d.paiements.map((p: Body) => [p.date_versement, p.montant_total, p.montant_allocations, p.montant_aides, p.montant_autres]),
    }),
  },
  {
    label: 'Statut étudiant Emma (identité)',
    v2: `/api/v2/etudiants?${q({ nom: 'PERRIN', prenom: 'EMMA', dateDeNaissance: '2005-06-23', sexe: 'F', lieuDeNaissance: '59350' })}`,
    v3: `/v3/mesri/statut_etudiant/identite?${q({ nomNaissance: 'PERRIN', 'prenoms[]': 'EMMA', anneeDateNaissance: '2005', moisDateNaissance: '6', jourDateNaissance: '23', sexeEtatCivil: 'F', codeCogInseeCommuneNaissance: '59350' })}`,
    facts: (b, d) => ({ v2: [b.nom, b.prenom, b.dateNaissance, inscriptions(b.inscriptions)], v3: [d.identite.nom_naissance, d.identite.prenom, d.identite.date_naissance, admissions(d.admissions)] }),
  },
  {
    label: 'Statut étudiant Lucas (INE)',
    v2: '/api/v2/etudiants?ine=1203004567B',
    v3: '/v3/mesri/statut_etudiant/ine?ine=1203004567B',
    facts: (b, d) => ({ v2: [b.nom, b.prenom, inscriptions(b.inscriptions)], v3: [d.identite.nom_naissance, d.identite.prenom, admissions(d.admissions)] }),
  },
  {
    label: 'Étudiant boursier Emma (identité)',
    v2: `/api/v2/etudiants-boursiers?${q({ nom: 'PERRIN', prenoms: 'EMMA LOUISE', dateDeNaissance: '2005-06-23', sexe: 'F', lieuDeNaissance: '59350' })}`,
    v3: `/v4/cnous/etudiant_boursier/identite?${q({ nomNaissance: 'PERRIN', 'prenoms[]': ['EMMA', 'LOUISE'], anneeDateNaissance: '2005', moisDateNaissance: '6', jourDateNaissance: '23', sexeEtatCivil: 'F', codeCogInseeCommuneNaissance: '59350' })}`,
    facts: (b, d) => ({ v2: boursierV2(b), v3: boursierV3(d) }),
  },
  {
    label: 'Étudiant boursier Yanis (INE, bourse provisoire)',
    v2: '/api/v2/etudiants-boursiers?ine=240612345YB',
    v3: '/v4/cnous/etudiant_boursier/ine?ine=240612345YB',
    facts: (b, d) => ({ v2: boursierV2(b), v3: boursierV3(d) }),
  },
];

describe('v2 and v3 answers carry the same facts (issue 8)', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp({ overrides: { now: () => CLOCK } });
    token = await t.token({ allScopes: true, fcClientIds: ['sandbox-franceconnect-client'] });
  });
  after(async () => {
    await t.close();
  });

  test('every v2 route is compared at least once', () => {
    const compared = new Set(comparisons.map((c) => c.v2.split('?')[0]));
    for (const route of v2Routes) assert.ok(compared.has(route.path), `${route.path} has no comparison`);
  });

  for (const c of comparisons) {
    test(c.label, async () => {
      const v2 = await t.app.server.inject({ url: `${c.v2}&recipient=${RECIPIENT}`, headers: { 'x-api-key': token } });
      const v3 = await t.app.server.inject({ url: `${c.v3}&recipient=${RECIPIENT}`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(v2.statusCode, 200, v2.body);
      assert.equal(v3.statusCode, 200, v3.body);
      assert.match(String(v2.headers.deprecation), /^@\d+$/);
      assert.ok(v2.headers.sunset !== undefined && v2.headers.link !== undefined);
      assert.equal(v3.headers.deprecation, undefined, 'v3 answers are not deprecated');
      const facts = c.facts(v2.json(), v3.json().data);
      assert.deepEqual(facts.v2, facts.v3);
      // Not a vacuous comparison: the facts hold data.
      assert.ok(JSON.stringify(facts.v2).replace(/null|\[|\]|,|"/g, '').length > 0);
    });
  }

  test('FranceConnect: the same citizen token gives the same C2S facts on v2 and v3; v2 requires recipient', async () => {
    const headers = { authorization: 'Bearer camille_c2s' };
    const v2 = await t.app.server.inject({ url: `/api/v2/complementaire-sante-solidaire?recipient=${RECIPIENT}`, headers });
    const v3 = await t.app.server.inject({ url: `/v3/dss/complementaire_sante_solidaire/france_connect?recipient=${RECIPIENT}`, headers });
    assert.equal(v2.statusCode, 200, v2.body);
    assert.equal(v3.statusCode, 200, v3.body);
    assert.deepEqual([v2.json().status, v2.json().dateDebut], [c2sStatus(v3.json().data), v3.json().data.date_debut_droit]);
    const noRecipient = await t.app.server.inject({ url: '/api/v2/complementaire-sante-solidaire', headers });
    assert.equal(noRecipient.statusCode, 400);
    assert.equal(noRecipient.json().error, 'bad_request');
    assert.match(noRecipient.json().reason, /recipient/);
  });
});
