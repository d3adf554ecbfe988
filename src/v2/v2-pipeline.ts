/**
 * One v2 route through the shared pipeline (issue 8): authenticate (`X-Api-Key`, or a FranceConnect
 * token on the FranceConnect-capable routes) → v2 validation → scope check on the legacy v2 scopes →
 * in-flight lock → [sandbox: a matching v2 case answers as written] → the v3 endpoint's driver →
 * v3 data reshaped to the v2 body → v2 masking → journal (route = the v2 path) → reply with the
 * deprecation headers. Every error leaves in the v2 shape (CONTRACT §4.4).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { EndpointDefinition, QueryParams } from '../core/endpoint.ts';
import { ApiError } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import { scopesOfTable } from '../core/mask.ts';
import { authenticate, bearerOf, type Caller } from '../gateway/authenticate.ts';
import type { DataRouteDeps } from '../gateway/data-route.ts';
import { recordAdmission } from '../gateway/call-gate.ts';
import { canonicalParams } from '../gateway/in-flight-lock.ts';
import { rateLimitHeaders } from '../ratelimit/headers.ts';
import { RateLimiterUnavailable, type RateDecision } from '../ratelimit/limiter.ts';
import type { LoadReport } from '../sandbox/load-cases.ts';
import { matchCase } from '../sandbox/match-case.ts';
import { deprecationHeaders, type DeprecationPolicy } from './deprecation.ts';
import { isV2ErrorBody, toV2Error, v2BadRequest } from './v2-errors.ts';
import type { V2Route, V2Target } from './v2-route.ts';
import { compileV2Validator, V2ValidationError } from './v2-validate.ts';
import { providers } from '../providers/index.ts';
import { callProvider } from '../gateway/provider-call-limit.ts';

/** Provider folder of each v3 endpoint, for the metrics and the status page's traffic health. */
const providerIdOf = new Map(providers.flatMap((p) => p.endpoints.map((e) => [e.operationId, p.id] as const)));


export const V2_TAG = 'API v2 (dépréciée)';

export interface V2Deps extends DataRouteDeps {
  /**
   * Sandbox mode only: the loaded cases, whose v2 folders (`api_particulier_v2_*`) answer v2 requests
   * as written, before any v3 driver (docs/adr/0074-v2-sandbox-cases.md). Absent in live mode.
   */
  v2Cases?: { current(): LoadReport };
  deprecation: DeprecationPolicy;
}

interface Outcome {
  status: number;
  body: unknown;
  caller?: Caller;
  target?: V2Target;
  recipient?: string;
  providerMs?: number;
  isData: boolean;
}

/** What the local checks found: the call, or its first failure (with what was known by then, for the journal). */
type Checked =
  | { ok: true; caller: Caller; target: V2Target; recipient: string | undefined; v2: QueryParams; requestKey: string }
  | { ok: false; caller?: Caller; target?: V2Target; recipient?: string | undefined; failure: unknown };

const two = (n: unknown): string => String(n ?? 0).padStart(2, '0');

/**
 * The v2 match keys of a FranceConnect caller: the v2 civil-status names (as the official CNAF v2
 * cases key them) and the FranceConnect claim names (as the Cnous and MESRI v2 cases key them).
 */
export function v2MatchParamsOfIdentity(identity: QueryParams): QueryParams {
  const prenoms = Array.isArray(identity.prenoms) ? identity.prenoms.map(String) : [];
  const year = identity.anneeDateNaissance;
  return {
    nomNaissance: identity.nomNaissance,
    nomUsage: identity.nomUsage,
    prenoms,
    anneeDateDeNaissance: year,
    moisDateDeNaissance: identity.moisDateNaissance,
    jourDateDeNaissance: identity.jourDateNaissance,
    sexe: identity.sexeEtatCivil,
    codeInseeLieuDeNaissance: identity.codeCogInseeCommuneNaissance,
    codePaysLieuDeNaissance: identity.codeCogInseePaysNaissance,
    given_name: prenoms.join(' '),
    family_name: identity.nomNaissance,
    birthdate: year === undefined ? undefined : `${String(year).padStart(4, '0')}-${two(identity.moisDateNaissance)}-${two(identity.jourDateNaissance)}`,
    gender: identity.sexeEtatCivil === 'F' ? 'female' : 'male',
    birthplace: identity.codeCogInseeCommuneNaissance ?? '',
    birthcountry: identity.codeCogInseePaysNaissance,
    preferred_username: identity.nomUsage ?? '',
  };
}

function errorCodeOf(status: number, body: unknown): string | null {
  if (status < 400) return null;
  if (isV2ErrorBody(body)) return /^\d{5}\b/.exec(body.reason)?.[0] ?? body.error;
  const code = (body as { errors?: Array<{ code?: unknown }> } | undefined)?.errors?.[0]?.code;
  return typeof code === 'string' ? code : null;
}

/** Registers one v2 route on the server. */
export function registerV2Route(app: FastifyInstance, route: V2Route, deps: V2Deps): void {
  const validate = compileV2Validator(route, deps.now);
  const routeScopes = scopesOfTable(route.masking);
  const headers = deprecationHeaders(route.successors, deps.deprecation);

  /** The FranceConnect route a citizen's token is checked against, when the call carries one rather than an API token. */
  function franceConnectEndpointOf(request: FastifyRequest): EndpointDefinition | undefined {
    const viaFranceConnect = route.franceConnect !== undefined && bearerOf(request.headers.authorization) !== undefined && typeof request.headers['x-api-key'] !== 'string';
    return viaFranceConnect ? route.franceConnect?.endpoint : undefined;
  }

  async function callerOf(request: FastifyRequest, franceConnectEndpoint: EndpointDefinition | undefined): Promise<Caller> {
    if (franceConnectEndpoint !== undefined) return authenticate(franceConnectEndpoint, request.headers.authorization, deps.auth);
    // CONTRACT §2: the same JWTs, sent as `X-Api-Key` (or as a Bearer on routes without FranceConnect).
    const apiKey = request.headers['x-api-key'];
    const token = await deps.auth.verifier.verify(typeof apiKey === 'string' ? apiKey : bearerOf(request.headers.authorization));
    return { kind: 'api_token', token, scopes: new Set(token.scopes) };
  }

  /**
   * Authentication and every check that needs no shared state (nothing here touches Redis), in the
   * pipeline's order; the first failure is kept, to be thrown once the limits have admitted the call.
   */
  async function check(request: FastifyRequest, franceConnectEndpoint: EndpointDefinition | undefined): Promise<Checked> {
    let caller: Caller;
    try {
      caller = await callerOf(request, franceConnectEndpoint);
    } catch (failure) {
      return { ok: false, failure };
    }
    let target: V2Target | undefined;
    let recipient: string | undefined;
    try {
      const checked = validate(request.query as Record<string, unknown>, { franceConnect: caller.kind === 'france_connect' });
      target = checked.target;
      recipient = checked.recipient;
      if (!routeScopes.some((scope) => caller.scopes.has(scope))) {
        throw caller.kind === 'france_connect'
          ? ApiError.of(gatewayErrors.invalidToken, { source: { parameter: 'token' } })
          : ApiError.of(gatewayErrors.insufficientPrivileges, { source: { parameter: 'token' } });
      }
      const endpoint = target.endpoint;
      if (!caller.token.modalities.includes(endpoint.modality)) {
        throw ApiError.of(gatewayErrors.insufficientPrivileges, {
          source: { parameter: 'token' },
          detail: `Votre token est valide mais n'est pas habilité à la modalité d'appel « ${endpoint.modality} ». Listez vos privilèges sur /api/introspect`,
        });
      }
      const identity = caller.identityParams;
      const merged: QueryParams = identity === undefined ? target.params : { ...target.params, ...(endpoint.franceConnectParams?.(identity) ?? identity) };
      const providerParams = endpoint.providerParams?.(merged, { now: deps.now() }) ?? merged;
      const requestKey = `${caller.token.jti}\u0000${caller.franceConnectSub ?? ''}\u0000${route.operationId}\u0000${canonicalParams(providerParams)}`;
      return { ok: true, caller, target: { endpoint, params: providerParams }, recipient, v2: checked.v2, requestKey };
    } catch (failure) {
      return { ok: false, caller, target, recipient, failure };
    }
  }

  async function run(request: FastifyRequest, rates: RateDecision[]): Promise<Outcome> {
    let caller: Caller | undefined;
    let target: V2Target | undefined;
    let recipient: string | undefined;
    try {
      // The same budgets and order as v3 (src/gateway/data-route.ts, docs/adr/0172-one-redis-round-trip-per-call.md):
      // the IP cap wins; with Redis an API token is checked first so that one script decides everything.
      const franceConnectEndpoint = franceConnectEndpointOf(request);
      const ipFirst = !deps.gate.remote || franceConnectEndpoint !== undefined;
      if (ipFirst) recordAdmission(await deps.gate.admit({ ip: request.ip }), rates);
      const checked = await check(request, franceConnectEndpoint);
      const admission = await deps.gate.admit({
        ip: ipFirst ? undefined : request.ip,
        token: checked.caller === undefined ? undefined : { jti: checked.caller.token.jti, perSecond: checked.caller.token.rateLimitPerSecond },
        lock: checked.ok ? { key: checked.requestKey } : undefined,
      });
      if (admission.refusedBy !== 'ip') caller = checked.caller;
      recordAdmission(admission, rates);
      target = checked.target;
      recipient = checked.recipient;
      if (!checked.ok) throw checked.failure;
      const active: Caller = checked.caller;
      const { endpoint, params: providerParams } = checked.target;
      const identity = active.identityParams;
      if (admission.entry?.kind !== 'taken') throw ApiError.of(gatewayErrors.conflict);
      const release = admission.entry.release;
      const started = performance.now();
      try {
        const mask = deps.masks.get(route.masking, active.scopes);
        const matchParams = identity === undefined ? checked.v2 : { ...checked.v2, ...v2MatchParamsOfIdentity(identity) };
        const found = deps.v2Cases === undefined ? undefined : matchCase(deps.v2Cases.current().cases.get(route.operationId) ?? [], matchParams);
        // CONTRACT §6: 400 and 401 are the gateway's own answers, never a case's.
        if (found !== undefined && found.status !== 400 && found.status !== 401) {
          const providerMs = performance.now() - started;
          if (found.status === 200) return { status: 200, body: mask(found.body), caller, target, recipient, providerMs, isData: true };
          return { status: found.status, body: found.body, caller, target, recipient, providerMs, isData: false };
        }
        const outcome = await callProvider(deps.driverFor(endpoint), endpoint, providerParams, String(request.id), active);
        const providerMs = performance.now() - started;
        if (outcome.kind === 'error') {
          const v2 = toV2Error(outcome.status, outcome.body);
          return { status: v2.status, body: v2.body, caller, target, recipient, providerMs, isData: false };
        }
        return { status: 200, body: mask(route.toV2(outcome.data, checked.v2)), caller, target, recipient, providerMs, isData: true };
      } finally {
        release();
      }
    } catch (error) {
      if (error instanceof V2ValidationError) {
        const v2 = v2BadRequest(error.problems);
        return { status: v2.status, body: v2.body, caller, target, recipient, isData: false };
      }
      const apiError = error instanceof RateLimiterUnavailable ? ApiError.of(gatewayErrors.rateLimiterUnavailable) : error;
      if (apiError instanceof ApiError) {
        const v2 = toV2Error(apiError.status, apiError.body());
        return { status: v2.status, body: v2.body, caller, target, recipient, isData: false };
      }
      throw error;
    }
  }

  async function handler(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const started = performance.now();
    void reply.headers(headers);
    const rates: RateDecision[] = [];
    const outcome = await run(request, rates);
    if (rates.length > 0) void reply.headers(rateLimitHeaders(rates));
    const provider = outcome.target === undefined ? 'none' : (providerIdOf.get(outcome.target.endpoint.operationId) ?? 'unknown');
    if (outcome.providerMs !== undefined) deps.traffic.record(provider, outcome.status, outcome.providerMs);
    const journalStarted = performance.now();
    const observe = (status: number): void =>
      deps.metrics.observeCall({
        route: route.path,
        provider,
        status,
        totalMs: performance.now() - started,
        providerMs: outcome.providerMs,
        journalMs: performance.now() - journalStarted,
        refusedBy: rates.filter((r) => !r.allowed).map((r) => r.policy.name),
      });
    try {
      await deps.journal.append({
        request_id: String(request.id),
        at: deps.now(),
        token_jti: outcome.caller?.token.jti ?? null,
        habilitation_id: outcome.caller?.token.habilitationId ?? null,
        recipient: outcome.recipient ?? null,
        route: route.path,
        operation_id: route.operationId,
        modality: outcome.caller?.kind === 'france_connect' ? 'france_connect' : (outcome.target?.endpoint.modality ?? 'identite'),
        status: outcome.status,
        error_code: errorCodeOf(outcome.status, outcome.body),
        latency_ms: performance.now() - started,
        provider_latency_ms: outcome.providerMs ?? null,
        // Pseudonym of the v3 params: one person has one pseudonym whether called through v2 or v3.
        person_pseudonym: outcome.target === undefined ? null : deps.pseudonymise(outcome.target.params),
      });
    } catch (error) {
      request.log.error({ err: error }, 'access journal write failed');
      if (outcome.isData) {
        const v2 = toV2Error(503, ApiError.of(gatewayErrors.journalUnavailable).body());
        observe(v2.status);
        reply.code(v2.status);
        return v2.body;
      }
    }
    observe(outcome.status);
    if (outcome.target?.endpoint.cacheTtlSeconds !== undefined) {
      // OA2 documents both headers on the CNAV routes; v2 answers are not cached (docs/adr/0070-v2-thin-adapters.md).
      reply.header('x-response-cached', 'false');
      reply.header('x-cache-expires-in', '');
    }
    reply.code(outcome.status);
    return outcome.body;
  }

  app.route({
    method: 'GET',
    url: route.path,
    schema: {
      operationId: route.operationId,
      summary: route.summary,
      description: route.description,
      tags: [V2_TAG],
      deprecated: true,
      querystring: Type.Object(
        { recipient: Type.Optional(Type.String({ description: 'SIRET du destinataire des données ; obligatoire avec un jeton FranceConnect.' })), ...route.params.properties },
        { additionalProperties: true },
      ),
      headers: Type.Object({ 'x-api-key': Type.Optional(Type.String({ description: 'Jeton API Particulier (le même JWT qu’en v3).' })) }),
    },
    // Validation runs inside the pipeline, after authentication, with the v2 answers.
    validatorCompiler: () => () => true,
    handler,
  });
}

