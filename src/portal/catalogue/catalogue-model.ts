/**
 * The catalogue, derived (STYLE §2): every API page is built from the provider manifests — routes,
 * params, scopes → fields, error codes — and the sandbox cases in force, plus the editorial texts of
 * api-texts.ts. Adding a provider to the registry adds its pages; forgetting its texts fails a test.
 */
import type { TObject, TSchema } from 'typebox';
import { documentedErrors, type EndpointDefinition, type Modality, type ProviderManifest } from '../../core/endpoint.ts';
import type { ErrorDefinition } from '../../core/errors.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { scopesOfKey } from '../../core/mask.ts';
import type { SandboxCase } from '../../sandbox/case-file.ts';
import { apiTexts, type ApiTexts } from './api-texts.ts';
import { useCaseTemplates, type UseCaseTemplate } from './use-case-templates.ts';

export const MODALITY_LABELS: Record<Modality, string> = {
  identite: 'Identité pivot (état civil)',
  france_connect: 'FranceConnect',
  ine: 'Identifiant national étudiant (INE)',
  identifiant: 'Identifiant chez le fournisseur',
};

/** The contract's per-token rate limit (DESIGN §3). */
export const RATE_LIMIT_TEXT = '20 appels par seconde et par jeton d’accès ; au-delà, l’API répond 429 (code 00429) avec les en-têtes RateLimit.';

export interface CatalogueField {
  path: string;
  title: string;
  description: string;
}

/** A masking-table key: one scope, or several joined by `+` that must all be held. */
export interface CatalogueScopeGroup {
  key: string;
  scopes: Array<{ name: string; label: string }>;
  fields: CatalogueField[];
}

export interface CatalogueParam {
  name: string;
  required: boolean;
  description: string;
  type: string;
}

export interface CatalogueError {
  code: string;
  status: number;
  title: string;
}

export interface CatalogueCase {
  title: string;
  description: string;
  status: number;
  params: Array<[string, string]>;
}

export interface CatalogueEndpoint {
  path: string;
  version: string;
  modality: Modality;
  modalityLabel: string;
  operationId: string;
  summary: string;
  description: string;
  deprecated: boolean;
  params: CatalogueParam[];
  errors: CatalogueError[];
  cases: CatalogueCase[];
  /** The body of its first 200 sandbox case, pretty-printed (synthetic data), if any. */
  example: { title: string; json: string } | undefined;
}

/** One API page. */
export interface CatalogueApi {
  /** `<provider id>/<path segment>`. */
  key: string;
  url: string;
  providerId: string;
  texts: ApiTexts;
  franceConnect: boolean;
  modalities: Modality[];
  scopeGroups: CatalogueScopeGroup[];
  endpoints: CatalogueEndpoint[];
  templates: UseCaseTemplate[];
  /** Errors any route may answer (token, scope, recipient, limits, outages). */
  commonErrors: CatalogueError[];
}

/** `<provider id>/<path segment>` of an endpoint: `/v3/dss/quotient_familial/identite` → `dss/quotient_familial`. */
export function apiKeyOf(provider: ProviderManifest, endpoint: EndpointDefinition): string {
  const segment = endpoint.path.split('/')[3];
  if (segment === undefined) throw new TypeError(`${endpoint.path}: unexpected path shape`);
  return `${provider.id}/${segment}`;
}

type Schemaish = TSchema & { title?: string; description?: string; type?: unknown; properties?: Record<string, Schemaish>; items?: Schemaish; anyOf?: Schemaish[]; enum?: unknown[]; const?: unknown };

/** The object schema under a possibly nullable / array / union node. */
function objectOf(schema: Schemaish | undefined): Schemaish | undefined {
  if (schema === undefined) return undefined;
  if (schema.properties) return schema;
  if (schema.items) return objectOf(schema.items);
  for (const option of schema.anyOf ?? []) {
    const found = objectOf(option);
    if (found) return found;
  }
  return undefined;
}

/** The field at `path` and, when it is an object or a list of objects, every field under it. */
function fieldsOf(data: TSchema, path: string): CatalogueField[] {
  let node: Schemaish | undefined = data as Schemaish;
  for (const part of path.split('.')) node = objectOf(node)?.properties?.[part];
  const fields: CatalogueField[] = [{ path, title: node?.title ?? '', description: node?.description ?? '' }];
  for (const [name, child] of Object.entries(objectOf(node)?.properties ?? {})) {
    if (child !== undefined) fields.push(...fieldsOf(data, `${path}.${name}`));
  }
  return fields;
}

function typeText(schema: Schemaish): string {
  if (schema.enum) return `valeurs : ${schema.enum.join(', ')}`;
  if (schema.const !== undefined) return `valeur : ${String(schema.const)}`;
  if (schema.type === 'array') return `liste${schema.items ? ` de ${typeText(schema.items)}` : ''}`;
  if (schema.anyOf) return schema.anyOf.map(typeText).join(' ou ');
  const names: Record<string, string> = { string: 'texte', integer: 'entier', number: 'nombre', boolean: 'booléen' };
  return typeof schema.type === 'string' ? (names[schema.type] ?? schema.type) : 'valeur';
}

function paramsOf(params: TObject): CatalogueParam[] {
  const required = new Set(params.required ?? []);
  const recipient: CatalogueParam = {
    name: 'recipient',
    required: true,
    type: 'texte (SIRET, 14 chiffres)',
    description: 'SIRET de l’organisation destinataire des données (celle qui traite la démarche).',
  };
  return [
    recipient,
    ...Object.entries(params.properties as Record<string, Schemaish>).map(([name, schema]) => ({
      name,
      required: required.has(name),
      type: typeText(schema),
      description: schema.description ?? schema.title ?? '',
    })),
  ];
}

function errorOf(e: ErrorDefinition): CatalogueError {
  return { code: e.code, status: e.status, title: e.title };
}

function uniqueErrors(errors: readonly ErrorDefinition[]): CatalogueError[] {
  const seen = new Map<string, CatalogueError>();
  for (const e of errors) if (!seen.has(e.code)) seen.set(e.code, errorOf(e));
  return [...seen.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}

/** Every error one route may answer that is specific to it: its params' 422 codes and its documented errors. */
function endpointErrors(endpoint: EndpointDefinition): CatalogueError[] {
  const paramErrors = Object.keys(endpoint.params.properties).map((name) => endpoint.paramError(name));
  return uniqueErrors([...paramErrors, ...documentedErrors(endpoint)]);
}

const COMMON_ERRORS: readonly ErrorDefinition[] = [
  gatewayErrors.invalidToken,
  gatewayErrors.expiredToken,
  gatewayErrors.blacklistedToken,
  gatewayErrors.insufficientPrivileges,
  gatewayErrors.missingRecipient,
  gatewayErrors.invalidRecipient,
  gatewayErrors.conflict,
  gatewayErrors.tooManyRequests,
  gatewayErrors.internal,
  gatewayErrors.journalUnavailable,
];

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function casesOf(cases: readonly SandboxCase[] | undefined): CatalogueCase[] {
  return (cases ?? []).map((c) => ({
    title: c.title,
    description: c.description,
    status: c.status,
    params: Object.entries(c.params).map(([k, v]) => [k, valueText(v)] as [string, string]),
  }));
}

const EXAMPLE_MAX_CHARS = 6_000;

function exampleOf(cases: readonly SandboxCase[] | undefined): CatalogueEndpoint['example'] {
  const ok = cases?.find((c) => c.status === 200);
  if (ok === undefined) return undefined;
  const json = JSON.stringify(ok.body, null, 2);
  return { title: ok.title, json: json.length > EXAMPLE_MAX_CHARS ? `${json.slice(0, EXAMPLE_MAX_CHARS)}\n…` : json };
}

/**
 * Builds every API page of the catalogue, in registry order.
 * @throws TypeError when an API of the registry has no editorial texts (api-texts.ts)
 */
export function buildCatalogue(registry: readonly ProviderManifest[], sandboxCases: ReadonlyMap<string, readonly SandboxCase[]>): CatalogueApi[] {
  const apis = new Map<string, CatalogueApi>();
  for (const provider of registry) {
    for (const endpoint of provider.endpoints) {
      const key = apiKeyOf(provider, endpoint);
      let api = apis.get(key);
      if (api === undefined) {
        const texts = apiTexts[key];
        if (texts === undefined) throw new TypeError(`catalogue: no texts for API ${key} (add them to src/portal/catalogue/api-texts.ts)`);
        api = {
          key,
          url: `/catalogue/${texts.providerSlug}/${texts.apiSlug}`,
          providerId: provider.id,
          texts,
          franceConnect: false,
          modalities: [],
          scopeGroups: [],
          endpoints: [],
          templates: useCaseTemplates.filter((t) => t.apis.includes(key)),
          commonErrors: uniqueErrors(COMMON_ERRORS),
        };
        apis.set(key, api);
      }
      if (!api.modalities.includes(endpoint.modality)) api.modalities.push(endpoint.modality);
      api.franceConnect ||= endpoint.modality === 'france_connect';
      for (const [tableKey, paths] of Object.entries(endpoint.masking)) {
        let group = api.scopeGroups.find((g) => g.key === tableKey);
        if (group === undefined) {
          group = { key: tableKey, scopes: scopesOfKey(tableKey).map((name) => ({ name, label: provider.scopes[name]?.label ?? name })), fields: [] };
          api.scopeGroups.push(group);
        }
        for (const path of paths) for (const field of fieldsOf(endpoint.data, path)) if (!group.fields.some((f) => f.path === field.path)) group.fields.push(field);
      }
      api.endpoints.push({
        path: endpoint.path,
        version: endpoint.path.split('/')[1] ?? '',
        modality: endpoint.modality,
        modalityLabel: MODALITY_LABELS[endpoint.modality],
        operationId: endpoint.operationId,
        summary: endpoint.summary,
        description: endpoint.description,
        deprecated: endpoint.deprecated === true,
        params: paramsOf(endpoint.params),
        errors: endpointErrors(endpoint),
        cases: casesOf(sandboxCases.get(endpoint.operationId)),
        example: exampleOf(sandboxCases.get(endpoint.operationId)),
      });
    }
  }
  return [...apis.values()];
}
