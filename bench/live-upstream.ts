/**
 * The upstream of the live-mode runs (`--live`, `--scale`): the Cnous simulator answering at once,
 * an OAuth2 access token to call it directly or through a plain proxy, and the gateway's live-mode
 * environment pointing every upstream at it. The route is Cnous `/ine` (no response cache, so every
 * call reaches the upstream).
 */
import { writeFileSync } from 'node:fs';
import { request } from 'undici';
import { UPSTREAM_KEYS } from '../src/live/live-config.ts';
import type { BenchChild, ChildGroup } from './harness.ts';

export const INE = '0905012345A';
export const GATEWAY_PATH = `/v3/cnous/etudiant_boursier/ine?recipient=13002526500013&ine=${INE}`;
export const UPSTREAM_PATH = `/v1/etudiants-boursiers?ine=${INE}`;

export interface LiveUpstream {
  simulator: BenchChild;
  origin: string;
  /** The OAuth2 client secret the gateway uses. */
  secret: string;
  /** A bearer token accepted by the simulator, for direct and plain-proxy calls. */
  accessToken: string;
}

/** Starts the simulator on `cpu` and fetches an access token from it. */
export async function startLiveUpstream(group: ChildGroup, cpu: string): Promise<LiveUpstream> {
  const simulator = await group.start('live-simulator-server.ts', [], cpu);
  const origin = `http://127.0.0.1:${simulator.ready.port}`;
  const secret = simulator.ready.tokensFile ?? '';
  const answer = await request(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`bench:${secret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  const accessToken = ((await answer.body.json()) as { access_token: string }).access_token;
  return { simulator, origin, secret, accessToken };
}

/**
 * Writes the `--live-env` file of bench/gateway-server.ts: live mode, every upstream pointing at the
 * simulator with OAuth2 like the real Cnous. The gateway's own limits stay on but never refuse this load.
 */
export function writeLiveEnv(file: string, upstream: LiveUpstream): void {
  const env = ['MODE=live', 'RATE_LIMIT_IP_PER_SECOND=100000', 'RATE_LIMIT_IP_BURST=1000000'];
  for (const key of UPSTREAM_KEYS) {
    const p = `LIVE_${key.toUpperCase()}_`;
    env.push(`${p}URL=${upstream.origin}`, `${p}AUTH=oauth2`, `${p}TOKEN_URL=${upstream.origin}/oauth/token`, `${p}CLIENT_ID=bench`, `${p}CLIENT_SECRET=${upstream.secret}`, `${p}CONCURRENCY=256`);
  }
  writeFileSync(file, `${env.join('\n')}\n`, { mode: 0o600 });
}
