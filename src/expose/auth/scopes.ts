// Which scopes a call needs. Rules (`--inbound-scope <target>=<scope>`) name a tool or REST operation (or a
// binding id), a class of bindings — `readonly` (MCP readOnlyHint: true; REST GET, and so HEAD) or `write` (the rest) —
// or `*`, every request on the adapter (tools/list included). A binding named by a rule needs that rule's
// scopes instead of its class's; `*` scopes are needed in addition. No rule: a valid token is enough.

import type { Binding } from '../../binding/table.js';
import { ConfigError } from '../../config.js';
import { suggest } from '../../suggest.js';
import type { ScopeRule } from './settings.js';

export const CLASS_TARGETS = ['readonly', 'write', '*'] as const;

export class ScopePolicy {
  readonly #byBinding = new Map<string, readonly string[]>();
  readonly #baseline: readonly string[];
  /** Every scope a rule names, for the metadata's `scopes_supported`. */
  readonly scopes: readonly string[];

  constructor(rules: readonly ScopeRule[], bindings: readonly Binding[]) {
    const of = (target: string) => rules.filter((r) => r.target === target).map((r) => r.scope);
    this.#baseline = of('*');
    for (const b of bindings) {
      const named = [...new Set([...of(b.id), ...of(nameOf(b))])];
      this.#byBinding.set(b.id, named.length ? named : of(isReadOnly(b) ? 'readonly' : 'write'));
    }
    this.scopes = [...new Set(rules.map((r) => r.scope))];
  }

  /** Every scope a request for this binding (none: not a call, e.g. tools/list) needs. */
  required(bindingId: string | undefined): readonly string[] {
    const own = bindingId === undefined ? [] : (this.#byBinding.get(bindingId) ?? []);
    return [...new Set([...this.#baseline, ...own])];
  }

  missing(granted: ReadonlySet<string>, bindingId: string | undefined): string[] {
    return this.required(bindingId).filter((s) => !granted.has(s));
  }
}

/** A rule whose target names no binding of the capability (and no class) is a typo: refuse it at start. */
export function checkScopeTargets(rules: readonly ScopeRule[], bindings: readonly Binding[]): void {
  const known = new Set<string>(CLASS_TARGETS);
  for (const b of bindings) known.add(b.id).add(nameOf(b));
  const bad = rules.filter((r) => !known.has(r.target));
  if (bad.length)
    throw new ConfigError(
      bad
        .map((r) => {
          const near = suggest(r.target, [...known]);
          return `--inbound-scope ${r.target}=${r.scope}: no tool, REST operation or class '${r.target}'${near ? ` (did you mean '${near}'?)` : ''}`;
        })
        .join('\n'),
    );
}

function nameOf(b: Binding): string {
  return b.expose.kind === 'mcp' ? b.expose.name : (b.expose.operationName ?? b.id);
}

function isReadOnly(b: Binding): boolean {
  return b.expose.kind === 'mcp' ? b.expose.annotations.readOnlyHint === true : b.expose.method === 'GET';
}
