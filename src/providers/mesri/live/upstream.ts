/**
 * The MESR (ministère de l’Enseignement supérieur et de la Recherche) upstream, in the JSON convention of docs/adr/0082-upstream-json-convention.md:
 * resources and routes. The contract is documented in `UPSTREAM.md` beside this file; the simulator
 * (`simulators/`) serves the same resources.
 */
import type { JsonResource } from '../../../live/json-upstream.ts';
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { mesri } from '../manifest.ts';

/** The upstream's resources and the gateway routes each one serves (identite first). */
export const mesriResources: readonly JsonResource[] = [
  { path: '/v1/statuts-etudiants', operationIds: ['api_particulier_v3_mesri_statut_etudiant_with_civility', 'api_particulier_v3_mesri_statut_etudiant_with_france_connect', 'api_particulier_v3_mesri_statut_etudiant_with_ine'] },
];

/** Every mesri route on the `mesri` upstream (`LIVE_MESRI_*`). */
export const mesriLive: LiveConnector = { providerId: mesri.id, routes: jsonRoutes(mesri, 'mesri', mesriResources) };
