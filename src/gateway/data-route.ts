/**
 * The data API pipeline (DESIGN §3), written once for every route:
 * authenticate → validate → scope check → modality check → in-flight lock → driver → mask → journal → reply.
 * Each step either passes or throws the contract's error; the journal row is committed before any
 * answer leaves, and a data answer whose row cannot be written becomes a 503 without data.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { endpointScopes, type EndpointDefinition, type ProviderManifest, type QueryParams } from '../core/endpoint.ts';
import type { ProviderDriver } from '../core/driver.ts';
import { ApiError, type ErrorBody } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import type { MaskCache } from '../core/mask.ts';
import type { JournalSink } from '../journal/journal-writer.ts';
import type { Pseudonymiser } from '../journal/pseudonym.ts';
import { authenticate, type AuthenticateDeps, type Caller } from './authenticate.ts';
import { canonicalParams } from './in-flight-lock.ts';
import { callProvider } from './provider-call-limit.ts';
import { recordAdmission, type CallGate } from './call-gate.ts';
import type { AnswerCache } from './shared-state.ts';
import { compileParamsValidator } from './validate-params.ts';
import { rateLimitHeaders } from '../ratelimit/headers.ts';
import { RateLimiterUnavailable, type RateDecision } from '../ratelimit/limiter.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { TrafficHealth } from '../status/traffic-health.ts';
import { wantsFresh } from './response-cache.ts';
import { errorResponseSchemas, successResponseSchema } from './route-schemas.ts';
import { querySchema } from './validate-params.ts';


export interface DataRouteDeps {
  auth: AuthenticateDeps;
  driverFor: (endpoint: EndpointDefinition) => ProviderDriver;
  masks: MaskCache;
  /** Per-IP and per-token limits (docs/adr/0008-rate-limits.md) and the 409 lock, decided together (ADR 0172). */
  gate: CallGate;
  responseCache: AnswerCache;
  journal: JournalSink;
  pseudonymise: Pseudonymiser;
  metrics: GatewayMetrics;
  /** Provider health from real traffic, for the status page. */
  traffic: TrafficHealth;
  now: () => Date;
}

interface Outcome {
  status: number;
  body: unknown;
  caller?: Caller;
  params?: QueryParams;
  providerMs?: number;
  isData: boolean;
  /** Routes with a response cache: whether this answer came from it, and its seconds left. */
  cache?: { hit: boolean; secondsLeft: number | null };
  /** Rate-limit decisions taken for this call, turned into headers. */
  rates: RateDecision[];
}

function errorCodeOf(body: unknown): string | null {
  const code = (body as Partial<ErrorBody> | undefined)?.errors?.[0]?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * The scopes as a short, content-derived key (SHA-256 of the sorted list: the same on every instance,
 * which the Redis-shared cache needs). A cached token keeps its scope set, so this runs once per
 * token rather than once per call; the sorted list itself is kilobytes for a token with every scope.
 */
const scopeKeys = new WeakMap<ReadonlySet<string>, string>();
function scopeKey(scopes: ReadonlySet<string>): string {
  let key = scopeKeys.get(scopes);
  if (key === undefined) {
    key = createHash('sha256').update([...scopes].sort().join(' ')).digest('base64url');
    scopeKeys.set(scopes, key);
  }
  return key;
}

/** What the local checks found: the call, or its first failure (with what was known by then, for the journal). */
type Checked =
  | { ok: true; caller: Caller; params: QueryParams; providerParams: QueryParams; requestKey: string; cacheKey: string }
  | { ok: false; caller?: Caller; params?: QueryParams; failure: unknown };

export function registerDataRoute(app: FastifyInstance, provider: ProviderManifest, endpoint: EndpointDefinition, deps: DataRouteDeps): void {
  const validate = compileParamsValidator(endpoint, deps.now);
  const routeScopes = endpointScopes(endpoint);

  /**
   * Authentication and every check that needs no shared state (nothing here touches Redis), in the
   * pipeline's order; the first failure is kept, to be thrown once the limits have admitted the call.
   */
  async function check(request: FastifyRequest): Promise<Checked> {
    let caller: Caller;
    try {
      caller = await authenticate(endpoint, request.headers.authorization, deps.auth);
    } catch (failure) {
      return { ok: false, failure };
    }
    let params: QueryParams | undefined;
    try {
      params = validate(request.query as Record<string, unknown>);
      if (!routeScopes.some((scope) => caller.scopes.has(scope))) {
        // CONTRACT §8.8: a FranceConnect token without the route's scopes is a 401, an API token a 403.
        throw caller.kind === 'france_connect'
          ? ApiError.of(gatewayErrors.invalidToken, {
              source: { parameter: 'token' },
              detail: "Le jeton FranceConnect ne porte aucun des scopes de cette route, ou l'habilitation rattachée ne les accorde pas",
            })
          : ApiError.of(gatewayErrors.insufficientPrivileges, { source: { parameter: 'token' } });
      }
      if (!caller.token.modalities.includes(endpoint.modality)) {
        throw ApiError.of(gatewayErrors.insufficientPrivileges, {
          source: { parameter: 'token' },
          detail: `Votre token est valide mais n'est pas habilité à la modalité d'appel « ${endpoint.modality} ». Listez vos privilèges sur /api/introspect`,
        });
      }
      const identity = caller.identityParams;
      const merged: QueryParams = identity === undefined ? params : { ...params, ...(endpoint.franceConnectParams?.(identity) ?? identity) };
      const providerParams = endpoint.providerParams?.(merged, { now: deps.now() }) ?? merged;
      const requestKey = `${caller.token.jti}\u0000${caller.franceConnectSub ?? ''}\u0000${endpoint.operationId}\u0000${canonicalParams(providerParams)}`;
      // Scopes are part of the key: two FranceConnect tokens of one person may grant different ones.
      const cacheKey = endpoint.cacheTtlSeconds === undefined ? '' : `${requestKey}\u0000${scopeKey(caller.scopes)}`;
      return { ok: true, caller, params, providerParams, requestKey, cacheKey };
    } catch (failure) {
      return { ok: false, caller, params, failure };
    }
  }

  async function run(request: FastifyRequest): Promise<Outcome> {
    let caller: Caller | undefined;
    let params: QueryParams | undefined;
    const rates: RateDecision[] = [];
    try {
      // The IP cap comes first so that guessing tokens is throttled as well (ADR 0008). With Redis, an
      // API token is checked before it is decided, so that one script decides the IP cap, the token's
      // limit and the lock — the IP cap's refusal still wins; a FranceConnect token is introspected (an
      // HTTP call) only once the IP cap admits the call (docs/adr/0172-one-redis-round-trip-per-call.md).
      const ipFirst = !deps.gate.remote || endpoint.modality === 'france_connect';
      if (ipFirst) recordAdmission(await deps.gate.admit({ ip: request.ip }), rates);
      const checked = await check(request);
      const ttl = endpoint.cacheTtlSeconds;
      const admission = await deps.gate.admit({
        ip: ipFirst ? undefined : request.ip,
        token: checked.caller === undefined ? undefined : { jti: checked.caller.token.jti, perSecond: checked.caller.token.rateLimitPerSecond },
        lock: checked.ok ? { key: checked.requestKey, cacheKey: ttl !== undefined && !wantsFresh(request.headers['cache-control']) ? checked.cacheKey : undefined } : undefined,
      });
      // Refused by the IP cap, the call is nobody's; refused by its token's limit, it is the token's.
      if (admission.refusedBy !== 'ip') caller = checked.caller;
      recordAdmission(admission, rates);
      params = checked.params;
      if (!checked.ok) throw checked.failure;
      const { providerParams, cacheKey } = checked;
      const activeCaller: Caller = checked.caller;
      const entry = admission.entry;
      if (entry?.kind === 'cached') {
        return { status: 200, body: entry.answer.body, caller, params: providerParams, isData: true, cache: { hit: true, secondsLeft: deps.responseCache.secondsLeft(entry.answer) }, rates };
      }
      if (entry?.kind !== 'taken') throw ApiError.of(gatewayErrors.conflict);
      const release = entry.release;
      const started = performance.now();
      try {
        const outcome = await callProvider(deps.driverFor(endpoint), endpoint, providerParams, String(request.id), activeCaller);
        const providerMs = performance.now() - started;
        if (outcome.kind === 'error') {
          const cache = ttl === undefined ? undefined : { hit: false, secondsLeft: null };
          return { status: outcome.status, body: outcome.body, caller, params: providerParams, providerMs, isData: false, cache, rates };
        }
        const data = deps.masks.get(endpoint.masking, activeCaller.scopes)(outcome.data);
        const body = { data, links: {}, meta: outcome.meta };
        // The answer is stored before the lock is released, in one write to Redis: a call that finds the
        // lock free finds the answer too. Nothing waits for the release.
        const stored = ttl === undefined ? undefined : deps.responseCache.store(cacheKey, body, ttl);
        release();
        const cache = stored === undefined ? undefined : { hit: false, secondsLeft: deps.responseCache.secondsLeft(await stored) };
        return { status: 200, body, caller, params: providerParams, providerMs, isData: true, cache, rates };
      } finally {
        release();
      }
    } catch (error) {
      const apiError = error instanceof RateLimiterUnavailable ? ApiError.of(gatewayErrors.rateLimiterUnavailable, { meta: { retry_in: 1 } }) : error;
      if (apiError instanceof ApiError) {
        const cache = endpoint.cacheTtlSeconds === undefined ? undefined : { hit: false, secondsLeft: null };
        return { status: apiError.status, body: apiError.body(), caller, params, isData: false, cache, rates };
      }
      throw error;
    }
  }

  async function handler(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const started = performance.now();
    const outcome = await run(request);
    const journalStarted = performance.now();
    if (outcome.providerMs !== undefined) deps.traffic.record(provider.id, outcome.status, outcome.providerMs);
    const observe = (status: number): void =>
      deps.metrics.observeCall({
        route: endpoint.path,
        provider: provider.id,
        status,
        totalMs: performance.now() - started,
        providerMs: outcome.providerMs,
        journalMs: performance.now() - journalStarted,
        refusedBy: outcome.rates.filter((r) => !r.allowed).map((r) => r.policy.name),
      });
    try {
      await deps.journal.append({
        request_id: String(request.id),
        at: deps.now(),
        token_jti: outcome.caller?.token.jti ?? null,
        habilitation_id: outcome.caller?.token.habilitationId ?? null,
        recipient: typeof outcome.params?.recipient === 'string' ? outcome.params.recipient : null,
        route: endpoint.path,
        operation_id: endpoint.operationId,
        modality: endpoint.modality,
        status: outcome.status,
        error_code: errorCodeOf(outcome.body),
        latency_ms: performance.now() - started,
        provider_latency_ms: outcome.providerMs ?? null,
        person_pseudonym: outcome.params === undefined ? null : deps.pseudonymise(outcome.params),
        // The FranceConnect `sub` under the same keyed HMAC, in its own field name (issue 6 §1).
        fc_sub_pseudonym: outcome.caller?.franceConnectSub === undefined ? null : deps.pseudonymise({ franceconnect_sub: outcome.caller.franceConnectSub }),
      });
    } catch (error) {
      request.log.error({ err: error }, 'access journal write failed');
      if (outcome.isData) {
        observe(503);
        reply.code(503);
        return ApiError.of(gatewayErrors.journalUnavailable).body();
      }
    }
    observe(outcome.status);
    if (outcome.rates.length > 0) void reply.headers(rateLimitHeaders(outcome.rates));
    if (outcome.status === 401) reply.header('www-authenticate', 'Bearer realm="api-particulier", error="invalid_token"');
    if (outcome.cache !== undefined) {
      // CONTRACT §1.1: both headers on cached routes; the lifetime is empty (but present) when nothing is cached.
      reply.header('x-response-cached', String(outcome.cache.hit));
      reply.header('x-cache-expires-in', outcome.cache.secondsLeft === null ? '' : String(outcome.cache.secondsLeft));
    }
    reply.code(outcome.status);
    return outcome.body;
  }

  app.route({
    method: 'GET',
    url: endpoint.path,
    schema: {
      operationId: endpoint.operationId,
      summary: endpoint.summary,
      description: endpoint.description,
      tags: [endpoint.tag],
      ...(endpoint.deprecated ? { deprecated: true } : {}),
      querystring: querySchema(endpoint),
      response: { 200: successResponseSchema(endpoint), ...errorResponseSchemas(endpoint, provider.providerNameOfCode ?? (() => provider.name)) },
      security: [{ jwt_bearer_token: [] }],
    },
    // Validation runs inside the pipeline, after authentication, with the contract's codes.
    validatorCompiler: () => () => true,
    handler,
  });
}
