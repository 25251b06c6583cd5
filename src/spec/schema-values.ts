// Value-level helpers for schema messages: JSON type names, pattern hints, comparisons.

import { isRecord } from './pointer.js';
import type { SchemaNode } from './schema-explain.js';

/** Plain-language forms of the schema's patterns, keyed by the pattern itself. */
export const PATTERN_HINTS: Record<string, string> = {
  '^[a-zA-Z0-9-]+$': "use only letters, digits and '-'",
  '^[a-zA-Z0-9-_*]+$': "use only letters, digits, '-', '_' and '*'",
  '^[A-Z][A-Z0-9_]*$': 'be an UPPER_SNAKE_CASE name such as API_TOKEN',
  '^[a-zA-Z][a-zA-Z0-9+.-]*://': 'be a URI with a scheme, e.g. file:///./secrets.yaml',
  '^[a-zA-Z0-9-]+\\.[a-zA-Z0-9-]+$': "be '<namespace>.<name>' (exactly two dot-separated tokens)",
  '^https?://[^/]+(/[^{]*)?$': "be an http(s) URL with no '{' in its path",
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$': 'be a date written YYYY-MM-DD',
};

export function hasType(data: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(data);
  if (type === 'null') return data === null;
  if (type === 'array') return Array.isArray(data);
  if (type === 'object') return isRecord(data);
  return typeof data === type;
}

export function jsonType(data: unknown): string {
  if (data === null || data === undefined) return 'null';
  if (Array.isArray(data)) return 'a list';
  if (isRecord(data)) return 'a mapping';
  return `${typeof data} ${JSON.stringify(data)}`;
}

export function article(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', integer: 'an integer' };
  return names[type] ?? `a ${type}`;
}

export function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function subschemas(s: Record<string, unknown>, keyword: string): SchemaNode[] {
  const list = s[keyword];
  return Array.isArray(list) ? (list as SchemaNode[]) : [];
}
