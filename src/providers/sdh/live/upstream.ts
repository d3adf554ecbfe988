/**
 * The SDH (sportifs de haut niveau, ministère des Sports) upstream, in the JSON convention of docs/adr/0082-upstream-json-convention.md:
 * resources and routes. The contract is documented in `UPSTREAM.md` beside this file; the simulator
 * (`simulators/`) serves the same resources.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { sdh } from '../manifest.ts';

/** The upstream's resources and the gateway routes each one serves (identite first). */
export const sdhResources: readonly JsonResource[] = [
  { path: '/v1/sportifs', operationIds: ['api_particulier_v3_sdh_statut_sportif_with_identifiant'] },
];

/** Every sdh route on the `sdh` upstream (`LIVE_SDH_*`). */
export const sdhLive: LiveConnector = { providerId: sdh.id, routes: jsonRoutes(sdh, 'sdh', sdhResources) };
