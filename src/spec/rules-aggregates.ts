// Lint from the engine's ruleset (naftiko-aggregate-semantics-consistency, a Spectral warning upstream): a tool or
// REST operation that `ref`s an aggregate function must not contradict the function's `semantics` with its own
// hints or HTTP method. Our MCP annotations and retry safety are derived from both, so a contradiction means
// the client is told one thing and the runtime does another.

import { arr, rec, str, type Findings, type Rec } from './findings.js';
import type { Model } from './model.js';
import { child, valueAt } from './pointer.js';

interface Semantics {
  safe?: boolean;
  idempotent?: boolean;
}

export function checkAggregateSemantics(model: Model, findings: Findings): void {
  const semantics = semanticsByFunction(model);
  if (semantics.size === 0) return;
  for (const adapter of model.adapters) {
    if (adapter.kind === 'mcp') {
      for (const [t, tool] of arr(adapter.data['tools']).map(rec).entries()) {
        const s = semantics.get(str(tool?.['ref']) ?? '');
        const hints = rec(tool?.['hints']);
        if (s && hints)
          checkHints(model, str(tool?.['ref']) ?? '', s, hints, child(adapter.ptr, 'tools', t, 'hints'), findings);
      }
    }
    if (adapter.kind === 'rest') {
      for (const [r, resource] of arr(adapter.data['resources']).map(rec).entries()) {
        for (const [o, op] of arr(resource?.['operations']).map(rec).entries()) {
          const ref = str(op?.['ref']) ?? '';
          const method = str(op?.['method'])?.toUpperCase();
          const s = semantics.get(ref);
          const ptr = child(adapter.ptr, 'resources', r, 'operations', o, 'method');
          if (s && method) checkMethod(model, ref, s, method, ptr, findings);
        }
      }
    }
  }
}

function semanticsByFunction(model: Model): Map<string, Semantics> {
  const index = new Map<string, Semantics>();
  for (const a of arr(valueAt(model.main.data, '/capability/aggregates')).map(rec)) {
    for (const f of arr(a?.['functions']).map(rec)) {
      const s = rec(f?.['semantics']);
      const id = `${str(a?.['namespace']) ?? ''}.${str(f?.['name']) ?? ''}`;
      if (s && !index.has(id)) index.set(id, { ...flag(s, 'safe'), ...flag(s, 'idempotent') });
    }
  }
  return index;
}

function flag(s: Rec, key: 'safe' | 'idempotent'): Semantics {
  return typeof s[key] === 'boolean' ? { [key]: s[key] } : {};
}

function checkHints(model: Model, ref: string, s: Semantics, hints: Rec, ptr: string, findings: Findings): void {
  const warn = (hint: string, why: string): void => {
    const message = `hints.${hint}=${String(hints[hint])} contradicts the semantics of aggregate function '${ref}': ${why}`;
    findings.add(model.main, child(ptr, hint), 'NAF_SPEC_SEMANTICS_HINTS', message);
  };
  if (s.safe === true && hints['readOnly'] === false)
    warn('readOnly', 'it is safe=true, so the tool should be read-only');
  if (s.safe === false && hints['readOnly'] === true)
    warn('readOnly', 'it is safe=false, so the tool is not read-only');
  if (s.safe === true && hints['destructive'] === true)
    warn('destructive', 'it is safe=true, so it cannot be destructive');
  if (s.idempotent === true && hints['idempotent'] === false) warn('idempotent', 'it is idempotent=true');
  if (s.idempotent === false && hints['idempotent'] === true)
    warn('idempotent', 'it is idempotent=false, and a call the hint marks idempotent may be retried');
}

function checkMethod(model: Model, ref: string, s: Semantics, method: string, ptr: string, findings: Findings): void {
  const warn = (why: string): void => {
    const message = `method ${method} contradicts the semantics of aggregate function '${ref}': ${why}`;
    findings.add(model.main, ptr, 'NAF_SPEC_SEMANTICS_HINTS', message);
  };
  if (s.safe === true && method !== 'GET') warn('it is safe=true, so the operation should use GET');
  if (s.safe === false && method === 'GET') warn('it is safe=false, so the operation should not use GET');
  if (s.idempotent === true && method === 'POST')
    warn('it is idempotent=true, and POST is not idempotent by convention');
}
