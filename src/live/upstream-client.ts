/**
 * The client of one upstream (issue 4 item 1): an undici Pool, the upstream's authentication (API
 * key, OAuth2 client credentials, mTLS), a time budget per call, a concurrency budget, retries of
 * idempotent reads inside the budget, a circuit breaker, and rolling health. It knows nothing of
 * any provider's formats: a route mapping (`upstream-route.ts`) interprets the answer, and every
 * failure comes back as data (`UpstreamFailure`), never as an exception or an upstream message.
 */
import { readFileSync } from 'node:fs';
import { Pool, type Dispatcher } from 'undici';
import { CircuitBreaker } from './circuit-breaker.ts';
import { ConcurrencyBudget } from './concurrency-budget.ts';
import type { UpstreamConfig } from './live-config.ts';
import { OAuth2TokenSource, TokenFetchError } from './oauth2-token-source.ts';
import { RollingWindow, type ProviderHealth } from './provider-health.ts';
import { upstreamLookup } from './upstream-lookup.ts';

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Path under the upstream's base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | readonly string[] | undefined>;
  /** JSON body (POST). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Why a call failed, in the terms of CONTRACT §4.3 (`live-errors.ts` turns it into the provider's code). */
export type UpstreamFailureKind =
  | 'timeout'
  | 'dns'
  | 'network'
  | 'throttled'
  | 'server'
  | 'malformed'
  | 'rejected'
  | 'breaker_open'
  | 'saturated';

export interface UpstreamFailure {
  kind: 'failure';
  failure: UpstreamFailureKind;
  /** When the caller may try again (breaker open, budget full). */
  retryInMs?: number;
}

/** What the route mapping made of an answer: its result, or `malformed` (PP999). */
export type Interpretation<T> = { ok: T } | 'malformed';

export interface UpstreamClientOptions {
  /** Name in health reports (the configuration key, e.g. `dss_prestations`). */
  name: string;
  config: UpstreamConfig;
  now?: () => number;
  /** Extra connect options (tests). */
  connect?: Record<string, unknown>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const RETRYABLE_STATUSES = new Set([502, 503]);

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Sorts a transport error into the contract's failure kinds. */
export function classifyError(error: unknown, timedOut: boolean): UpstreamFailureKind {
  if (timedOut) return 'timeout';
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current.name === 'AbortError' || current.name === 'TimeoutError') codes.push('ABORT');
    current = (current as { cause?: unknown }).cause;
  }
  if (codes.some((c) => DNS_CODES.has(c))) return 'dns';
  if (codes.some((c) => TIMEOUT_CODES.has(c) || c === 'ABORT')) return 'timeout';
  return 'network';
}

export class UpstreamClient {
  readonly name: string;
  readonly #config: UpstreamConfig;
  readonly #pool: Pool;
  readonly #tokenPool: Pool | undefined;
  readonly #basePath: string;
  readonly #origin: string;
  readonly #tokens: OAuth2TokenSource | undefined;
  readonly #breaker: CircuitBreaker;
  readonly #budget: ConcurrencyBudget;
  readonly #window: RollingWindow;
  readonly #staticHeaders: Record<string, string>;

  constructor(options: UpstreamClientOptions) {
    const { config } = options;
    this.name = options.name;
    this.#config = config;
    const base = new URL(config.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    const connect = {
      timeout: config.timeoutMs,
      lookup: upstreamLookup,
      ...(config.tls.certFile ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile ?? '') } : {}),
      ...(config.tls.caFile ? { ca: readFileSync(config.tls.caFile) } : {}),
      ...options.connect,
    };
    // undici refuses a body over the cap itself (UND_ERR_RES_EXCEEDED_MAX_SIZE → malformed).
    const poolOptions = { connections: config.concurrency, pipelining: 1, keepAliveTimeout: 10_000, maxResponseSize: MAX_BODY_BYTES, connect };
    this.#pool = new Pool(this.#origin, poolOptions);
    const now = options.now ?? (() => performance.now());
    this.#breaker = new CircuitBreaker({ ...config.breaker, now });
    this.#budget = new ConcurrencyBudget(config.concurrency);
    this.#window = new RollingWindow();
    this.#staticHeaders = { accept: 'application/json' };
    const { auth } = config;
    if (auth.kind === 'api_key') {
      if (auth.header === undefined) this.#staticHeaders.authorization = `Bearer ${auth.key}`;
      else this.#staticHeaders[auth.header] = auth.key;
    }
    if (auth.kind === 'oauth2') {
      const tokenOrigin = new URL(auth.tokenUrl).origin;
      this.#tokenPool = tokenOrigin === this.#origin ? undefined : new Pool(tokenOrigin, { ...poolOptions, connections: 2 });
      this.#tokens = new OAuth2TokenSource({ ...auth, dispatcher: this.#tokenPool ?? this.#pool, refreshBeforeMs: Math.min(30_000, config.timeoutMs * 2) });
    }
  }

  /** Tokens fetched so far (OAuth2 upstreams): tests prove renewal, operators see churn. */
  get tokenFetches(): number {
    return this.#tokens?.fetches ?? 0;
  }

  health(): ProviderHealth {
    const summary = this.#window.summary();
    return {
      provider: this.name,
      breaker: this.#breaker.state,
      calls: summary.calls,
      successRate: summary.successRate,
      latencyMs: { p50: summary.p50, p95: summary.p95 },
      inFlight: this.#budget.inFlight,
    };
  }

  /**
   * Makes one gateway call to the upstream: at most `1 + retries` attempts for a GET, one for a
   * POST, all inside the time budget. `interpret` reads a 2xx/4xx answer (401, 403 and 429 excepted).
   */
  async call<T>(
    request: UpstreamRequest,
    options: { requestId: string; signal?: AbortSignal },
    interpret: (status: number, body: unknown) => Interpretation<T>,
  ): Promise<{ kind: 'answer'; value: T } | UpstreamFailure> {
    const release = this.#budget.tryAcquire();
    if (release === undefined) return { kind: 'failure', failure: 'saturated', retryInMs: 1_000 };
    const permit = this.#breaker.permit();
    if (!permit.allowed) {
      release();
      return { kind: 'failure', failure: 'breaker_open', retryInMs: permit.retryInMs };
    }
    const started = performance.now();
    // The budget is a deadline: each attempt gets what is left as undici's header and body
    // time-outs (no timer or AbortController per call: they cost more than the rest of the client).
    const deadline = started + this.#config.timeoutMs;
    let outcome: { kind: 'answer'; value: T } | UpstreamFailure;
    try {
      outcome = await this.#attempts(request, options.requestId, deadline, options.signal, interpret);
    } finally {
      release();
    }
    const latency = performance.now() - started;
    if (outcome.kind === 'answer') {
      this.#breaker.success();
      this.#window.record(true, latency);
    } else if (outcome.failure === 'throttled' || outcome.failure === 'rejected') {
      // The upstream is up: it refused us. Not a reason to stop calling it for everyone.
      this.#breaker.neutral();
      this.#window.record(false, latency);
    } else {
      this.#breaker.failure();
      this.#window.record(false, latency);
    }
    return outcome;
  }

  async #attempts<T>(
    request: UpstreamRequest,
    requestId: string,
    deadline: number,
    signal: AbortSignal | undefined,
    interpret: (status: number, body: unknown) => Interpretation<T>,
  ): Promise<{ kind: 'answer'; value: T } | UpstreamFailure> {
    const expired = () => performance.now() >= deadline - 1 || signal?.aborted === true;
    const idempotent = request.method === 'GET';
    let retriesLeft = idempotent ? this.#config.retries : 0;
    let tokenRetried = false;
    for (;;) {
      let token: string | undefined;
      try {
        token = this.#tokens === undefined ? undefined : (this.#tokens.current() ?? (await this.#tokens.token(Math.max(1, Math.ceil(deadline - performance.now())))));
      } catch (error) {
        if (error instanceof TokenFetchError) return { kind: 'failure', failure: error.reason === 'network' ? classifyError(error.cause, expired()) : 'rejected' };
        return { kind: 'failure', failure: classifyError(error, expired()) };
      }
      let status: number;
      let text: string;
      try {
        const left = Math.max(1, Math.floor(deadline - performance.now()));
        const response = await this.#pool.request(this.#dispatchOptions(request, requestId, token, left, signal));
        status = response.statusCode;
        text = await response.body.text();
      } catch (error) {
        const failure = (error as { code?: unknown }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' ? 'malformed' : classifyError(error, expired());
        if (failure === 'network' && retriesLeft > 0 && !expired()) {
          retriesLeft -= 1;
          continue;
        }
        return { kind: 'failure', failure };
      }
      if (status === 401 && token !== undefined && !tokenRetried) {
        // A token revoked or expired early upstream: fetch a new one once (nothing was processed).
        this.#tokens?.invalidate(token);
        tokenRetried = true;
        continue;
      }
      if (status === 429) return { kind: 'failure', failure: 'throttled' };
      if (status === 401 || status === 403) return { kind: 'failure', failure: 'rejected' };
      if (status >= 500) {
        if (RETRYABLE_STATUSES.has(status) && retriesLeft > 0 && !expired()) {
          retriesLeft -= 1;
          continue;
        }
        return { kind: 'failure', failure: status === 504 ? 'timeout' : 'server' };
      }
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          return { kind: 'failure', failure: 'malformed' };
        }
      }
      const interpreted = interpret(status, body);
      return interpreted === 'malformed' ? { kind: 'failure', failure: 'malformed' } : { kind: 'answer', value: interpreted.ok };
    }
  }

  #dispatchOptions(request: UpstreamRequest, requestId: string, token: string | undefined, leftMs: number, signal: AbortSignal | undefined): Dispatcher.RequestOptions {
    const headers: Record<string, string> = { ...this.#staticHeaders, 'x-correlation-id': requestId, ...request.headers };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    return {
      method: request.method,
      path: this.#basePath + request.path + queryString(request.query),
      headers,
      body,
      headersTimeout: leftMs,
      bodyTimeout: leftMs,
      ...(signal ? { signal } : {}),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.close(), this.#tokenPool?.close()]);
  }
}

function queryString(query: UpstreamRequest['query']): string {
  if (query === undefined) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'string') search.append(name, value);
    else for (const item of value) search.append(name, item);
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
