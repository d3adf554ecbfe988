/**
 * What a v2 route declares (issue 8): a thin adapter over a v3 endpoint. The v2 params are checked
 * against their OA2 schema, renamed to the v3 endpoint's params and validated by the v3 rules; the v3
 * `data` is reshaped into the flat v2 body, which the legacy v2 scope → field table masks
 * (CONTRACT §1.5, §3.2; docs/adr/0070-v2-thin-adapters.md).
 */
import type { TObject } from 'typebox';
import type { EndpointDefinition, QueryParams } from '../core/endpoint.ts';
import type { MaskingTable } from '../core/mask.ts';

/** The v3 call a v2 request stands for. */
export interface V2Target {
  endpoint: EndpointDefinition;
  /** Params under the v3 endpoint's wire names (`prenoms[]`), `recipient` excluded. */
  params: QueryParams;
}

export interface V2Route {
  /** OA2 path, e.g. `/api/v2/complementaire-sante-solidaire`. */
  path: string;
  /** OA2 `x-operationId`, also the v2 sandbox case folder. */
  operationId: string;
  summary: string;
  description: string;
  /** OA2 query params (without `recipient`), for the v2-level checks and the OpenAPI document. */
  params: TObject;
  /** The v3 call for valid v2 params (API key callers). */
  toV3(params: QueryParams): V2Target;
  /**
   * v3 params a v2 caller may omit although the v3 endpoint requires them (v2 DSS routes do not
   * require `prenoms[]`, CONTRACT §1.5): the v3 validator is relaxed for them.
   */
  optionalInV2?: readonly string[];
  /** FranceConnect-capable routes (CONTRACT §2): the v3 FranceConnect endpoint. */
  franceConnect?: {
    endpoint: EndpointDefinition;
    /** v2 params that still apply under FranceConnect (QF `annee`, `mois`), as v3 params. */
    extraParams?: (params: QueryParams) => QueryParams;
  };
  /** v3 `data` → v2 body; `request` holds the v2 params (some v2 bodies echo them). */
  toV2(data: unknown, request: QueryParams): unknown;
  /** Legacy v2 table: scope → v2 body paths (CONTRACT §3.2). */
  masking: MaskingTable;
  /** v3 wire name → v2 name, to word validation messages in the caller's vocabulary. */
  v2Names: Readonly<Record<string, string>>;
  /** The v3 successor route(s), for the `Link` header; empty when there is none. */
  successors: readonly string[];
}

/** Keeps the defined entries of an object (v2 params left out stay out of the v3 call). */
export function defined(params: Record<string, unknown>): QueryParams {
  const out: QueryParams = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = value;
  return out;
}

/** `yyyy-mm-dd` → the three v3 birth-date params, as numbers. */
export function birthDateParams(date: unknown): QueryParams {
  if (typeof date !== 'string') return {};
  const [year, month, day] = date.split('-').map(Number);
  return { anneeDateNaissance: year, moisDateNaissance: month, jourDateNaissance: day };
}

/** `m`/`f` (v2 MESRI and MEN accept either case) → the v3 `M`/`F`. */
export function upperSex(sexe: unknown): unknown {
  return typeof sexe === 'string' ? sexe.toUpperCase() : sexe;
}

/** Reads `obj.a.b` without throwing on missing levels. */
export function at(obj: unknown, ...path: string[]): unknown {
  let node: unknown = obj;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
