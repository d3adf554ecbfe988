/**
 * `/api/v2/composition-familiale` (CONTRACT §1.5): the CNAF family composition by claimant number
 * and postcode. It has no v3 successor, so it gets its own endpoint definition here — operationId
 * `api_particulier_v2_cnaf_quotient_familial`, the official v2 folder name — answered by the same
 * drivers as every route; its sandbox cases are in `src/v2/cases/` (docs/adr/0072-v2-composition-familiale.md).
 * Its `data` is already the v2 body, so the v2 mapping is the identity.
 */
import { Type } from 'typebox';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import type { V2Route } from '../v2-route.ts';

const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

const member = Type.Object({
  nomPrenom: Type.String({ description: 'Nom et prénoms, en capitales.', examples: ['LEROY CAMILLE ANNE'] }),
  dateDeNaissance: Type.String({ pattern: '^\\d{8}$', description: 'Date de naissance, JJMMAAAA.', examples: ['14031988'] }),
  sexe: Type.Unsafe<'F' | 'M'>({ type: 'string', enum: ['F', 'M'], examples: ['F'] }),
});

const data = Type.Object({
  allocataires: Type.Array(member, { description: 'Allocataires du foyer.' }),
  enfants: Type.Array(member, { description: 'Enfants à charge.' }),
  adresse: Type.Object({
    identite: Type.String({ examples: ['MADAME CAMILLE LEROY'] }),
    complementIdentite: nullableString("Complément d'identité."),
    complementIdentiteGeo: nullableString('Complément géographique.'),
    numeroRue: Type.String({ examples: ['18 RUE DES TISSERANDS'] }),
    lieuDit: nullableString('Lieu-dit.'),
    codePostalVille: Type.String({ examples: ['69007 LYON'] }),
    pays: Type.String({ examples: ['FRANCE'] }),
  }),
  quotientFamilial: Type.Integer({ description: 'Quotient familial du mois M-1.', examples: [868] }),
  annee: Type.Integer({ examples: [2026] }),
  mois: Type.Integer({ minimum: 1, maximum: 12, examples: [10] }),
});

const masking = {
  cnaf_quotient_familial: ['quotientFamilial', 'annee', 'mois'],
  cnaf_allocataires: ['allocataires'],
  cnaf_enfants: ['enfants'],
  cnaf_adresse: ['adresse'],
};

/** The provider call behind the route; not a public v3 route (it is never registered as one). */
export const compositionFamilialeEndpoint: EndpointDefinition = {
  operationId: 'api_particulier_v2_cnaf_quotient_familial',
  path: '/api/v2/composition-familiale',
  modality: 'identifiant',
  summary: 'Composition familiale CNAF (numéro allocataire)',
  description: 'Composition familiale et quotient familial du mois précédent, par numéro allocataire CNAF et code postal.',
  tag: 'API v2 (dépréciée)',
  deprecated: true,
  params: Type.Object({
    numeroAllocataire: Type.String({ pattern: '^[0-9]{1,7}$', description: 'Numéro allocataire CNAF (1 à 7 chiffres).', examples: ['0000354'] }),
    codePostal: Type.String({ pattern: '^[0-9]{5}$', description: "Code postal de l'allocataire.", examples: ['69007'] }),
  }),
  paramError: () => gatewayErrors.invalidParameter,
  data,
  masking,
  providerErrors: [],
};

export const compositionFamilialeV2Route: V2Route = {
  path: '/api/v2/composition-familiale',
  operationId: 'api_particulier_v2_cnaf_quotient_familial',
  summary: 'Composition familiale CNAF (numéro allocataire)',
  description:
    "Route v2 dépréciée, sans équivalent en v3 : la v3 identifie l'allocataire par son identité (/v3/dss/quotient_familial/identite) ou par FranceConnect. Jeton en `X-Api-Key`.",
  params: compositionFamilialeEndpoint.params,
  toV3: (params) => ({ endpoint: compositionFamilialeEndpoint, params: { numeroAllocataire: params.numeroAllocataire, codePostal: params.codePostal } }),
  toV2: (body) => body,
  masking,
  v2Names: { numeroAllocataire: 'numeroAllocataire', codePostal: 'codePostal' },
  successors: ['/v3/dss/quotient_familial/identite'],
};
