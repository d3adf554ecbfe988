/**
 * The CNAM (Caisse nationale de l’Assurance Maladie) upstream, in the JSON convention of docs/adr/0082-upstream-json-convention.md:
 * resources and routes. The contract is documented in `UPSTREAM.md` beside this file; the simulator
 * (`simulators/`) serves the same resources.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { cnam } from '../manifest.ts';
import { cnamErrors } from '../errors.ts';

/** The upstream's resources and the gateway routes each one serves (identite first). */
export const cnamResources: readonly JsonResource[] = [
  { path: '/v1/droits-assurance-maladie', operationIds: ['api_particulier_v3_cnam_droits_assurance_maladie_with_france_connect'], notFoundMotifs: { NON_TROUVE: cnamErrors.notFound, AUTRE_REGIME: cnamErrors.otherRegime } },
];

/** Every cnam route on the `cnam` upstream (`LIVE_CNAM_*`). */
export const cnamLive: LiveConnector = { providerId: cnam.id, routes: jsonRoutes(cnam, 'cnam', cnamResources) };
