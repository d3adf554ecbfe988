/**
 * One upstream simulator (dev and test only): an HTTP (or mTLS) server on loopback that
 * authenticates the gateway as the real upstream would (OAuth2 client credentials with short-lived
 * tokens, an API key, or a client certificate), applies injected faults, then hands the request to
 * the upstream's handler, which answers from the sandbox's synthetic cast.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Faults, type Fault, type FaultConfig } from './faults.ts';

/** What a handler sees of a request. */
export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface SimResponse {
  status: number;
  body?: unknown;
}

export type SimAuth =
  | { kind: 'none' }
  | { kind: 'api_key'; key: string }
  | { kind: 'oauth2'; clientId: string; clientSecret: string; tokenTtlSeconds: number }
  /** Client certificate signed by `tls.ca` required (the TLS layer refuses any other). */
  | { kind: 'mtls' };

export interface SimulatorOptions {
  name: string;
  auth: SimAuth;
  /** HTTPS with these PEMs; with `auth.kind === 'mtls'` the client certificate is required. */
  tls?: { cert: Buffer; key: Buffer; ca: Buffer };
  faults?: FaultConfig;
  /** Where `timeout` faults give up holding the request. */
  holdMs?: number;
  port?: number;
  /** `{hang: true}`: hold the request like a `timeout` fault (the cast's time-outs). */
  handler(request: SimRequest): SimResponse | { hang: true } | Promise<SimResponse | { hang: true }>;
}

export interface SimulatorStats {
  requests: number;
  tokensIssued: number;
  /** Calls refused for a missing, unknown or expired token or key. */
  unauthorized: number;
}

export interface RunningSimulator {
  name: string;
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  /** OAuth2 token endpoint, for OAuth2 simulators. */
  tokenUrl: string | undefined;
  faults: Faults;
  stats: SimulatorStats;
  close(): Promise<void>;
}

export const TOKEN_PATH = '/oauth/token';
const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown, raw = false): void {
  const text = raw ? String(body) : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a simulator on 127.0.0.1 (a random port unless `port` is given). */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const faults = new Faults(options.faults);
  const stats: SimulatorStats = { requests: 0, tokensIssued: 0, unauthorized: 0 };
  const tokens = new Map<string, number>();
  const sockets = new Set<Socket>();
  const held = new Set<NodeJS.Timeout>();
  const holdMs = options.holdMs ?? 60_000;

  const issueToken = async (req: IncomingMessage, res: ServerResponse, auth: Extract<SimAuth, { kind: 'oauth2' }>) => {
    const form = new URLSearchParams(await readBody(req));
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic === undefined ? [form.get('client_id') ?? '', form.get('client_secret') ?? ''] : Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent);
    if (form.get('grant_type') !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type' });
    if (!sameSecret(id ?? '', auth.clientId) || !sameSecret(secret ?? '', auth.clientSecret)) return send(res, 401, { error: 'invalid_client' });
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + auth.tokenTtlSeconds * 1000);
    stats.tokensIssued += 1;
    send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: auth.tokenTtlSeconds });
  };

  const authorised = (req: IncomingMessage): boolean => {
    const { auth } = options;
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (auth.kind === 'api_key') return sameSecret(bearer, auth.key);
    if (auth.kind === 'oauth2') {
      const expiresAt = tokens.get(bearer);
      if (expiresAt === undefined) return false;
      if (Date.now() >= expiresAt) {
        tokens.delete(bearer);
        return false;
      }
    }
    return true;
  };

  const applyFaults = async (faults: Fault[], res: ServerResponse, req: IncomingMessage): Promise<'answered' | 'continue'> => {
    for (const fault of faults) {
      switch (fault.kind) {
        case 'latency':
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, fault.ms);
            held.add(timer);
            timer.unref?.();
          });
          break;
        case 'timeout': {
          const timer = setTimeout(() => send(res, 504, { error: 'held too long' }), holdMs);
          held.add(timer);
          req.socket.once('close', () => clearTimeout(timer));
          return 'answered';
        }
        case 'reset':
          req.socket.destroy();
          return 'answered';
        case 'status':
          send(res, fault.status, { error: 'fault injected' });
          return 'answered';
        case 'throttle':
          send(res, 429, { error: 'too many requests' });
          return 'answered';
        case 'malformed':
          send(res, 200, '{"resultat": {"est_benef', true);
          return 'answered';
        case 'invalid':
          send(res, 200, { unexpected: true, code: 'not a contract answer' });
          return 'answered';
      }
    }
    return 'continue';
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    stats.requests += 1;
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://simulator');
        if (options.auth.kind === 'oauth2' && url.pathname === TOKEN_PATH && req.method === 'POST') return await issueToken(req, res, options.auth);
        const drawn = faults.draw(typeof req.headers['x-simulator-fault'] === 'string' ? req.headers['x-simulator-fault'] : undefined);
        if (drawn.unknown.length > 0) return send(res, 400, { error: `unknown X-Simulator-Fault: ${drawn.unknown.join(', ')}` });
        if (!authorised(req)) {
          stats.unauthorized += 1;
          return send(res, options.auth.kind === 'api_key' ? 403 : 401, { error: 'unauthorized' });
        }
        if ((await applyFaults(drawn.faults, res, req)) === 'answered') return;
        const text = await readBody(req);
        let body: unknown;
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            return send(res, 400, { error: 'body is not JSON' });
          }
        }
        const answer = await options.handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
        if ('hang' in answer) {
          await applyFaults([{ kind: 'timeout' }], res, req);
          return;
        }
        send(res, answer.status, answer.body ?? {});
      } catch {
        if (!res.headersSent) send(res, 500, { error: 'simulator error' });
      }
    })();
  };

  let server: Server;
  if (options.tls !== undefined) {
    server = createHttpsServer(
      { cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca, requestCert: options.auth.kind === 'mtls', rejectUnauthorized: options.auth.kind === 'mtls' },
      listener,
    );
  } else {
    server = createHttpServer(listener);
  }
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    name: options.name,
    url,
    tokenUrl: options.auth.kind === 'oauth2' ? url + TOKEN_PATH : undefined,
    faults,
    stats,
    close: async () => {
      for (const timer of held) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
