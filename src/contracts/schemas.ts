// OpenAPI Schema Objects → plain JSON Schema 2020-12, the dialect the binding table validates with and
// MCP lists verbatim. OpenAPI 3.0's own keywords are translated (nullable, boolean exclusive bounds, example);
// keywords a JSON Schema validator would only warn about or misread are dropped; a recursive schema (its
// `$ref` kept by the loader) becomes an open schema at the point it recurses.

import type { JsonSchema } from '../binding/table.js';

/** Formats ajv-formats checks (OpenAPI's int32, double… included); ajv would warn about any other. */
const KNOWN_FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'json-pointer-uri-fragment',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
]);

// Kept in the form they have in JSON Schema; anything else (xml, externalDocs, discriminator, x-…) is dropped.
const PASS = new Set([
  'type',
  'enum',
  'const',
  'format',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'multipleOf',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'contentEncoding',
  'contentMediaType',
]);
const ONE = ['items', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties'] as const;
const MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

export type Direction = 'request' | 'response';

/**
 * The JSON Schema for one OpenAPI schema. `request` drops readOnly properties (the server sets them),
 * `response` drops writeOnly ones, as OpenAPI defines.
 */
export function toJsonSchema(schema: unknown, direction: Direction, openapi31: boolean, root?: unknown): JsonSchema {
  const r = convert(schema, { dir: direction, v31: openapi31, root }, new Set());
  return typeof r === 'boolean' ? (r ? {} : { not: {} }) : r;
}

interface Scope {
  readonly dir: Direction;
  readonly v31: boolean;
  /** The whole document, for the `#/…` references the loader kept because they recurse. */
  readonly root: unknown;
}

function convert(start: unknown, scope: Scope, path: Set<object>): JsonSchema | boolean {
  const node = follow(start, scope.root);
  if (typeof node === 'boolean') return node;
  if (!node || typeof node !== 'object' || Array.isArray(node)) return {};
  // Met again on its own path: the schema recurses here; stop and accept anything below.
  if (path.has(node) || typeof (node as Record<string, unknown>)['$ref'] === 'string') return {};
  path.add(node);
  const { dir, v31 } = scope;
  const s = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (PASS.has(k)) out[k] = v;
  if (typeof out['format'] === 'string' && !KNOWN_FORMATS.has(out['format'])) delete out['format'];
  if (!v31) {
    if (s['example'] !== undefined && out['examples'] === undefined) out['examples'] = [s['example']];
    boundsFrom30(s, out);
    if (s['nullable'] === true) nullable(out);
  } else if (s['example'] !== undefined && out['examples'] === undefined) out['examples'] = [s['example']];

  for (const k of ONE) if (s[k] !== undefined) out[k] = convert(s[k], scope, path);
  for (const k of MANY) if (Array.isArray(s[k])) out[k] = (s[k] as unknown[]).map((x) => convert(x, scope, path));
  if (s['additionalProperties'] !== undefined)
    out['additionalProperties'] =
      typeof s['additionalProperties'] === 'boolean'
        ? s['additionalProperties']
        : convert(s['additionalProperties'], scope, path);
  if (s['properties'] && typeof s['properties'] === 'object') {
    const props: Record<string, unknown> = {};
    const dropped: string[] = [];
    for (const [name, child] of Object.entries(s['properties'] as Record<string, unknown>)) {
      const c = child as Record<string, unknown> | undefined;
      if ((dir === 'request' && c?.['readOnly'] === true) || (dir === 'response' && c?.['writeOnly'] === true)) {
        dropped.push(name);
        continue;
      }
      props[name] = convert(child, scope, path);
    }
    out['properties'] = props;
    if (Array.isArray(out['required'])) {
      const req = (out['required'] as unknown[]).filter((r) => typeof r === 'string' && !dropped.includes(r));
      if (req.length) out['required'] = req;
      else delete out['required'];
    }
  }
  path.delete(node);
  return out;
}

/** A kept `#/a/b` reference → the node it points at (one hop at a time; the path set stops loops). */
function follow(node: unknown, root: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 32; hops++) {
    const ref = current && typeof current === 'object' ? (current as Record<string, unknown>)['$ref'] : undefined;
    if (typeof ref !== 'string' || !ref.startsWith('#/') || root === undefined) return current;
    let target: unknown = root;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      target = target && typeof target === 'object' ? (target as Record<string, unknown>)[key] : undefined;
    }
    if (target === undefined) return {};
    current = target;
  }
  return {};
}

/** OpenAPI 3.0: `exclusiveMinimum: true` qualifies `minimum`; 2020-12 wants the bound itself. */
function boundsFrom30(s: Record<string, unknown>, out: Record<string, unknown>): void {
  for (const [ex, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof s[ex] !== 'boolean') continue;
    delete out[ex];
    if (s[ex] === true && typeof s[bound] === 'number') {
      out[ex] = s[bound];
      delete out[bound];
    }
  }
}

function nullable(out: Record<string, unknown>): void {
  const t = out['type'];
  if (typeof t === 'string') out['type'] = [t, 'null'];
  else if (Array.isArray(t) && !t.includes('null')) out['type'] = [...t, 'null'];
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
}
