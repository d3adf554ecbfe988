/**
 * The Cnous (Centre national des œuvres universitaires et scolaires) upstream, in the JSON convention of docs/adr/0082-upstream-json-convention.md:
 * resources and routes. The contract is documented in `UPSTREAM.md` beside this file; the simulator
 * (`simulators/`) serves the same resources.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { cnous } from '../manifest.ts';

/** The upstream's resources and the gateway routes each one serves (identite first). */
export const cnousResources: readonly JsonResource[] = [
  { path: '/v1/etudiants-boursiers', operationIds: ['api_particulier_v3_cnous_etudiant_boursier_with_civility', 'api_particulier_v3_cnous_etudiant_boursier_with_france_connect', 'api_particulier_v3_cnous_etudiant_boursier_with_ine'] },
  { path: '/v2/etudiants-boursiers', operationIds: ['api_particulier_v4_cnous_etudiant_boursier_with_civility', 'api_particulier_v4_cnous_etudiant_boursier_with_france_connect', 'api_particulier_v4_cnous_etudiant_boursier_with_ine'] },
];

/** Every cnous route on the `cnous` upstream (`LIVE_CNOUS_*`). */
export const cnousLive: LiveConnector = { providerId: cnous.id, routes: jsonRoutes(cnous, 'cnous', cnousResources) };
