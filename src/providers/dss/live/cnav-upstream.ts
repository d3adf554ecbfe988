/**
 * The CNAV upstream of every DSS benefit (CAF and MSA data, RNCPS for the C2S), in the JSON
 * convention of docs/adr/0082-upstream-json-convention.md. One resource per benefit; the 404 motif
 * says which fund does not know the person, so the route answers the precise code the contract
 * lists (CONTRACT §4.3, docs/adr/0011-dss-not-found-codes.md). Contract: `UPSTREAM.md`.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { dssErrors } from '../errors.ts';

const cafMsa = { ABSENT_MSA: dssErrors.msaNotFound, ABSENT_CAF: dssErrors.cnafNotFound, NON_REFERENCE: dssErrors.notReferenced };

const benefit = (path: string, name: string, notFoundMotifs: JsonResource['notFoundMotifs']): JsonResource => ({
  path,
  operationIds: [`api_particulier_v3_cnav_${name}_with_civility`, `api_particulier_v3_cnav_${name}_with_france_connect`],
  notFoundMotifs,
  // Without a motif, neither fund is said to know the person: "Allocataire non référencé" where the route has it.
  ...(notFoundMotifs === cafMsa ? { defaultNotFound: dssErrors.notReferenced } : {}),
});

/** The CNAV resources, by benefit. */
export const cnavResources: readonly JsonResource[] = [
  benefit('/v1/quotient-familial', 'quotient_familial', cafMsa),
  benefit('/v1/complementaire-sante-solidaire', 'complementaire_sante_solidaire', { ABSENT_RNCPS: dssErrors.c2sNotFound }),
  benefit('/v1/allocation-adulte-handicape', 'allocation_adulte_handicape', cafMsa),
  benefit('/v1/allocation-enfant-handicape', 'allocation_enfant_handicape', cafMsa),
  benefit('/v1/allocation-soutien-familial', 'allocation_soutien_familial', cafMsa),
  benefit('/v1/prime-activite', 'prime_activite', cafMsa),
  benefit('/v1/revenu-solidarite-active', 'revenu_solidarite_active', cafMsa),
  benefit('/v1/participation-familiale-eaje', 'participation_familiale_eaje', { DOSSIER_INEXISTANT: dssErrors.eajeNotFound }),
];
