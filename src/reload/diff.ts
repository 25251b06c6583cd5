// What a reload may change and what it reports. The table may change freely; the listening sockets may not:
// an adapter added, removed, moved to another port or address is refused (restart to do that), so a
// reload never leaves a half-rebound process.

import type { CompiledTable } from '../binding/compile.js';

/** Where an adapter listens, as resolved from flags, environment and the file. */
export interface Listener {
  readonly namespace: string;
  readonly kind: string;
  readonly host: string;
  /** 0: an ephemeral port (then any later 0 is the same port). */
  readonly port: number;
}

/** Why the new file cannot be served on the sockets already open; undefined when it can. */
export function listenerChange(before: readonly Listener[], after: readonly Listener[]): string | undefined {
  const old = new Map(before.map((l) => [l.namespace, l]));
  const now = new Map(after.map((l) => [l.namespace, l]));
  for (const l of after) {
    const was = old.get(l.namespace);
    if (!was) return `adapter '${l.namespace}' (${l.kind}) is new`;
    if (was.kind !== l.kind) return `adapter '${l.namespace}' changed from ${was.kind} to ${l.kind}`;
    if (was.port !== l.port) return `adapter '${l.namespace}' moved from port ${was.port} to ${l.port}`;
    if (was.host !== l.host) return `adapter '${l.namespace}' moved from address ${was.host} to ${l.host}`;
  }
  for (const l of before) if (!now.has(l.namespace)) return `adapter '${l.namespace}' (${l.kind}) was removed`;
  return undefined;
}

export interface TableChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly kept: number;
}

/** Binding ids the new table adds and drops (a kept id may still have changed: it is rebuilt all the same). */
export function tableChanges(before: CompiledTable, after: CompiledTable): TableChanges {
  const old = new Set(before.bindings.map((b) => b.id));
  const now = new Set(after.bindings.map((b) => b.id));
  return {
    added: [...now].filter((id) => !old.has(id)),
    removed: [...old].filter((id) => !now.has(id)),
    kept: [...now].filter((id) => old.has(id)).length,
  };
}
