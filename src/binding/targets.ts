// Consumed operations by `namespace.operation`, with their merged input parameters: what `call` names.

import type { ConsumedInputParameter, ConsumedOperation, ConsumesHttp } from '../spec/types.js';

export interface Target {
  readonly consumes: ConsumesHttp;
  readonly path: string;
  readonly operation: ConsumedOperation;
  readonly params: readonly ConsumedInputParameter[];
}

export function indexTargets(consumes: readonly ConsumesHttp[]): Map<string, Target> {
  const targets = new Map<string, Target>();
  for (const c of consumes) {
    for (const r of c.resources ?? []) {
      for (const op of r.operations ?? []) {
        const key = `${c.namespace}.${op.name}`;
        // The reference engine searches all resources and keeps the first match.
        if (targets.has(key)) continue;
        const params = mergeParams(c.inputParameters, r.inputParameters, op.inputParameters);
        targets.set(key, { consumes: c, path: r.path, operation: op, params });
      }
    }
  }
  return targets;
}

function mergeParams(...levels: Array<readonly ConsumedInputParameter[] | undefined>): ConsumedInputParameter[] {
  const byName = new Map<string, ConsumedInputParameter>();
  for (const level of levels) for (const p of level ?? []) byName.set(p.name, p);
  return [...byName.values()];
}
