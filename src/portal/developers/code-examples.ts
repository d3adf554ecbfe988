/**
 * Copy-paste examples of every route, in curl, JavaScript and Python (issue 7 item 2), generated from
 * the registry and the route's first 200 sandbox case: its params become the query, its body is the
 * answer the page shows. test/portal-developers.test.ts runs the three snippets for real against the
 * sandbox and compares their output with that answer (docs/adr/0141-executed-code-examples.md).
 */
import type { EndpointDefinition, ProviderManifest } from '../../core/endpoint.ts';
import type { LoadReport } from '../../sandbox/load-cases.ts';
import type { SandboxCase } from '../../sandbox/case-file.ts';

/** The SIRET the examples send as `recipient` (DINUM's, as in the README). */
export const EXAMPLE_RECIPIENT = '13002526500013';
/** The environment variable the snippets read the API token from. */
export const TOKEN_VARIABLE = 'API_PARTICULIER_TOKEN';

export interface CodeExample {
  operationId: string;
  path: string;
  summary: string;
  providerId: string;
  deprecated: boolean;
  caseTitle: string;
  /** Query params in order, wire names (`prenoms[]` repeated). */
  query: Array<[string, string]>;
  /** FranceConnect routes: the sandbox citizen token sent instead of the API token. */
  franceConnectToken: string | undefined;
  curl: string;
  javascript: string;
  python: string;
  /** The answer the docs show: the case's body, pretty-printed. */
  answer: string;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Case params (`prenoms: [A, B]`) → wire query (`prenoms[]=A&prenoms[]=B`), `recipient` first. */
export function queryOf(endpoint: EndpointDefinition, params: Record<string, unknown>): Array<[string, string]> {
  const wire = endpoint.params.properties as Record<string, unknown>;
  const query: Array<[string, string]> = [['recipient', EXAMPLE_RECIPIENT]];
  for (const [key, value] of Object.entries(params)) {
    if (key === 'recipient') continue;
    const name = !(key in wire) && `${key}[]` in wire ? `${key}[]` : key;
    for (const v of Array.isArray(value) ? value : [value]) query.push([name, scalar(v)]);
  }
  return query;
}

/** The sandbox FranceConnect token whose citizen matches a case: named in its description, else by name and birth date. */
function franceConnectTokenOf(c: SandboxCase, report: LoadReport): string | undefined {
  const named = /Bearer\s+([a-z0-9_]+)/i.exec(c.description)?.[1];
  if (named !== undefined && report.franceConnectTokens.has(named)) return named;
  const p = c.params;
  const pad = (n: unknown): string => String(n).padStart(2, '0');
  const birth = `${String(p.anneeDateNaissance)}-${pad(p.moisDateNaissance)}-${pad(p.jourDateNaissance)}`;
  for (const [token, entry] of report.franceConnectTokens) {
    const who = entry.introspection.token_introspection as { family_name?: string; birthdate?: string } | undefined;
    if (who?.family_name?.toUpperCase() === String(p.nomNaissance).toUpperCase() && who.birthdate === birth) return token;
  }
  return undefined;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const jsString = (s: string): string => JSON.stringify(s);

function curlOf(baseUrl: string, path: string, query: Array<[string, string]>, fcToken: string | undefined): string {
  const auth = fcToken === undefined ? `"Authorization: Bearer $${TOKEN_VARIABLE}"` : shellQuote(`Authorization: Bearer ${fcToken}`);
  const lines = [`curl -sS -G ${shellQuote(`${baseUrl}${path}`)}`, `  -H ${auth}`, ...query.map(([k, v]) => `  --data-urlencode ${shellQuote(`${k}=${v}`)}`)];
  return lines.join(' \\\n');
}

function javascriptOf(baseUrl: string, path: string, query: Array<[string, string]>, fcToken: string | undefined): string {
  const auth = fcToken === undefined ? `\`Bearer \${process.env.${TOKEN_VARIABLE}}\`` : jsString(`Bearer ${fcToken}`);
  return [
    `const params = new URLSearchParams([`,
    ...query.map(([k, v]) => `  [${jsString(k)}, ${jsString(v)}],`),
    `]);`,
    `const response = await fetch(${jsString(`${baseUrl}${path}`)} + '?' + params, {`,
    `  headers: { Authorization: ${auth} },`,
    `});`,
    `console.log(JSON.stringify(await response.json(), null, 2));`,
  ].join('\n');
}

function pythonOf(baseUrl: string, path: string, query: Array<[string, string]>, fcToken: string | undefined): string {
  const auth = fcToken === undefined ? `"Bearer " + os.environ["${TOKEN_VARIABLE}"]` : JSON.stringify(`Bearer ${fcToken}`);
  return [
    'import json, os, urllib.error, urllib.parse, urllib.request',
    '',
    'params = urllib.parse.urlencode([',
    ...query.map(([k, v]) => `    (${JSON.stringify(k)}, ${JSON.stringify(v)}),`),
    '])',
    `request = urllib.request.Request(${JSON.stringify(`${baseUrl}${path}`)} + "?" + params,`,
    `                                 headers={"Authorization": ${auth}})`,
    'try:',
    '    with urllib.request.urlopen(request) as response:',
    '        body = json.load(response)',
    'except urllib.error.HTTPError as error:  # 4xx/5xx: the body holds the coded errors',
    '    body = json.load(error)',
    'print(json.dumps(body, indent=2, ensure_ascii=False))',
  ].join('\n');
}

/**
 * The examples of every route of the registry, in registry order. A route with no 200 case gets
 * none, which test/portal-developers.test.ts reports (the registry contract requires one).
 * @example
 * const examples = buildCodeExamples(registry, sandbox(), 'https://particulier.api.gouv.fr');
 */
export function buildCodeExamples(registry: readonly ProviderManifest[], report: LoadReport, baseUrl: string): CodeExample[] {
  const examples: CodeExample[] = [];
  for (const provider of registry) {
    for (const endpoint of provider.endpoints) {
      const cases = report.cases.get(endpoint.operationId) ?? [];
      const ok = endpoint.modality === 'france_connect' ? cases.find((c) => c.status === 200 && franceConnectTokenOf(c, report) !== undefined) : cases.find((c) => c.status === 200);
      if (ok === undefined) continue;
      const fcToken = endpoint.modality === 'france_connect' ? franceConnectTokenOf(ok, report) : undefined;
      // FranceConnect: the identity comes from the token; the route's own params (ANTS' immatriculation) stay.
      const query = queryOf(endpoint, ok.params).filter(([name]) => endpoint.modality !== 'france_connect' || name === 'recipient' || name in endpoint.params.properties);
      examples.push({
        operationId: endpoint.operationId,
        path: endpoint.path,
        summary: endpoint.summary,
        providerId: provider.id,
        deprecated: endpoint.deprecated === true,
        caseTitle: ok.title,
        query,
        franceConnectToken: fcToken,
        curl: curlOf(baseUrl, endpoint.path, query, fcToken),
        javascript: javascriptOf(baseUrl, endpoint.path, query, fcToken),
        python: pythonOf(baseUrl, endpoint.path, query, fcToken),
        answer: JSON.stringify(ok.body, null, 2),
      });
    }
  }
  return examples;
}
