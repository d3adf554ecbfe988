/**
 * What the explorer form needs about a route, derived from the registry and the sandbox cases (issue
 * 7 item 3): its wire params, its scopes with their labels, its cases as ready-made param sets, and
 * the FranceConnect tokens of the sandbox cast for `/france_connect` routes. Also turns the submitted
 * form back into a query, with every problem reported beside its field.
 */
import type { EndpointDefinition, ProviderManifest } from '../../core/endpoint.ts';
import { endpointScopes } from '../../core/endpoint.ts';
import { scopesOfKey } from '../../core/mask.ts';
import type { LoadReport } from '../../sandbox/load-cases.ts';
import { EXAMPLE_RECIPIENT, queryOf } from '../developers/code-examples.ts';

export interface ExplorerRoute {
  provider: ProviderManifest;
  endpoint: EndpointDefinition;
}

export interface ExplorerField {
  /** Wire name (`prenoms[]`); the form field is `p:<name>`. */
  name: string;
  required: boolean;
  description: string;
  /** Several values (`prenoms[]`): typed comma-separated. */
  list: boolean;
  value: string;
}

export interface ExplorerForm {
  route: ExplorerRoute;
  fields: ExplorerField[];
  scopes: Array<{ name: string; label: string; checked: boolean }>;
  cases: Array<{ index: number; title: string; status: number }>;
  franceConnectTokens: string[];
  franceConnectToken: string;
}

export function explorerRoutes(registry: readonly ProviderManifest[]): ExplorerRoute[] {
  return registry.flatMap((provider) => provider.endpoints.map((endpoint) => ({ provider, endpoint })));
}

/** The form of a route, filled from a sandbox case (default: the first 200) or from submitted values. */
export function explorerForm(route: ExplorerRoute, report: LoadReport, submitted: Record<string, unknown> | undefined, caseIndex: number | undefined): ExplorerForm {
  const { endpoint, provider } = route;
  const cases = report.cases.get(endpoint.operationId) ?? [];
  const chosen = caseIndex !== undefined ? cases[caseIndex] : cases.find((c) => c.status === 200);
  const fromCase = new Map<string, string[]>();
  for (const [k, v] of chosen === undefined ? [] : queryOf(endpoint, chosen.params)) fromCase.set(k, [...(fromCase.get(k) ?? []), v]);
  const props = endpoint.params.properties as Record<string, { description?: string; title?: string }>;
  const required = new Set(endpoint.params.required ?? []);
  const names = ['recipient', ...Object.keys(props)];
  const fields = names.map((name) => {
    const typed = submitted?.[`p:${name}`];
    const value = typeof typed === 'string' ? typed : (fromCase.get(name) ?? (name === 'recipient' ? [EXAMPLE_RECIPIENT] : [])).join(', ');
    return {
      name,
      required: name === 'recipient' || required.has(name),
      description: name === 'recipient' ? 'SIRET de l’organisation destinataire' : (props[name]?.description ?? props[name]?.title ?? ''),
      list: name.endsWith('[]'),
      value,
    };
  });
  const all = endpointScopes(endpoint);
  const picked = submitted === undefined ? all : all.filter((s) => submittedList(submitted.scopes).includes(s));
  const fcTokens = [...report.franceConnectTokens.keys()].sort();
  const namedToken = chosen === undefined ? undefined : /Bearer\s+([a-z0-9_]+)/i.exec(chosen.description)?.[1];
  const typedToken = submitted?.fc;
  return {
    route,
    fields,
    scopes: all.map((name) => ({ name, label: provider.scopes[name]?.label ?? name, checked: picked.includes(name) })),
    cases: cases.map((c, index) => ({ index, title: c.title, status: c.status })),
    franceConnectTokens: fcTokens,
    franceConnectToken: typeof typedToken === 'string' && fcTokens.includes(typedToken) ? typedToken : namedToken !== undefined && fcTokens.includes(namedToken) ? namedToken : (fcTokens[0] ?? ''),
  };
}

export function submittedList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The query of a filled form, or the problems to show beside each field (nothing is called then). */
export function queryOfForm(form: ExplorerForm): { query: Array<[string, string]> } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const query: Array<[string, string]> = [];
  for (const f of form.fields) {
    const values = f.list ? f.value.split(',').map((v) => v.trim()).filter((v) => v !== '') : f.value.trim() === '' ? [] : [f.value.trim()];
    if (values.some((v) => v.length > 200)) problems[f.name] = 'Valeur trop longue (200 caractères au plus).';
    for (const v of values) query.push([f.name, v]);
  }
  if (!form.scopes.some((s) => s.checked)) problems.scopes = 'Cochez au moins un scope : un jeton sans scope n’ouvre aucune route.';
  if (form.route.endpoint.modality === 'france_connect' && form.franceConnectToken === '') problems.fc = 'Choisissez un jeton FranceConnect du bac à sable.';
  return Object.keys(problems).length > 0 ? { problems } : { query };
}

/** Field paths the unchecked scopes would have unlocked: what masking removes from the answer. */
export function removedFields(endpoint: EndpointDefinition, held: readonly string[]): string[] {
  const removed: string[] = [];
  for (const [key, paths] of Object.entries(endpoint.masking)) if (!scopesOfKey(key).every((s) => held.includes(s))) removed.push(...paths);
  const kept = new Set(Object.entries(endpoint.masking).filter(([key]) => scopesOfKey(key).every((s) => held.includes(s))).flatMap(([, p]) => p));
  return [...new Set(removed.filter((p) => !kept.has(p)))];
}
