// The argument object of a binding: one JSON Schema, one compiled validator, string coercion for
// values that arrive as text (path, query, header).

import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { hasLoneSurrogate } from '../json-strict.js';
import type { ArgSpec, BindingInput, JsonSchema, ValidationIssue } from './table.js';

// Control characters never belong in a path segment: refuse them instead of passing them on encoded.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// JSON.stringify of the upstream body overflows the stack a few thousand levels down (a 500 for a caller's
// mistake); real payloads are a handful of levels deep, so refuse anything deeper before it recurses.
const MAX_DEPTH = 128;
const INVALID_TEXT = 'is not valid Unicode (a lone UTF-16 surrogate)';

// A REST operation and the MCP tool calling the same function have equal input schemas: ajv caches by object,
// not content, so without this each is compiled twice (compiling is most of what start-up spends in the table).
const compiled = new WeakMap<Ajv2020, Map<string, ValidateFunction>>();

function compileOnce(ajv: Ajv2020, schema: JsonSchema): ValidateFunction {
  let byText = compiled.get(ajv);
  if (!byText) compiled.set(ajv, (byText = new Map()));
  const text = JSON.stringify(schema);
  let check = byText.get(text);
  if (!check) byText.set(text, (check = ajv.compile(schema)));
  return check;
}

export function compileInput(ajv: Ajv2020, args: readonly ArgSpec[]): BindingInput {
  const schema = inputSchema(args);
  const check = compileOnce(ajv, schema);
  const known = args.map((a) => a.name);

  const validate: BindingInput['validate'] = (raw) => {
    const value = coerce(args, raw);
    // Reported alone: the schema check would walk the same too-deep value.
    const unsafe = valueIssues(args, value);
    if (unsafe.length) return { ok: false, issues: unsafe };
    const issues = pathSegmentIssues(args, value);
    if (!check(value)) issues.push(...(check.errors ?? []).map((e) => toIssue(e, known)));
    return issues.length ? { ok: false, issues: dedupe(issues) } : { ok: true, value };
  };
  return { schema, args, validate };
}

export function inputSchema(args: readonly ArgSpec[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const a of args) properties[a.name] = a.description ? { ...a.schema, description: a.description } : a.schema;
  const required = args.filter((a) => a.required).map((a) => a.name);
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

function coerce(args: readonly ArgSpec[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const a of args) {
    const v = out[a.name];
    if (typeof v !== 'string' || a.source === 'body') continue;
    out[a.name] = fromText(v, a.schema['type']);
  }
  return out;
}

/** Strict text → value: "12" → 12 but "12abc", "" and "1e3x" stay strings so the schema reports them. */
function fromText(text: string, type: unknown): unknown {
  if (type === 'integer' && /^-?\d+$/.test(text)) return Number(text);
  if (type === 'number' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function pathSegmentIssues(args: readonly ArgSpec[], value: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const a of args) {
    const v = value[a.name];
    if (a.source !== 'path' || typeof v !== 'string') continue;
    if (v === '.' || v === '..')
      issues.push({ argument: a.name, message: `must not be '${v}' (it would change the upstream path)` });
    else if (CONTROL.test(v)) issues.push({ argument: a.name, message: 'must not contain control characters' });
  }
  return issues;
}

/**
 * Values the upstream request could not carry as given: too deep to serialize, numbers JSON cannot write
 * (1e999 would go upstream as null), integers past 2^53 (99999999999999999999999 would go as 1e+23).
 */
function valueIssues(args: readonly ArgSpec[], value: Record<string, unknown>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const a of args) {
    const v = value[a.name];
    const problem = v === undefined ? undefined : jsonProblem(v);
    if (problem) issues.push({ argument: problem.at ? `${a.name}.${problem.at}` : a.name, message: problem.message });
    else if (a.schema['type'] === 'integer' && Number.isInteger(v) && !Number.isSafeInteger(v))
      issues.push({ argument: a.name, message: `must be an integer within ±${Number.MAX_SAFE_INTEGER}` });
  }
  return issues;
}

/** Iterative, so the check itself cannot overflow the stack it protects. */
function jsonProblem(root: unknown): { at: string; message: string } | undefined {
  const stack: Array<[value: unknown, depth: number, at: string]> = [[root, 0, '']];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, depth, at] = item;
    if (typeof v === 'number' && !Number.isFinite(v)) return { at, message: 'must be a finite number' };
    if (typeof v === 'string' && hasLoneSurrogate(v)) return { at, message: INVALID_TEXT };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { at: '', message: `is nested more than ${MAX_DEPTH} levels deep` };
    for (const [k, child] of Object.entries(v)) {
      if (hasLoneSurrogate(k)) return { at, message: `has a key that ${INVALID_TEXT}` };
      stack.push([child, depth + 1, join(at, k)]);
    }
  }
  return undefined;
}

function toIssue(e: ErrorObject, known: readonly string[]): ValidationIssue {
  const at = e.instancePath.slice(1).replaceAll('/', '.');
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { argument: join(at, String(p['missingProperty'])), message: 'is required' };
    case 'additionalProperties':
      return at
        ? { argument: join(at, String(p['additionalProperty'])), message: 'is not allowed here' }
        : {
            argument: String(p['additionalProperty']),
            message: `is not a known argument; known: ${known.join(', ') || '(none)'}`,
          };
    case 'type':
      return { argument: at, message: `must be ${String(p['type'])}` };
    case 'minLength':
      return { argument: at, message: p['limit'] === 1 ? 'must not be empty' : (e.message ?? 'is too short') };
    case 'maxLength':
      return { argument: at, message: `must be at most ${String(p['limit'])} characters` };
    default:
      return { argument: at, message: e.message ?? e.keyword };
  }
}

function join(base: string, name: string): string {
  return base ? `${base}.${name}` : name;
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.argument}\u0000${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
