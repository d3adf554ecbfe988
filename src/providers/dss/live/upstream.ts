/**
 * The DSS provider's live routes: every benefit on the CNAV upstream, or — by configuration
 * (`LIVE_DSS_C2S_RSA_UPSTREAM=prestations`) — the C2S and RSA routes on the DSS "API des prestations".
 */
import { jsonRoutes } from '../../../live/json-upstream.ts';
import type { LiveConnector } from '../../../live/upstream-route.ts';
import { dss } from '../manifest.ts';
import { cnavResources } from './cnav-upstream.ts';
import { prestationsRoutes } from './prestations-upstream.ts';

export function dssLive(c2sRsaUpstream: 'cnav' | 'prestations'): LiveConnector {
  const cnav = jsonRoutes(dss, 'dss', cnavResources);
  if (c2sRsaUpstream === 'cnav') return { providerId: dss.id, routes: cnav };
  const moved = new Set(prestationsRoutes.map((r) => r.operationId));
  return {
    providerId: dss.id,
    routes: [...cnav.filter((r) => !moved.has(r.route.operationId)), ...prestationsRoutes.map((route) => ({ upstream: 'dss_prestations', route }))],
  };
}
