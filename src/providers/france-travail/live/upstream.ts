/**
 * The France Travail upstream, in the JSON convention of docs/adr/0082-upstream-json-convention.md:
 * resources and routes. The contract is documented in `UPSTREAM.md` beside this file; the simulator
 * (`simulators/`) serves the same resources.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { franceTravail } from '../manifest.ts';

/** The upstream's resources and the gateway routes each one serves (identite first). */
export const franceTravailResources: readonly JsonResource[] = [
  { path: '/v1/demandeurs-emploi/statut', operationIds: ['api_particulier_v3_france_travail_statut_with_identifiant'] },
  { path: '/v1/demandeurs-emploi/indemnites', operationIds: ['api_particulier_v3_france_travail_indemnites_with_identifiant'] },
];

/** Every franceTravail route on the `france_travail` upstream (`LIVE_FRANCE_TRAVAIL_*`). */
export const franceTravailLive: LiveConnector = { providerId: franceTravail.id, routes: jsonRoutes(franceTravail, 'france_travail', franceTravailResources) };
