// Exposed outputParameters → a projection of the upstream JSON body, compiled once.
// `$` and `$.` are the whole document; an object parameter without `properties` is the
// identity of its mapping (DESIGN §3.3) — the reference engine returned `{}` there.

import { JSONPath } from 'jsonpath-plus';
import type { OutputParameter } from '../spec/types.js';

export type Projection = (body: unknown) => unknown;

const identity: Projection = (body) => body;

export function compileOutput(params: readonly OutputParameter[] | undefined): Projection {
  const compiled = (params ?? []).map((p) => compileParam(p, 'root'));
  if (compiled.length === 0) return identity;
  if (compiled.length === 1) return compiled[0] as Projection;
  // The reference engine returns the first parameter whose result is not null.
  return (body) => {
    for (const project of compiled) {
      const v = project(body);
      if (v !== undefined && v !== null) return v;
    }
    return null;
  };
}

export function isIdentityPath(path: string | undefined): boolean {
  return path === undefined || path === '$' || path === '$.';
}

function compileParam(p: OutputParameter, scope: 'root' | 'item'): Projection {
  if (typeof p.value === 'string' && p.mapping === undefined) {
    const constant = p.value;
    return () => constant;
  }
  const select = compilePath(p.mapping, scope);
  if (p.type === 'object' && p.properties) {
    const props = Object.entries(p.properties).map(([name, child]) => [name, compileParam(child, scope)] as const);
    return (body) => {
      const base = p.mapping === undefined ? body : select(body);
      if (base === undefined || base === null) return null;
      return Object.fromEntries(props.map(([name, project]) => [name, project(base) ?? null]));
    };
  }
  if (p.type === 'array' && p.items) {
    const item = compileParam(p.items, 'item');
    return (body) => {
      const list = select(body);
      return Array.isArray(list) ? list.map(item) : null;
    };
  }
  return select;
}

function compilePath(path: string | undefined, scope: 'root' | 'item'): Projection {
  if (isIdentityPath(path)) return identity;
  const expr = path as string;
  // Inside array items a bare name or a relative `$.x` is looked up on the element.
  const normalized = scope === 'item' && !expr.startsWith('$') ? `$.${expr}` : expr;
  return (body) => {
    if (body === null || typeof body !== 'object') return null;
    const found: unknown[] = JSONPath({ path: normalized, json: body as object, wrap: true });
    if (found.length === 0) return null;
    return found.length === 1 ? found[0] : found;
  };
}
