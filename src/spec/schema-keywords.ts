// The per-keyword checks of schema-explain.ts, each phrased as a message that says what to change.

import { child, isRecord } from './pointer.js';
import type { SchemaValidator } from './schema-check.js';
import type { Issue, SchemaNode, Walk } from './schema-explain.js';
import { article, hasType, jsonType, PATTERN_HINTS, regex, sameJson, subschemas } from './schema-values.js';

export interface Walker {
  readonly validator: SchemaValidator;
  readonly root: unknown;
  where(pointer: string): string;
  resolve(ref: string): { sp: string; node: SchemaNode };
  explain(w: Walk): Issue[];
}

type Schema = Record<string, unknown>;

export function typeIssue(k: Walker, w: Walk, s: Schema): Issue | undefined {
  if (s['type'] === undefined) return undefined;
  const types = Array.isArray(s['type']) ? s['type'].map(String) : [String(s['type'])];
  if (types.some((t) => hasType(w.data, t))) return undefined;
  const expected = types.map(article).join(' or ');
  const message = `${k.where(w.ptr)} must be ${expected} (got ${jsonType(w.data)})`;
  return { kind: 'type', pointer: w.ptr, anchor: 'value', message, expected };
}

export function leafIssues(k: Walker, w: Walk, s: Schema): Issue[] {
  const where = k.where(w.ptr);
  const got = ` (got ${JSON.stringify(w.data)})`;
  const issue = (kind: Issue['kind'], text: string, expected?: string): Issue => ({
    kind,
    pointer: w.ptr,
    anchor: 'value',
    message: `${where} must ${text}${kind === 'range' ? '' : got}`,
    ...(expected === undefined ? {} : { expected }),
  });
  const issues: Issue[] = [];
  if ('const' in s && !sameJson(s['const'], w.data)) {
    issues.push(issue('enum', `be ${JSON.stringify(s['const'])}`, JSON.stringify(s['const'])));
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((v) => sameJson(v, w.data))) {
    const list = `one of ${s['enum'].map((v) => JSON.stringify(v)).join(', ')}`;
    issues.push(issue('enum', `be ${list}`, list));
  }
  if (typeof w.data === 'string') issues.push(...stringIssues(k, w.data, s, issue));
  if (typeof w.data === 'number') issues.push(...numberIssues(w.data, s, issue));
  if (Array.isArray(w.data) && typeof s['minItems'] === 'number' && w.data.length < s['minItems']) {
    issues.push(issue('range', `have at least ${s['minItems']} item(s)`));
  }
  return issues;
}

type MakeIssue = (kind: Issue['kind'], text: string) => Issue;

function stringIssues(k: Walker, data: string, s: Schema, issue: MakeIssue): Issue[] {
  const issues: Issue[] = [];
  const pattern = s['pattern'];
  if (typeof pattern === 'string' && !regex(pattern).test(data)) {
    issues.push(issue('pattern', PATTERN_HINTS[pattern] ?? `match the pattern ${pattern}`));
  }
  if (typeof s['format'] === 'string' && !k.validator.isFormat(s['format'], data)) {
    issues.push(issue('pattern', `be a valid ${s['format']}`));
  }
  if (typeof s['minLength'] === 'number' && data.length < s['minLength']) {
    issues.push(issue('range', `be at least ${s['minLength']} character(s) long`));
  }
  if (typeof s['maxLength'] === 'number' && data.length > s['maxLength']) {
    issues.push(issue('range', `be at most ${s['maxLength']} character(s) long`));
  }
  return issues;
}

function numberIssues(data: number, s: Schema, issue: MakeIssue): Issue[] {
  const issues: Issue[] = [];
  if (typeof s['minimum'] === 'number' && data < s['minimum']) issues.push(issue('range', `be ≥ ${s['minimum']}`));
  if (typeof s['maximum'] === 'number' && data > s['maximum']) issues.push(issue('range', `be ≤ ${s['maximum']}`));
  return issues;
}

export function objectIssues(k: Walker, w: Walk, s: Schema): Issue[] {
  if (!isRecord(w.data)) return [];
  const data = w.data;
  const issues: Issue[] = [];
  for (const key of Array.isArray(s['required']) ? s['required'].map(String) : []) {
    if (!(key in data)) {
      const message = `missing required property '${key}' in ${k.where(w.ptr)}`;
      issues.push({ kind: 'required', pointer: w.ptr, anchor: 'value', message, property: key });
    }
  }
  const properties = isRecord(s['properties']) ? s['properties'] : {};
  for (const [key, node] of Object.entries(properties)) {
    if (key in data) {
      const sp = child(w.sp, 'properties', key);
      issues.push(...k.explain({ sp, node: node as SchemaNode, data: data[key], ptr: child(w.ptr, key) }));
    }
  }
  issues.push(...extraIssues(k, w, s, data), ...propertyNameIssues(k, w, s, data), ...notIssues(k, w, s, data));
  return issues;
}

function extraIssues(k: Walker, w: Walk, s: Schema, data: Schema): Issue[] {
  const additional = s['additionalProperties'];
  const closed = additional === false || s['unevaluatedProperties'] === false;
  if (!closed && !isRecord(additional)) return [];
  const allowed = additional === undefined ? knownProperties(k, s) : Object.keys(s['properties'] ?? {});
  const extras = Object.keys(data).filter((key) => !allowed.includes(key));
  if (isRecord(additional)) {
    const sp = child(w.sp, 'additionalProperties');
    return extras.flatMap((key) => k.explain({ sp, node: additional, data: data[key], ptr: child(w.ptr, key) }));
  }
  const list = [...new Set(allowed)].sort().join(', ');
  return extras.map((key) => ({
    kind: 'unknown',
    pointer: child(w.ptr, key),
    anchor: 'key',
    message: `unknown property '${key}' in ${k.where(w.ptr)}; allowed: ${list}`,
  }));
}

/** Properties evaluated by this schema object for `unevaluatedProperties`: its own, its $ref's and its allOf's. */
function knownProperties(k: Walker, s: SchemaNode): string[] {
  if (!isRecord(s)) return [];
  const own = Object.keys(isRecord(s['properties']) ? s['properties'] : {});
  const ref = typeof s['$ref'] === 'string' ? knownProperties(k, k.resolve(s['$ref']).node) : [];
  return [...own, ...ref, ...subschemas(s, 'allOf').flatMap((n) => knownProperties(k, n))];
}

function propertyNameIssues(k: Walker, w: Walk, s: Schema, data: Schema): Issue[] {
  if (s['propertyNames'] === undefined) return [];
  const sp = child(w.sp, 'propertyNames');
  const bad = Object.keys(data).filter((key) => !k.validator.isValid(sp, key));
  const pattern = patternOf(k, s['propertyNames'] as SchemaNode);
  const hint = (pattern && PATTERN_HINTS[pattern]) ?? `match the pattern ${pattern ?? '(see schema)'}`;
  return bad.map((key) => ({
    kind: 'pattern',
    pointer: child(w.ptr, key),
    anchor: 'key',
    message: `property name '${key}' in ${k.where(w.ptr)} must ${hint}`,
  }));
}

function notIssues(k: Walker, w: Walk, s: Schema, data: Schema): Issue[] {
  const not = s['not'];
  if (!isRecord(not) || !k.validator.isValid(child(w.sp, 'not'), w.data)) return [];
  const when = Object.entries(isRecord(s['properties']) ? s['properties'] : {})
    .filter(([, v]) => isRecord(v) && 'const' in v)
    .map(([key, v]) => `${key} is ${JSON.stringify((v as Schema)['const'])}`);
  const suffix = when.length > 0 ? ` when ${when.join(' and ')}` : '';
  const keys = Array.isArray(not['required']) ? not['required'].map(String).filter((key) => key in data) : [];
  if (keys.length === 0) {
    return [
      { kind: 'shape', pointer: w.ptr, anchor: 'value', message: `${k.where(w.ptr)} has a forbidden shape${suffix}` },
    ];
  }
  return keys.map((key) => ({
    kind: 'unknown',
    pointer: child(w.ptr, key),
    anchor: 'key',
    message: `property '${key}' is not allowed in ${k.where(w.ptr)}${suffix}`,
  }));
}

function patternOf(k: Walker, s: SchemaNode): string | undefined {
  if (!isRecord(s)) return undefined;
  if (typeof s['pattern'] === 'string') return s['pattern'];
  return typeof s['$ref'] === 'string' ? patternOf(k, k.resolve(s['$ref']).node) : undefined;
}
