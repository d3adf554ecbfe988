/**
 * The reference: a bare fastify 5 route on the gateway's path, answering the same 200 JSON body
 * with no authentication, validation, driver or journal. Same logger-off setting as the gateway's
 * default bench run, same loopback listener.
 */
import Fastify from 'fastify';
import { BARE_BODY, ROUTE_PATH, exitWithParent, rssMb, send, type ParentMessage } from './common.ts';

const started = performance.now();
const server = Fastify({ logger: false });
let httpRequests = 0;

// Returned as an object so that fastify serialises it (JSON.stringify), as the gateway does.
server.get(ROUTE_PATH, async () => BARE_BODY);

await server.listen({ port: 0, host: '127.0.0.1' });
server.server.on('request', () => {
  httpRequests += 1;
});
const address = server.server.address();
if (address === null || typeof address === 'string') throw new Error('unexpected listen address');
exitWithParent();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(2), 10_000).unref();
  await server.close();
  await send({ type: 'stopped', httpRequests, rssMb: rssMb() });
  process.exit(0);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'stats') void send({ type: 'stats', httpRequests, rssMb: rssMb() });
  if (message.type === 'stop') void stop();
});
process.on('SIGTERM', () => void stop());

await send({ type: 'ready', port: address.port, startupMs: Math.round(performance.now() - started) });
