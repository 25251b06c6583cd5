// Aggregate functions by `namespace.function`, and what a `ref` inherits from one: name, description,
// inputs, its call/steps/mock and `with`, and MCP hints derived from `semantics` (the engine's
// AggregateRefResolver). Resolved at compile time: nothing looks an aggregate up per request.

import type { CapabilityDocument, OutputParameter, ToolHints } from '../spec/types.js';
import type { DeclaredParam } from './args.js';
import type { WithEntries } from './with.js';

export interface AggregateFunction {
  /** `namespace.function`. */
  readonly ref: string;
  readonly namespace: string;
  readonly name: string;
  readonly description?: string;
  readonly semantics?: { readonly safe?: boolean; readonly idempotent?: boolean; readonly cacheable?: boolean };
  readonly inputParameters?: readonly DeclaredParam[];
  readonly call?: string;
  readonly with?: WithEntries;
  readonly steps?: readonly unknown[];
  readonly mappings?: readonly unknown[];
  readonly outputParameters?: readonly OutputParameter[];
}

export function indexFunctions(doc: CapabilityDocument): Map<string, AggregateFunction> {
  const map = new Map<string, AggregateFunction>();
  for (const a of (doc.capability?.aggregates ?? []) as Array<Record<string, unknown>>) {
    const namespace = String(a?.['namespace'] ?? '');
    for (const f of (a?.['functions'] ?? []) as Array<Record<string, unknown>>) {
      const ref = `${namespace}.${String(f['name'])}`;
      if (!map.has(ref)) map.set(ref, { ...(f as unknown as AggregateFunction), ref, namespace });
    }
  }
  return map;
}

/**
 * Hints derived from semantics, then the hints written on the tool, key by key: `safe: true` → read-only and
 * not destructive; `safe: false` → not read-only; `idempotent` copied; `cacheable` has no MCP equivalent.
 */
export function deriveHints(fn: AggregateFunction | undefined, written: ToolHints | undefined): ToolHints | undefined {
  const s = fn?.semantics;
  if (!s) return written;
  const derived: ToolHints = {
    ...(s.safe === true ? { readOnly: true, destructive: false } : s.safe === false ? { readOnly: false } : {}),
    ...(s.idempotent !== undefined ? { idempotent: s.idempotent } : {}),
  };
  const explicit = Object.fromEntries(Object.entries(written ?? {}).filter(([, v]) => v !== undefined));
  return { ...derived, ...explicit };
}
