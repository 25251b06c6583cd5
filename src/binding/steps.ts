// Orchestration steps → compiled Step[]: `call` (a consumed operation with its own `with`), `lookup` (a join
// against an earlier step's array output) and `script`; `mappings` → the exposed result. All compiled once.

import type { ConsumedOperation } from '../spec/types.js';
import { compileRequest } from './request.js';
import { compileStepOutput, compileStepPath } from './step-output.js';
import type { BodyDecoder, CallStep, LookupStep, Params, ScriptStep, Step } from './table.js';
import type { Target } from './targets.js';
import { compileTemplate } from './template.js';
import { compileWith, type WithEntries } from './with.js';

export interface Refusal {
  readonly reason: string;
}

/** What compiling a step needs from the rest of the table, and the seams that do I/O (formats, scripts). */
export interface StepScope {
  readonly targets: ReadonlyMap<string, Target>;
  /** The namespace whose `<ns>.<param>` references read the parameter map. */
  readonly namespace: string;
  readonly adapter: 'rest' | 'mcp';
  /** `hints.idempotent` (or the function's semantics) of the exposed item: makes its calls retriable. */
  readonly idempotentHint?: boolean;
  readonly decoderFor: (operation: ConsumedOperation) => BodyDecoder | undefined | Refusal;
  readonly scriptFor: (step: Readonly<Record<string, unknown>>) => ScriptStep['run'] | Refusal;
}

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && 'reason' in x && !('kind' in x);
}

export function compileCallStep(
  name: string,
  call: string,
  withEntries: WithEntries,
  scope: StepScope,
): CallStep | Refusal {
  const target = scope.targets.get(call);
  if (!target) return { reason: `call '${call}' names no consumed operation` };
  const decode = scope.decoderFor(target.operation);
  if (isRefusal(decode)) return decode;
  const method = target.operation.method;
  return {
    kind: 'call',
    name,
    call,
    with: compileWith(withEntries, scope.namespace, scope.adapter),
    request: compileRequest({
      upstream: target.consumes.namespace,
      path: target.path,
      operation: target.operation,
      params: target.params,
    }),
    ...(decode ? { decode } : {}),
    idempotent: method === 'GET' || method === 'PUT' || method === 'DELETE' || scope.idempotentHint === true,
    stepOutput: compileStepOutput(target.operation.outputParameters),
  };
}

export function compileSteps(raw: readonly unknown[], scope: StepScope): Step[] | Refusal {
  const steps: Step[] = [];
  const seen = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const s = (item ?? {}) as Record<string, unknown>;
    const name = typeof s['name'] === 'string' ? s['name'] : `step-${i + 1}`;
    const step = compileStep(name, s, scope, seen);
    if (isRefusal(step)) return { reason: `step '${name}': ${step.reason}` };
    steps.push(step);
    seen.add(name);
  }
  return steps;
}

function compileStep(
  name: string,
  s: Readonly<Record<string, unknown>>,
  scope: StepScope,
  earlier: ReadonlySet<string>,
): Step | Refusal {
  switch (s['type'] ?? (s['call'] ? 'call' : undefined)) {
    case 'call':
      return compileCallStep(name, String(s['call'] ?? ''), s['with'] as WithEntries, scope);
    case 'lookup':
      return compileLookup(name, s, earlier);
    case 'script': {
      const run = scope.scriptFor(s);
      if (isRefusal(run)) return run;
      return {
        kind: 'script',
        name,
        file: String(s['file'] ?? ''),
        with: compileWith(s['with'] as WithEntries, scope.namespace, scope.adapter),
        run,
      };
    }
    default:
      return { reason: `step type '${String(s['type'])}' is not one of call, lookup, script` };
  }
}

function compileLookup(
  name: string,
  s: Readonly<Record<string, unknown>>,
  earlier: ReadonlySet<string>,
): LookupStep | Refusal {
  const index = String(s['index'] ?? '');
  if (!earlier.has(index)) return { reason: `lookup index '${index}' is not an earlier step` };
  const expr = String(s['lookupValue'] ?? '');
  const fromSteps = compileStepPath(expr);
  const render = compileTemplate(expr);
  return {
    kind: 'lookup',
    name,
    index,
    match: String(s['match'] ?? ''),
    // A `$.step.field` path reads the step outputs; anything else is a template over the parameter map.
    lookupValue: fromSteps ? (steps) => fromSteps(steps) : (_steps, params) => render(params),
    fields: Array.isArray(s['outputParameters']) ? s['outputParameters'].map(String) : [],
  };
}

/** `mappings` → the result object, `targetName` in dot notation building nested objects (`route.from`). */
export function compileMappings(
  raw: readonly unknown[] | undefined,
): ((steps: Readonly<Params>) => unknown) | undefined {
  if (!raw?.length) return undefined;
  const list = raw.map((m) => {
    const e = (m ?? {}) as Record<string, unknown>;
    const expr = String(e['value'] ?? '');
    const read = compileStepPath(expr) ?? (() => undefined);
    return [String(e['targetName'] ?? '').split('.'), read] as const;
  });
  return (steps) => {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [path, read] of list) {
      const v = read(steps);
      if (v === undefined) continue;
      setNested(out, path, v);
      any = true;
    }
    return any ? out : undefined;
  };
}

function setNested(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
    else {
      const child: Record<string, unknown> = {};
      Object.defineProperty(node, key, { value: child, enumerable: true, writable: true, configurable: true });
      node = child;
    }
  }
  const last = path[path.length - 1] as string;
  Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

/** The lookup join: the first entry of `table` whose `match` field equals the value, cut to `fields`. */
export function lookupIn(table: unknown, match: string, value: unknown, fields: readonly string[]): unknown {
  const want = asText(value);
  const rows = Array.isArray(table) ? table : table && typeof table === 'object' ? [table] : [];
  for (const row of rows) {
    if (!row || typeof row !== 'object' || Array.isArray(row)) continue;
    const r = row as Record<string, unknown>;
    if (!Object.hasOwn(r, match) || asText(r[match]) !== want) continue;
    return Object.fromEntries(fields.map((f) => [f, Object.hasOwn(r, f) ? r[f] : null]));
  }
  return undefined;
}

/** Jackson's asText: numbers and booleans compare by their text, so `42` matches `"42"`. */
function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
