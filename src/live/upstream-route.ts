/**
 * How one gateway route talks to its upstream: the request to send, the schema of each answer the
 * route understands (checked before any mapping — "upstreams are hostile"), and the mapping of a
 * valid answer back to the route's `data`. Each provider declares its routes in
 * `src/providers/<id>/live/`; `live-driver.ts` runs them.
 */
import type { TSchema } from 'typebox';
import type { ProviderCall } from '../core/driver.ts';
import type { QueryParams } from '../core/endpoint.ts';
import type { ErrorDefinition } from '../core/errors.ts';
import type { UpstreamRequest } from './upstream-client.ts';

/** A valid upstream answer, in the gateway's terms. */
export type RouteAnswer =
  | { kind: 'data'; data: unknown; meta?: Record<string, unknown> }
  /** The person is unknown; `error` picks one of the route's 404s (default: its first `PP003`). */
  | { kind: 'not_found'; error?: ErrorDefinition | undefined }
  /** Another answer the route declares (e.g. GIP-MDS `00391`, several people match). */
  | { kind: 'error'; error: ErrorDefinition }
  /** The upstream answered, but with something the route cannot use (PP999). */
  | { kind: 'unexpected' };

/** A request the route cannot send to this upstream: answered at once with one of its codes. */
export interface RouteRefusal {
  kind: 'refused';
  error: ErrorDefinition;
  detail: string;
}

export interface UpstreamRoute {
  /** The gateway route (`x-operationId`). */
  operationId: string;
  /** The upstream request for the route's validated params. */
  request(params: QueryParams, call: ProviderCall): UpstreamRequest | RouteRefusal;
  /** JSON schema of the bodies the route understands, by HTTP status; any other status is PP999. */
  answers: Partial<Record<number, TSchema>>;
  /** Maps an answer whose body passed its status's schema. */
  map(status: number, body: unknown, params: QueryParams): RouteAnswer;
}

/** The upstreams of one provider: which configured upstream each route calls. */
export interface LiveConnector {
  /** Provider id (`src/providers/<id>`). */
  providerId: string;
  routes: ReadonlyArray<{ upstream: string; route: UpstreamRoute }>;
}

/** Date of birth `AAAA-MM-JJ` from the civil-status params (CONTRACT §1.2); partial dates use `01`. */
export function birthDate(params: QueryParams): string {
  const pad = (value: unknown) => String(value ?? 1).padStart(2, '0');
  return `${String(params.anneeDateNaissance)}-${pad(params.moisDateNaissance)}-${pad(params.jourDateNaissance)}`;
}

/** A param as a list of strings (`prenoms[]` arrives as an array, a single value as a string). */
export function listOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** A param as a string, `undefined` when absent or empty. */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? textOf(value[0]) : String(value as string | number);
}
