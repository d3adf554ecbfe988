/**
 * The MEN "API scolarité de l'élève" simulator, as published: `GET /eleve/informations-scolarite`
 * by pupil identity (one first name), UAI and school year. Like the real service it matches the
 * first given name only.
 */
import type { SandboxCase } from '../../src/sandbox/case-file.ts';
import { failureOf, type Cast } from '../cast.ts';
import type { SimRequest, SimResponse } from '../upstream-simulator.ts';

const OPERATIONS = ['api_particulier_v3_men_scolarites_with_civility', 'api_particulier_v4_men_scolarites_with_civility'];

const notFound: SimResponse = { status: 404, body: { type: 'Resource non trouvée', title: "Une resource n'a pas été trouvée", detail: "L'élève n’a pas été trouvé.", status: 'NOT_FOUND' } };

export function menHandler(cast: Cast): (request: SimRequest) => SimResponse | { hang: true } {
  return (request) => {
    if (request.path !== '/eleve/informations-scolarite' || request.method !== 'GET') return notFound;
    const q = request.query;
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(q.get('date-naissance') ?? '');
    const required = ['nom', 'prenom', 'sexe', 'code-uai', 'annee-scolaire'];
    if (date === null || required.some((name) => !q.get(name))) {
      return { status: 400, body: { type: 'Requête incorrecte', title: "Un paramètre de requête obligatoire n'est pas présent", status: 'BAD_REQUEST' } };
    }
    const prenom = q.get('prenom') ?? '';
    const params = {
      nomNaissance: q.get('nom'),
      sexeEtatCivil: q.get('sexe') === '2' ? 'F' : 'M',
      anneeDateNaissance: Number(date[1]),
      moisDateNaissance: Number(date[2]),
      jourDateNaissance: Number(date[3]),
      codeEtablissement: q.get('code-uai'),
      anneeScolaire: q.get('annee-scolaire'),
    };
    // Only the first given name is sent: keep the cases whose first given name is this one, and ignore the others.
    const select = (cases: readonly SandboxCase[]) =>
      cases
        .filter((c) => [c.params.prenoms ?? c.params['prenoms[]']].flat()[0] === prenom)
        .map((c) => ({ ...c, params: Object.fromEntries(Object.entries(c.params).filter(([k]) => k !== 'prenoms' && k !== 'prenoms[]')) }));
    const answer = cast.lookUp(OPERATIONS, params, select);
    if (answer.kind === 'unknown' || (answer.kind === 'error' && answer.status === 404)) return notFound;
    if (answer.kind === 'error') {
      const failure = failureOf(answer);
      return failure.kind === 'hang' ? { hang: true } : { status: failure.status, body: { type: 'Erreur backend', title: 'Erreur', status: 'INTERNAL_SERVER_ERROR' } };
    }
    const d = answer.data as {
      identite: { nom: string; prenom: string; sexe: string; date_naissance: string };
      etablissement: { code_uai: string };
      annee_scolaire: string;
      est_scolarise: boolean;
      statut_eleve: { code: string; libelle: string };
      est_boursier: boolean | null;
      echelon_bourse: number | null;
    };
    return {
      status: 200,
      body: {
        identification: {
          nom: d.identite.nom,
          prenom: d.identite.prenom,
          sexe: d.identite.sexe === 'F' ? 2 : 1,
          'date-naissance': d.identite.date_naissance,
          etablissement: { 'code-uai': d.etablissement.code_uai },
          'annee-scolaire': d.annee_scolaire,
        },
        'info-scolarite': { 'est-scolarise': d.est_scolarise, 'statut-eleve': d.statut_eleve },
        'info-bourse': d.est_boursier === null ? {} : { 'est-boursier': d.est_boursier, 'niveau-bourse': d.echelon_bourse },
      },
    };
  };
}
