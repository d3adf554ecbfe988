/**
 * What a provider declares about each of its routes. Everything else (routes, validation, OpenAPI,
 * masking, sandbox folders) is derived from these declarations: see docs/guides/add-a-provider.md.
 */
import type { TObject, TSchema } from 'typebox';
import type { ErrorDefinition } from './errors.ts';
import { gatewayErrors } from './gateway-errors.ts';
import { scopesOfTable, type MaskingTable } from './mask.ts';

/** The four ways a caller identifies a person (CONTRACT §0). */
export const MODALITIES = ['identite', 'france_connect', 'ine', 'identifiant'] as const;
export type Modality = (typeof MODALITIES)[number];

export function isModality(value: string): value is Modality {
  return (MODALITIES as readonly string[]).includes(value);
}

/** A problem found by an endpoint's cross-field rules (e.g. CONTRACT §1.2 birth-place rules). */
export interface ParamProblem {
  /** Wire name of the param at fault (`prenoms[]`, `codeCogInseeCommuneNaissance`…). */
  parameter: string;
  /** French, precise, safe to show: never echoes the value. */
  detail: string;
}

export type QueryParams = Record<string, unknown>;

/** What rules and param hooks may depend on besides the params: the app's (freezable) clock. */
export interface RuleContext {
  now: Date;
}

export interface EndpointDefinition {
  /** The official `x-operationId`, also the sandbox case folder name. */
  operationId: string;
  /** Public path, e.g. `/v3/dss/complementaire_sante_solidaire/identite`. */
  path: string;
  modality: Modality;
  summary: string;
  description: string;
  tag: string;
  deprecated?: boolean;
  /**
   * Query params other than `recipient`, under their wire names (`prenoms[]`). TypeBox, so one schema
   * gives the static type, the validator and the OpenAPI parameters.
   */
  params: TObject;
  /** Rules a JSON schema cannot say. Runs only when the schema accepted the params. */
  crossFieldRules?: (params: QueryParams, context: RuleContext) => ParamProblem[];
  /**
   * Reshapes the params sent to the provider once they are valid, after FranceConnect's are merged
   * (e.g. the quotient familial fills in the default `annee`/`mois`). Default: unchanged.
   */
  providerParams?: (params: QueryParams, context: RuleContext) => QueryParams;
  /**
   * FranceConnect routes: which of the citizen's derived civil-status params (CONTRACT §5.2: nomNaissance,
   * nomUsage, prenoms, annee/mois/jourDateNaissance, sexeEtatCivil, codeCogInseePaysNaissance,
   * codeCogInseeCommuneNaissance) the provider needs, reshaped if needed. Default: all of them.
   */
  franceConnectParams?: (identity: QueryParams) => QueryParams;
  /** The 422 error used for a bad param of this endpoint (CONTRACT §4.2), by wire name. */
  paramError: (parameter: string) => ErrorDefinition;
  /** Schema of `data` in a 200 answer, with every field documented. */
  data: TSchema;
  /** Schema of `meta` in a 200 answer, when the provider fills it (ANTS `identity_matching`); else `{}`. */
  meta?: TSchema;
  /** `{scope: [field paths]}`: which scope unlocks which part of `data` (CONTRACT §3.2). */
  masking: MaskingTable;
  /** Provider errors the route may answer, for the OpenAPI document. */
  providerErrors: readonly ErrorDefinition[];
  /** Response cache lifetime in seconds (CONTRACT §7); absent when the route is not cached. */
  cacheTtlSeconds?: number;
}

export interface ScopeDefinition {
  /** French label, shown in habilitation forms and the catalogue. */
  label: string;
}

export interface ProviderManifest {
  /** Folder name and stable id, e.g. `dss`. */
  id: string;
  /** Value of `meta.provider` in its errors, e.g. `CNAV`. */
  name: string;
  /** When `meta.provider` depends on the error code (DSS: MSA, CNAF, RNCPS… by prefix, CONTRACT §4.3). */
  providerNameOfCode?: (code: string) => string;
  scopes: Record<string, ScopeDefinition>;
  endpoints: readonly EndpointDefinition[];
  /** The provider's own synthetic sandbox cases: a root of `<operationId>/*.yaml` folders. */
  sandboxCasesDir?: string;
}

/**
 * Declares a provider. Checks at load time what types cannot: every masking scope is declared.
 * @example
 * export const dss = defineProvider({ id: 'dss', name: 'CNAV', scopes: {...}, endpoints: [c2sIdentite] });
 */
export function defineProvider(manifest: ProviderManifest): ProviderManifest {
  for (const endpoint of manifest.endpoints) {
    for (const scope of scopesOfTable(endpoint.masking)) {
      if (!(scope in manifest.scopes)) {
        throw new TypeError(`${endpoint.operationId}: masking scope ${scope} is not declared by provider ${manifest.id}`);
      }
    }
  }
  return manifest;
}

/**
 * Every error a route documents beside the gateway's token and param errors: its provider errors and
 * the contract's 429 `00429`, which any route may answer (and which its sandbox cases may simulate).
 */
export function documentedErrors(endpoint: EndpointDefinition): ErrorDefinition[] {
  return [...endpoint.providerErrors, gatewayErrors.tooManyRequests];
}

/** Scopes that open an endpoint: holding at least one of them passes the scope check (CONTRACT §3.1). */
export function endpointScopes(endpoint: EndpointDefinition): string[] {
  return scopesOfTable(endpoint.masking);
}
