/**
 * The ANTS (Agence nationale des titres sécurisés) upstream, in the JSON convention of docs/adr/0082-upstream-json-convention.md:
 * resources and routes. The contract is documented in `UPSTREAM.md` beside this file; the simulator
 * (`simulators/`) serves the same resources.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { ants } from '../manifest.ts';

/** The upstream's resources and the gateway routes each one serves (identite first). */
export const antsResources: readonly JsonResource[] = [
  { path: '/v1/extraits-immatriculation', operationIds: ['api_particulier_v3_ants_extrait_immatriculation_vehicule_with_france_connect'] },
];

/** Every ants route on the `ants` upstream (`LIVE_ANTS_*`). */
export const antsLive: LiveConnector = { providerId: ants.id, routes: jsonRoutes(ants, 'ants', antsResources) };
