// A matched upstream contract applied to a binding's arguments and output, at compile time. The capability
// file's own declarations win: a keyword the file's schema sets is kept, the contract adds what it lacks; a
// type the two disagree on leaves the file's schema alone.

import type { OutputParameter } from '../spec/types.js';
import type { ArgSpec, JsonSchema } from '../binding/table.js';
import { isIdentityPath } from '../binding/output.js';
import type { OperationContract } from './types.js';

/** For each argument, the consumed parameter it feeds (its `with` key), when not the same name. */
export type FedBy = ReadonlyMap<string, string>;

export function applyContract(args: readonly ArgSpec[], contract: OperationContract, fedBy: FedBy): ArgSpec[] {
  return args.map((a) => {
    const target = fedBy.get(a.name) ?? a.name;
    if (a.source === 'body') return bodyArg(a, target, contract);
    const p =
      contract.parameters.find((x) => x.name === target && x.in === a.source) ??
      contract.parameters.find((x) => x.name === target);
    if (!p) return a;
    const schema = p.schema ? withContract(p.schema, a) : a.schema;
    const description = a.description ?? p.description;
    return { ...a, schema, ...(description ? { description } : {}) };
  });
}

function bodyArg(a: ArgSpec, target: string, contract: OperationContract): ArgSpec {
  const body = contract.requestBody;
  if (!body) return a;
  if (a.wholeBody) {
    return {
      ...a,
      schema: withContract(body.schema, a),
      ...(a.description || body.description ? { description: a.description ?? body.description } : {}),
    };
  }
  if (a.bodyPath) return a;
  const props = body.schema['properties'] as Record<string, JsonSchema> | undefined;
  const field = props?.[target];
  if (!field) return a;
  const description = a.description ?? (field['description'] as string | undefined);
  return { ...a, schema: withContract(field, a), ...(description ? { description } : {}) };
}

/**
 * The contract's schema under what the file said about the argument. A type the runtime defaulted to is not
 * the file's word: the contract's type replaces it, and it stays only when the contract gives none.
 */
function withContract(contract: JsonSchema, a: ArgSpec): JsonSchema {
  if (!a.defaultType) return merged(contract, a.schema);
  const { type, ...said } = a.schema;
  const out = merged(contract, said);
  return out['type'] === undefined && type !== undefined ? { ...out, type } : out;
}

/** The contract's schema with the file's keywords on top, unless their types disagree. */
function merged(contract: JsonSchema, file: JsonSchema): JsonSchema {
  const ct = contract['type'];
  const ft = file['type'];
  if (ct !== undefined && ft !== undefined && !compatible(ct, ft)) return file;
  const out: JsonSchema = { ...contract, ...file };
  // The file's `integer` is narrower than the contract's `number`: keep it (and the other way round too).
  if (ct === 'number' && ft === 'integer') out['type'] = 'integer';
  return out;
}

function compatible(a: unknown, b: unknown): boolean {
  const set = (t: unknown) => new Set((Array.isArray(t) ? t : [t]).map((x) => (x === 'integer' ? 'number' : x)));
  const sa = set(a);
  return [...set(b)].some((t) => sa.has(t));
}

/**
 * Whether an exposed item's outputParameters return the upstream body unchanged (none, or one
 * `{type: object|array, mapping: $.}` without properties): only then does the upstream's response schema
 * describe what the caller gets.
 */
export function isIdentityOutput(params: readonly OutputParameter[] | undefined): boolean {
  if (!params || params.length === 0) return true;
  if (params.length > 1) return false;
  const p = params[0] as OutputParameter & Record<string, unknown>;
  if (typeof p.value === 'string' && p.mapping === undefined) return false;
  return isIdentityPath(p.mapping) && !p.properties && !p['items'] && !p['values'] && p['maxLength'] === undefined;
}
