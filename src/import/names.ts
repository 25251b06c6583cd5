// Names and types as the reference engine's OpenAPI import derives them, within the alpha2 identifier patterns.

/** `listAllPets` → `list-all-pets`, `Petstore API` → `petstore-api`. */
export function kebab(input: string): string {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** `/users/{id}` → `users-id`; the root path → `root`. */
export function resourceName(path: string): string {
  return kebab(path.replace(/[{}]/g, '')) || 'root';
}

/** The operationId, kebab-cased, or `{method}-{path slug}` when there is none. */
export function operationName(method: string, path: string, operationId: unknown): string {
  if (typeof operationId === 'string' && kebab(operationId)) return kebab(operationId);
  return `${method.toLowerCase()}-${kebab(path.replace(/[{}]/g, ''))}`.replace(/-+/g, '-').replace(/-$/, '');
}

/** alpha2's IdentifierExtended: what a parameter or output name may be. */
export const PARAMETER_NAME = /^[a-zA-Z0-9-_*]+$/;

/** `swagger-petstore` → `SWAGGER_PETSTORE`: a bind variable prefix. */
export function variablePrefix(namespace: string): string {
  const upper = namespace
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[A-Z]/.test(upper) ? upper : `API_${upper}`;
}

type Schema = Record<string, unknown>;

/** The schema's type; OpenAPI 3.1 lists like `["string","null"]` give their first non-null type. */
export function schemaType(schema: unknown): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as Schema;
  const t = s['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && t.length > 0) return (t.find((x) => x !== 'null') ?? t[0]) as string;
  if (s['properties'] || s['additionalProperties']) return 'object';
  if (s['items']) return 'array';
  const variants = (s['allOf'] ?? s['oneOf'] ?? s['anyOf']) as unknown[] | undefined;
  if (Array.isArray(variants)) for (const v of variants) if (schemaType(v)) return schemaType(v);
  return undefined;
}

const INPUT_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** An input parameter's type (alpha2 keeps `integer`); unknown types read as strings, as the engine does. */
export function inputType(schema: unknown): string {
  const t = schemaType(schema);
  return t && INPUT_TYPES.has(t) ? t : 'string';
}

/** A consumed output's type: alpha2 has no `integer` there, so it becomes `number` (as in the engine). */
export function outputType(schema: unknown): string {
  const t = inputType(schema);
  return t === 'integer' ? 'number' : t;
}

export function isJsonMedia(media: string): boolean {
  const m = media.split(';')[0]?.trim().toLowerCase() ?? '';
  return m === 'application/json' || m.endsWith('+json');
}

export function rec(v: unknown): Schema | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
