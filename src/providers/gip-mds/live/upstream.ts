/**
 * The GIP-MDS (service civique) upstream, in the JSON convention of docs/adr/0082-upstream-json-convention.md:
 * resources and routes. The contract is documented in `UPSTREAM.md` beside this file; the simulator
 * (`simulators/`) serves the same resources.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { gipMds } from '../manifest.ts';
import { gipMdsErrors } from '../errors.ts';

/** The upstream's resources and the gateway routes each one serves (identite first). */
export const gipMdsResources: readonly JsonResource[] = [
  { path: '/v1/contrats-service-civique', operationIds: ['api_particulier_v3_gip_mds_service_civique_with_civility', 'api_particulier_v3_gip_mds_service_civique_with_france_connect'], severalMatches: gipMdsErrors.severalMatches },
];

/** Every gipMds route on the `gip_mds` upstream (`LIVE_GIP_MDS_*`). */
export const gipMdsLive: LiveConnector = { providerId: gipMds.id, routes: jsonRoutes(gipMds, 'gip_mds', gipMdsResources) };
