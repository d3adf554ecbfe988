/**
 * The OpenAPI reference as server-rendered pages (issue 7 item 2, "interactive OpenAPI reference"):
 * built from the very document served at `/v3/openapi.json` (generated from the route schemas), so it
 * cannot drift. Each operation gets its params, its response fields and its answers by status, and
 * links to its executed examples and to the explorer that runs it. `/docs` (Swagger UI, about 2 MB of
 * JavaScript) stays for those who want it; these pages ship none of their own
 * (docs/adr/0140-developer-docs-from-the-repository.md).
 */

interface Schema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  format?: string;
  required?: string[];
}

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  deprecated?: boolean;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: Schema }>;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

export interface ReferenceField {
  path: string;
  type: string;
  title: string;
  description: string;
  depth: number;
}

export interface ReferenceOperation {
  /** The operationId, else `get-v3-…` from the method and path. */
  key: string;
  method: string;
  path: string;
  tag: string;
  summary: string;
  description: string;
  deprecated: boolean;
  authenticated: boolean;
  params: Array<{ name: string; in: string; required: boolean; type: string; description: string }>;
  fields: ReferenceField[];
  responses: Array<{ status: string; description: string }>;
}

function typeOf(schema: Schema | undefined): string {
  if (schema === undefined) return '';
  if (schema.enum) return `valeurs : ${schema.enum.map(String).join(', ')}`;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.map(typeOf).join(' ou ');
  if (schema.type === 'array') return `liste de ${typeOf(schema.items) || 'valeurs'}`;
  const names: Record<string, string> = { string: 'texte', integer: 'entier', number: 'nombre', boolean: 'booléen', object: 'objet', null: 'null' };
  const type = Array.isArray(schema.type) ? schema.type.map((t) => names[t] ?? t).join(' ou ') : (names[schema.type ?? ''] ?? schema.type ?? 'valeur');
  return schema.format ? `${type} (${schema.format})` : type;
}

/** The object under a nullable, list or union node. */
function objectOf(schema: Schema | undefined): Schema | undefined {
  if (schema === undefined) return undefined;
  if (schema.properties) return schema;
  if (schema.items) return objectOf(schema.items);
  for (const option of schema.anyOf ?? schema.oneOf ?? []) {
    const found = objectOf(option);
    if (found) return found;
  }
  return undefined;
}

function fieldsOf(schema: Schema | undefined, prefix: string, depth: number, out: ReferenceField[]): void {
  if (depth > 6) return;
  for (const [name, child] of Object.entries(objectOf(schema)?.properties ?? {})) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    out.push({ path, type: typeOf(child), title: child.title ?? '', description: child.description ?? '', depth });
    fieldsOf(child, path, depth + 1, out);
  }
}

const keyOf = (method: string, path: string, op: Operation): string => op.operationId ?? `${method}${path}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-$/, '');

/** Every operation of the document, in document order. */
export function referenceOperations(document: OpenApiDocument): ReferenceOperation[] {
  const operations: ReferenceOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const ok = op.responses?.['200']?.content?.['application/json']?.schema;
      const fields: ReferenceField[] = [];
      fieldsOf(ok, '', 0, fields);
      operations.push({
        key: keyOf(method, path, op),
        method: method.toUpperCase(),
        path,
        tag: op.tags?.[0] ?? 'Service',
        summary: op.summary ?? '',
        description: op.description ?? '',
        deprecated: op.deprecated === true,
        authenticated: (op.security?.length ?? 0) > 0,
        params: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, type: typeOf(p.schema), description: p.description ?? '' })),
        fields,
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, description: r.description ?? '' })),
      });
    }
  }
  return operations;
}
