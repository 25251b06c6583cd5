// `with` → a function that adds one level's values to the parameter map. Levels stack: an aggregate
// function's `with`, then the exposed tool/operation's, then each step's (the reference engine's order).

import { resolver } from './request.js';
import { parseWithValue } from './references.js';
import type { Params, WithMerge } from './table.js';

export type WithEntries = Readonly<Record<string, string | number>> | undefined;

export const NO_WITH: WithMerge = () => {};

export function compileWith(entries: WithEntries, namespace: string, adapter: 'rest' | 'mcp'): WithMerge {
  const list = Object.entries(entries ?? {}).map(
    ([key, v]) => [key, resolver(parseWithValue(v, namespace, adapter))] as const,
  );
  if (list.length === 0) return NO_WITH;
  return (params, vars) => {
    // Every value of one level reads the map as it was before that level, so order inside `with` never matters.
    const ctx = { ...vars, ...params };
    const values = list.map(([key, r]) => [key, r(params, ctx)] as const);
    // An absent argument is omitted, never sent as a literal string (DESIGN §3.4).
    for (const [key, v] of values) if (v !== undefined) params[key] = v;
  };
}

/** Runs several levels in order. */
export function stackWith(...levels: readonly WithMerge[]): WithMerge {
  const real = levels.filter((l) => l !== NO_WITH);
  if (real.length === 0) return NO_WITH;
  if (real.length === 1) return real[0] as WithMerge;
  return (params: Params, vars) => {
    for (const level of real) level(params, vars);
  };
}
