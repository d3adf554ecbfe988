/**
 * A route's generic example, built from its response schema: what the sandbox answers when no case
 * matches (CONTRACT §6, after the official `lib/open_api_schema_to_example.rb`). TypeBox schemas are
 * JSON schemas, so any route's `data` schema works, as would a schema read from the OpenAPI file.
 *
 * Order of preference for each node: its `example` (or `examples[0]`), then `enum[0]`, then
 * `const`, then a dummy value for its type. Nullable nodes (`nullable: true`, a `null` branch of
 * `anyOf`/`oneOf`, or `type: [..., 'null']`) give their non-null value: an example shows the data.
 */

type Schema = Record<string, unknown>;

/** Past this depth (recursive schemas) the example stops with `null`. */
const MAX_DEPTH = 32;

const STRING_BY_FORMAT: Readonly<Record<string, string>> = {
  date: '2000-01-01',
  'date-time': '2000-01-01T00:00:00Z',
  time: '00:00:00',
  email: 'jean.dupont@example.org',
  uri: 'https://example.org',
  url: 'https://example.org',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullSchema(schema: unknown): boolean {
  return isSchema(schema) && (schema.type === 'null' || schema.const === null);
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null') ?? (type.length > 0 ? 'null' : undefined);
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function numberFor(schema: Schema, integer: boolean): number {
  let value = 0;
  if (typeof schema.minimum === 'number' && value < schema.minimum) value = schema.minimum;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) {
    value = integer ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum + 1;
  }
  if (typeof schema.maximum === 'number' && value > schema.maximum) value = schema.maximum;
  return integer ? Math.ceil(value) : value;
}

function build(schema: unknown, depth: number): unknown {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if ('example' in schema && schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  if ('const' in schema) return schema.const;

  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      return build(branches.find((b) => !isNullSchema(b)) ?? branches[0], depth + 1);
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const parts = schema.allOf.map((part) => build(part, depth + 1));
    return parts.every(isSchema) ? Object.assign({}, ...parts) : parts[0];
  }

  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = isSchema(schema.properties) ? schema.properties : {};
      for (const [name, property] of Object.entries(properties)) out[name] = build(property, depth + 1);
      return out;
    }
    case 'array': {
      if (schema.items === undefined) return [];
      const count = typeof schema.minItems === 'number' && schema.minItems > 1 ? schema.minItems : 1;
      return Array.from({ length: count }, () => build(schema.items, depth + 1));
    }
    case 'string':
      return (typeof schema.format === 'string' ? STRING_BY_FORMAT[schema.format] : undefined) ?? 'string';
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

/**
 * Builds an example value from a JSON schema.
 * @example
 * exampleFromSchema(Type.Object({ est_beneficiaire: Type.Boolean(), date_debut_droit: Type.Union([Type.String({ format: 'date' }), Type.Null()]) }));
 * // { est_beneficiaire: true, date_debut_droit: '2000-01-01' }
 */
export function exampleFromSchema(schema: unknown): unknown {
  return build(schema, 0);
}
