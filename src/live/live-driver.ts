/**
 * The live driver of one provider (DESIGN §2.6: live and sandbox differ only by the driver): for a
 * call, builds the upstream request of the route, runs it through the upstream's client (budgets,
 * breaker, retries), checks the answer against the route's schema, and maps it — or maps the
 * failure to the contract's provider error.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ProviderDriver, ProviderOutcome } from '../core/driver.ts';
import type { EndpointDefinition, ProviderManifest } from '../core/endpoint.ts';
import { RouteErrors } from './live-errors.ts';
import type { UpstreamClient } from './upstream-client.ts';
import type { RouteAnswer, UpstreamRoute } from './upstream-route.ts';

// ajv-formats is CommonJS: its default export is the function under ESM/tsx. Formats are checked
// (a `date` that is not a date is a malformed answer), types are never coerced.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: false }));

/** A driver for one route: the route's mapping on one upstream client. */
export function createRouteDriver(provider: ProviderManifest, endpoint: EndpointDefinition, route: UpstreamRoute, client: UpstreamClient): ProviderDriver {
  if (route.operationId !== endpoint.operationId) throw new TypeError(`route ${route.operationId} given for ${endpoint.operationId}`);
  const errors = new RouteErrors(provider, endpoint);
  const validators = new Map<number, ValidateFunction>();
  for (const [status, schema] of Object.entries(route.answers)) validators.set(Number(status), ajv.compile(schema as object));

  return {
    async call(call): Promise<ProviderOutcome> {
      const request = route.request(call.params, call);
      if ('kind' in request) return errors.answer(request.error, undefined, request.detail);
      const result = await client.call<RouteAnswer>(request, { requestId: call.requestId }, (status, body) => {
        const validate = validators.get(status);
        if (validate === undefined || !validate(body)) return 'malformed';
        const answer = route.map(status, body, call.params);
        return answer.kind === 'unexpected' ? 'malformed' : { ok: answer };
      });
      if (result.kind === 'failure') return errors.failure(result);
      const answer = result.value;
      if (answer.kind === 'not_found') return errors.notFound(answer.error);
      if (answer.kind === 'error') return errors.declared(answer.error);
      if (answer.kind === 'data') return { kind: 'data', data: answer.data, meta: answer.meta ?? {} };
      return errors.failure({ kind: 'failure', failure: 'malformed' });
    },
  };
}
