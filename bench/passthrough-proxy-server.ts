/**
 * The live benchmark's reference: a bare pass-through proxy on node:http and an undici Pool, the
 * least any gateway must do — take the request, send it upstream, stream the answer back. No
 * authentication, validation, mapping, masking or journal.
 *
 *   node --import tsx bench/passthrough-proxy-server.ts --upstream http://127.0.0.1:PORT
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { exitWithParent, rssMb, send, type ParentMessage } from './common.ts';

const started = performance.now();
const { values: args } = parseArgs({ options: { upstream: { type: 'string' } } });
if (args.upstream === undefined) throw new Error('--upstream is required');
const pool = new Pool(args.upstream, { connections: 64, pipelining: 1, keepAliveTimeout: 10_000 });
let httpRequests = 0;

const server = createServer((req, res) => {
  httpRequests += 1;
  pool
    .request({ method: 'GET', path: req.url ?? '/', headers: { authorization: req.headers.authorization ?? '', accept: 'application/json' } })
    .then(async (answer) => {
      res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
      for await (const chunk of answer.body) res.write(chunk);
      res.end();
    })
    .catch(() => {
      res.writeHead(502).end();
    });
});
server.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
exitWithParent();
process.on('message', (message: ParentMessage) => {
  if (message.type === 'stats') void send({ type: 'stats', httpRequests, rssMb: rssMb() });
  if (message.type === 'stop') {
    server.close();
    void pool.close().then(async () => {
      await send({ type: 'stopped', httpRequests, rssMb: rssMb() });
      process.exit(0);
    });
  }
});
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('unexpected listen address');
await send({ type: 'ready', port: address.port, startupMs: Math.round(performance.now() - started) });
