/**
 * The MEN "API scolarité de l'élève" as published (`shared/contract/upstreams/api-scolarite-eleve.yaml`):
 * `GET /eleve/informations-scolarite` by pupil identity, school (UAI) and school year. It knows one
 * school at a time: a search by perimeter (`degreEtablissement`, BCN departments or regions) cannot be
 * sent to it and is answered `30001` with a precise detail; the class (MEF) and the supervising
 * ministry it does not return are `null` (docs/adr/0084-men-upstream.md). Notes: `UPSTREAM.md`.
 */
import { Type } from 'typebox';
import type { QueryParams } from '../../../core/endpoint.ts';
import { listOf, textOf, type RouteAnswer, type UpstreamRoute } from '../../../live/upstream-route.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { menErrors } from '../errors.ts';
import { men } from '../manifest.ts';

/** `InformationsScolarite` (200). */
export const menAnswer = Type.Object({
  identification: Type.Object({
    nom: Type.String(),
    prenom: Type.String(),
    sexe: Type.Union([Type.Literal(1), Type.Literal(2)]),
    'date-naissance': Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    etablissement: Type.Object({ 'code-uai': Type.String({ pattern: '^\\d{7}\\w$' }) }),
    'annee-scolaire': Type.String({ pattern: '^\\d{4}$|^\\d{4}-\\d{4}$' }),
  }),
  'info-scolarite': Type.Object({
    'est-scolarise': Type.Boolean(),
    'statut-eleve': Type.Object({ code: Type.String(), libelle: Type.String() }),
  }),
  'info-bourse': Type.Optional(Type.Object({ 'est-boursier': Type.Optional(Type.Boolean()), 'niveau-bourse': Type.Optional(Type.Union([Type.Integer(), Type.Null()])) })),
});

/** `Erreur` (404 and others). */
export const menError = Type.Object({ type: Type.Optional(Type.String()), title: Type.Optional(Type.String()), status: Type.Optional(Type.String()) });

/** The fields the published upstream does not return (`null` in live answers). */
export const menNullFields = ['module_elementaire_formation.code_mef_stat', 'module_elementaire_formation.libelle', 'etablissement.code_ministere_tutelle'] as const;

/** `AAAA-AAAA` from the short form `AAAA` (the upstream accepts both; the route answers the long one). */
function longSchoolYear(year: string): string {
  return /^\d{4}$/.test(year) ? `${year}-${Number(year) + 1}` : year;
}

/** The published query of a search by UAI. */
export function menQuery(params: QueryParams): Record<string, string | undefined> {
  const pad = (value: unknown) => String(value ?? 1).padStart(2, '0');
  return {
    nom: textOf(params.nomNaissance),
    prenom: listOf(params['prenoms[]'] ?? params.prenoms)[0],
    sexe: textOf(params.sexeEtatCivil) === 'F' ? '2' : '1',
    'date-naissance': `${String(params.anneeDateNaissance)}-${pad(params.moisDateNaissance)}-${pad(params.jourDateNaissance)}`,
    'code-uai': textOf(params.codeEtablissement),
    'annee-scolaire': textOf(params.anneeScolaire),
  };
}

function mapAnswer(body: unknown): RouteAnswer {
  const answer = body as Static;
  const grant = answer['info-bourse'];
  const boursier = grant?.['est-boursier'] ?? null;
  const level = grant?.['niveau-bourse'] ?? null;
  if (level !== null && (level < 1 || level > 6)) return { kind: 'unexpected' };
  return {
    kind: 'data',
    data: {
      identite: {
        nom: answer.identification.nom,
        prenom: answer.identification.prenom,
        sexe: answer.identification.sexe === 2 ? 'F' : 'M',
        date_naissance: answer.identification['date-naissance'],
      },
      module_elementaire_formation: { code_mef_stat: null, libelle: null },
      etablissement: { code_uai: answer.identification.etablissement['code-uai'], code_ministere_tutelle: null },
      annee_scolaire: longSchoolYear(answer.identification['annee-scolaire']),
      est_scolarise: answer['info-scolarite']['est-scolarise'],
      statut_eleve: answer['info-scolarite']['statut-eleve'],
      est_boursier: boursier,
      echelon_bourse: boursier === true ? level : null,
    },
  };
}

type Static = {
  identification: { nom: string; prenom: string; sexe: 1 | 2; 'date-naissance': string; etablissement: { 'code-uai': string }; 'annee-scolaire': string };
  'info-scolarite': { 'est-scolarise': boolean; 'statut-eleve': { code: string; libelle: string } };
  'info-bourse'?: { 'est-boursier'?: boolean; 'niveau-bourse'?: number | null };
};

const route = (operationId: string): UpstreamRoute => ({
  operationId,
  request: (params) =>
    textOf(params.codeEtablissement) === undefined
      ? {
          kind: 'refused',
          error: menErrors.unavailable,
          detail: "La recherche par périmètre (degré, départements ou régions académiques) n'est pas proposée par le service du ministère : indiquez le code UAI de l'établissement (codeEtablissement).",
        }
      : { method: 'GET', path: '/eleve/informations-scolarite', query: menQuery(params) },
  answers: { 200: menAnswer, 404: menError },
  map: (status, body) => (status === 200 ? mapAnswer(body) : { kind: 'not_found' }),
});

/** Both MEN routes (v3, v4: identical) on the `men` upstream (`LIVE_MEN_*`). */
export const menLive: LiveConnector = { providerId: men.id, routes: men.endpoints.map((e) => ({ upstream: 'men', route: route(e.operationId) })) };
