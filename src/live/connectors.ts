/**
 * The live registry: one line per provider, like `src/providers/index.ts` for manifests. Each
 * provider's `live/` folder says which upstream each of its routes calls and how.
 */
import { antsLive } from '../providers/ants/live/upstream.ts';
import { cnamLive } from '../providers/cnam/live/upstream.ts';
import { cnousLive } from '../providers/cnous/live/upstream.ts';
import { dsnjLive } from '../providers/dsnj/live/upstream.ts';
import { dssLive } from '../providers/dss/live/upstream.ts';
import { franceTravailLive } from '../providers/france-travail/live/upstream.ts';
import { gipMdsLive } from '../providers/gip-mds/live/upstream.ts';
import { menLive } from '../providers/men/live/upstream.ts';
import { mesriLive } from '../providers/mesri/live/upstream.ts';
import { sdhLive } from '../providers/sdh/live/upstream.ts';
import type { LiveConfig } from './live-config.ts';
import type { LiveConnector } from './upstream-route.ts';

export function liveConnectors(config: Pick<LiveConfig, 'c2sRsaUpstream'>): LiveConnector[] {
  return [dssLive(config.c2sRsaUpstream), cnousLive, mesriLive, menLive, franceTravailLive, dsnjLive, gipMdsLive, sdhLive, antsLive, cnamLive];
}
