/**
 * The sandbox's synthetic cast, as the simulators see it: the same case files the sandbox answers
 * from (every provider's `cases/` and the cast-wide FranceConnect tokens), so that a person answers
 * the same in live mode against the simulators as in sandbox mode. A simulator receives an upstream
 * request, turns it back into the public contract's params, and looks the person up here.
 */
import type { EndpointDefinition, ProviderManifest } from '../src/core/endpoint.ts';
import type { ErrorBody } from '../src/core/errors.ts';
import { civilityParamsFromIdentity, identityFromIntrospection } from '../src/franceconnect/identity.ts';
import { providers } from '../src/providers/index.ts';
import type { SandboxCase } from '../src/sandbox/case-file.ts';
import { loadCaseDirectories, type LoadReport } from '../src/sandbox/load-cases.ts';
import { matchCase } from '../src/sandbox/match-case.ts';
import { OWN_CASES_DIR } from '../src/sandbox/sandbox-driver.ts';

/** What the cast says about a person for a route. */
export type CastAnswer =
  | { kind: 'data'; data: unknown; meta: Record<string, unknown> }
  | { kind: 'error'; status: number; code: string; title: string }
  | { kind: 'unknown' };

export class Cast {
  readonly #report: LoadReport;
  readonly #endpoints: Map<string, EndpointDefinition>;

  private constructor(report: LoadReport, registry: readonly ProviderManifest[]) {
    this.#report = report;
    this.#endpoints = new Map(registry.flatMap((p) => p.endpoints.map((e) => [e.operationId, e] as const)));
  }

  static async load(registry: readonly ProviderManifest[] = providers): Promise<Cast> {
    const dirs = [...registry.flatMap((p) => (p.sandboxCasesDir ? [p.sandboxCasesDir] : [])), OWN_CASES_DIR];
    return new Cast(await loadCaseDirectories(dirs), registry);
  }

  endpoint(operationId: string): EndpointDefinition {
    const endpoint = this.#endpoints.get(operationId);
    if (endpoint === undefined) throw new TypeError(`no route ${operationId}`);
    return endpoint;
  }

  cases(operationId: string): readonly SandboxCase[] {
    return this.#report.cases.get(operationId) ?? [];
  }

  /** The first route of `operationIds` (in order) with a case for these params. */
  lookUp(operationIds: readonly string[], params: Record<string, unknown>, select?: (cases: readonly SandboxCase[]) => readonly SandboxCase[]): CastAnswer {
    for (const id of operationIds) {
      const all = this.cases(id);
      const found = matchCase(select ? select(all) : all, params);
      if (found === undefined) continue;
      if (found.status === 200) {
        const body = found.body as { data?: unknown; meta?: Record<string, unknown> };
        return { kind: 'data', data: body.data, meta: { ...body.meta } };
      }
      const item = (found.body as Partial<ErrorBody>).errors?.[0];
      return { kind: 'error', status: found.status, code: item?.code ?? '', title: item?.title ?? '' };
    }
    return { kind: 'unknown' };
  }

  /** The civil-status params of a fake FranceConnect token of the cast, if it is active. */
  franceConnectParams(token: string): Record<string, unknown> | undefined {
    const introspection = this.#report.franceConnectTokens.get(token)?.introspection;
    if (introspection === undefined || !introspection.token_introspection.active) return undefined;
    return civilityParamsFromIdentity(identityFromIntrospection(introspection));
  }
}

/**
 * How a simulator answers a cast error that is not "not found": the cast's 504 timeouts hang, its
 * provider throttling is a 429, its unavailability a 503, anything else a 500.
 */
export function failureOf(answer: { status: number; code: string }): { kind: 'hang' } | { kind: 'status'; status: number } {
  if (answer.status === 504 && answer.code.endsWith('002')) return { kind: 'hang' };
  if (answer.code.endsWith('008') || answer.status === 429) return { kind: 'status', status: 429 };
  if (answer.status === 504) return { kind: 'status', status: 503 };
  return { kind: 'status', status: 500 };
}
