// What a call step leaves for later steps, and how `$.step.field` expressions read step outputs.

import { JSONPath } from 'jsonpath-plus';
import type { Params } from './table.js';

interface ConsumedOutput {
  readonly name?: string;
  readonly value?: string;
  readonly mapping?: string;
}

/**
 * A consumed operation's own `outputParameters` (name + JSONPath `value`) project the step's output: an object
 * of the named values, or, for an array body, each element with the named values added (the engine keeps the
 * elements so a later lookup still sees every field). Without them the body is the output.
 */
export function compileStepOutput(outputs: readonly unknown[] | undefined): (body: unknown) => unknown {
  const named = (outputs ?? [])
    .map((o) => o as ConsumedOutput)
    .filter((o) => typeof o?.name === 'string' && typeof (o.value ?? o.mapping) === 'string')
    .map((o) => [o.name as string, (o.value ?? o.mapping) as string] as const);
  if (named.length === 0) return (body) => body;
  const pick = (path: string, json: unknown): unknown => select(json, path);
  return (body) => {
    if (Array.isArray(body))
      return body.map((el) => {
        const base = el && typeof el === 'object' && !Array.isArray(el) ? el : {};
        return { ...base, ...Object.fromEntries(named.map(([n, p]) => [n, pick(p, el) ?? null])) };
      });
    return Object.fromEntries(named.map(([n, p]) => [n, pick(p, body) ?? null]));
  };
}

/** JSONPath (`$`, `$.a.b`, `$.list[0]`, `$..x`) into a value: one match is the value, several an array. */
export function select(json: unknown, path: string): unknown {
  if (path === '$' || path === '$.') return json;
  if (json === null || typeof json !== 'object') return undefined;
  const found: unknown[] = JSONPath({ path, json: json as object, wrap: true });
  if (found.length === 0) return undefined;
  return found.length === 1 ? found[0] : found;
}

/**
 * `$.<step>.<field>…` against the step outputs. The step name comes first (it may hold `-`, which JSONPath would
 * misread), then plain dot segments as in the engine, or any JSONPath for the rest (`$.list-crew[0].name`).
 */
export function compileStepPath(expr: string): ((steps: Readonly<Params>) => unknown) | undefined {
  const m = /^\$\.([A-Za-z0-9_-]+)(.*)$/.exec(expr.trim());
  if (!m) return undefined;
  const step = m[1] as string;
  const rest = m[2] as string;
  if (rest === '') return (steps) => steps[step];
  if (/^(\.[A-Za-z0-9_-]+)+$/.test(rest)) {
    const keys = rest.slice(1).split('.');
    return (steps) => {
      let v: unknown = steps[step];
      for (const k of keys) {
        if (v === null || typeof v !== 'object') return undefined;
        v = Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
      }
      return v;
    };
  }
  const tail = `$${rest}`;
  return (steps) => select(steps[step], tail);
}
