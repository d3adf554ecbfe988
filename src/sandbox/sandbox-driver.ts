/**
 * The sandbox driver (DESIGN §6): answers any endpoint from the case files of its operationId
 * folder, matched per CONTRACT §6; with no matching case, the endpoint's generic example built from
 * its response schema. Case payloads are served as written — masking happens afterwards, in the
 * pipeline, exactly as for live data. Bodies are shared, never mutated: masking builds new objects.
 */
import { fileURLToPath } from 'node:url';
import type { ProviderDriver, ProviderOutcome } from '../core/driver.ts';
import type { ErrorBody } from '../core/errors.ts';
import { exampleFromSchema } from './example-from-schema.ts';
import type { LoadReport } from './load-cases.ts';
import { matchCase } from './match-case.ts';

/** Cast-wide cases that belong to no provider (fake FranceConnect tokens). */
export const OWN_CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

/** Where the driver reads its cases: a fixed report, or a store read at call time (reloads). */
export type CaseSource = LoadReport | { current(): LoadReport };

/**
 * @example
 * const driver = createSandboxDriver(store); // store.reload() takes effect on the next call
 */
export function createSandboxDriver(source: CaseSource): ProviderDriver {
  const examples = new Map<string, unknown>();
  const reportNow = (): LoadReport => ('current' in source ? source.current() : source);
  return {
    call: ({ endpoint, params }) => {
      const found = matchCase(reportNow().cases.get(endpoint.operationId) ?? [], params);
      if (found === undefined) {
        let example = examples.get(endpoint.operationId);
        if (example === undefined) {
          example = exampleFromSchema(endpoint.data);
          examples.set(endpoint.operationId, example);
        }
        return Promise.resolve<ProviderOutcome>({ kind: 'data', data: example, meta: {} });
      }
      if (found.status === 200) {
        const body = found.body as { data?: unknown; meta?: Record<string, unknown> };
        return Promise.resolve<ProviderOutcome>({ kind: 'data', data: body.data, meta: { ...body.meta } });
      }
      return Promise.resolve<ProviderOutcome>({ kind: 'error', status: found.status, body: found.body as ErrorBody });
    },
  };
}
