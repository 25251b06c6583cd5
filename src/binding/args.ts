// Which arguments a binding takes: declared ones are authoritative; the rest are inferred from
// exposed path placeholders, `with` references and consumed path placeholders (DESIGN §3.5).

import type { ConsumedInputParameter, ScalarType } from '../spec/types.js';
import { placeholders } from './path.js';
import type { WithSource } from './references.js';
import type { ArgSource, ArgSpec, JsonSchema } from './table.js';

export interface DeclaredParam {
  readonly name: string;
  readonly in?: string;
  readonly type?: ScalarType;
  readonly description?: string;
  readonly required?: boolean;
  /** A regex the (string) value must match. */
  readonly pattern?: string;
  /** REST: `$…` is a JSONPath into the request body; anything else a constant (not a caller argument). */
  readonly value?: string;
}

export interface ArgPlanInput {
  readonly adapter: 'rest' | 'mcp';
  /** The exposed REST path; undefined for MCP tools. */
  readonly exposedPath?: string;
  readonly declared: readonly DeclaredParam[];
  /** `with`, keyed by consumed parameter name. */
  readonly withSources: ReadonlyMap<string, WithSource>;
  readonly consumedParams: readonly ConsumedInputParameter[];
  readonly consumedPath: string;
}

export function planArgs(plan: ArgPlanInput): ArgSpec[] {
  const args = new Map<string, ArgSpec>();
  const exposedPlaceholders = new Set(plan.exposedPath ? placeholders(plan.exposedPath) : []);
  const consumedByName = new Map(plan.consumedParams.map((p) => [p.name, p] as const));

  for (const d of plan.declared) args.set(d.name, declaredArg(d, plan.adapter, exposedPlaceholders));

  for (const name of exposedPlaceholders) {
    if (!args.has(name)) args.set(name, pathArg(name, consumedByName.get(name)?.description));
  }

  // A consumed placeholder nobody feeds becomes a required argument of the same name.
  for (const name of placeholders(plan.consumedPath)) {
    if (!plan.withSources.has(name) && !args.has(name) && consumedByName.get(name)?.value === undefined) {
      args.set(name, pathArg(name, consumedByName.get(name)?.description));
    }
  }

  for (const [key, w] of plan.withSources) {
    if (w.kind !== 'argument' || args.has(w.name)) continue;
    const fed = consumedByName.get(key);
    args.set(w.name, inferredFromConsumed(w.name, fed, exposedPlaceholders));
  }
  return [...args.values()];
}

function declaredArg(d: DeclaredParam, adapter: 'rest' | 'mcp', exposedPlaceholders: ReadonlySet<string>): ArgSpec {
  const source = sourceOf(d.in, d.name, exposedPlaceholders);
  // MCP tool parameters are required unless they say otherwise (reference engine); REST ones only in the path.
  const bodyPath = typeof d.value === 'string' && d.value.trim().startsWith('$') ? d.value.trim() : undefined;
  // A value taken from the body by path is there or not: the engine sends nothing for it when absent.
  const required = bodyPath ? false : (d.required ?? (adapter === 'mcp' || source === 'path'));
  const base = source === 'path' ? pathSegmentSchema() : schemaFor(d.type ?? 'string');
  const schema = d.pattern && (d.type ?? 'string') === 'string' ? { ...base, pattern: d.pattern } : base;
  return {
    name: d.name,
    source: bodyPath ? 'body' : source,
    required,
    schema,
    ...(d.description ? { description: d.description } : {}),
    origin: 'declared',
    ...(bodyPath ? { bodyPath } : {}),
    ...(d.type === undefined && source !== 'path' ? { defaultType: true as const } : {}),
  };
}

function pathArg(name: string, description: string | undefined): ArgSpec {
  return {
    name,
    source: 'path',
    required: true,
    schema: pathSegmentSchema(),
    ...(description ? { description } : {}),
    origin: 'path-placeholder',
  };
}

function inferredFromConsumed(
  name: string,
  fed: ConsumedInputParameter | undefined,
  exposedPlaceholders: ReadonlySet<string>,
): ArgSpec {
  const source = sourceOf(fed?.in, name, exposedPlaceholders);
  const type = fed?.type ?? (source === 'body' ? 'object' : 'string');
  return {
    name,
    source,
    required: source === 'path' || fed?.required === true,
    schema: source === 'path' ? pathSegmentSchema() : schemaFor(type),
    ...(fed?.description ? { description: fed.description } : {}),
    origin: 'with-reference',
    ...(source === 'body' ? { wholeBody: true } : {}),
    ...(fed?.type === undefined && source !== 'path' ? { defaultType: true as const } : {}),
  };
}

function sourceOf(where: string | undefined, name: string, exposedPlaceholders: ReadonlySet<string>): ArgSource {
  if (exposedPlaceholders.has(name)) return 'path';
  switch (where) {
    case 'header':
    case 'cookie':
    case 'body':
      return where;
    case 'query':
    case 'path':
    default:
      return 'query';
  }
}

function schemaFor(type: ScalarType): JsonSchema {
  return { type };
}

/**
 * A path argument is one segment: never empty, and bounded so that REST, MCP and OpenAPI refuse the same
 * ids with the same message (Logto's ids are 21 characters; 256 leaves room for any real API's).
 */
export const MAX_PATH_SEGMENT = 256;

function pathSegmentSchema(): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: MAX_PATH_SEGMENT };
}
