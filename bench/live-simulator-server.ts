/**
 * The upstream of the live benchmark: the Cnous simulator (`simulators/`) answering at once (no
 * fault, no latency), with OAuth2 tokens that outlive the run. Prints its URL and credentials to
 * the runner over IPC only.
 */
import { Cast } from '../simulators/cast.ts';
import { jsonUpstreamHandler } from '../simulators/upstreams/json-upstream-handler.ts';
import { startSimulator } from '../simulators/upstream-simulator.ts';
import { cnousResources } from '../src/providers/cnous/live/upstream.ts';
import { exitWithParent, rssMb, send, type ParentMessage } from './common.ts';

const started = performance.now();
const clientSecret = `bench-${process.pid}-${Date.now()}`;
const simulator = await startSimulator({
  name: 'cnous',
  auth: { kind: 'oauth2', clientId: 'bench', clientSecret, tokenTtlSeconds: 3600 },
  handler: jsonUpstreamHandler(await Cast.load(), cnousResources),
});
exitWithParent();

process.on('message', (message: ParentMessage) => {
  if (message.type === 'stats') void send({ type: 'stats', httpRequests: simulator.stats.requests, rssMb: rssMb() });
  if (message.type === 'stop') {
    void simulator.close().then(async () => {
      await send({ type: 'stopped', httpRequests: simulator.stats.requests, rssMb: rssMb() });
      process.exit(0);
    });
  }
});

const port = Number(new URL(simulator.url).port);
// The secret travels in `tokensFile`'s place: the runner is the only reader of this IPC channel.
await send({ type: 'ready', port, tokensFile: clientSecret, startupMs: Math.round(performance.now() - started) });
