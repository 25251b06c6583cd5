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

/** The projection passes the body through unchanged (so its JSON bytes can be sent as received). */
export function isIdentity(project: Projection): boolean {
  return project === identity;
}

export function isIdentityPath(path: string | undefined): boolean {
  return path === undefined || path === '$' || path === '$.';
}

function compileParam(p: OutputParameter, scope: 'root' | 'item'): Projection {
  if (typeof p.value === 'string' && p.mapping === undefined) {
    const constant = p.value;
    return () => constant;
  }
  const project = compileShape(p, scope);
  const max = maxLengthOf(p);
  if (max === undefined) return project;
  // The reference engine truncates strings only; other values pass as they are.
  return (body) => {
    const v = project(body);
    return typeof v === 'string' && v.length > max ? v.slice(0, max) : v;
  };
}

function maxLengthOf(p: OutputParameter): number | undefined {
  const raw = p['maxLength'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function compileShape(p: OutputParameter, scope: 'root' | 'item'): Projection {
  const select = compilePath(p.mapping, scope);
  const values = p['values'] as OutputParameter | undefined;
  if (p.type === 'object' && values && typeof values === 'object' && p.mapping !== undefined) {
    // A map: every entry of the selected object, each projected by `values` (the engine's `values`).
    const each = values.mapping === undefined && !values.properties ? identity : compileParam(values, 'item');
    return (body) => {
      const map = select(body);
      if (!map || typeof map !== 'object' || Array.isArray(map)) return null;
      // fromEntries defines own properties: an upstream key `__proto__` stays data.
      return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, each(v) ?? null]));
    };
  }
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
    const rooted = isIdentityPath(p.mapping);
    return (body) => {
      const list = select(body);
      if (Array.isArray(list)) return list.map(item);
      // A path's one match arrives unwrapped (compilePath; XML's lone repeated element too): still a list of one.
      // The whole document is not wrapped: an object there means the mapping is wrong (null, as the engine).
      return !rooted && list !== null && list !== undefined ? [item(list)] : null;
    };
  }
  return select;
}

export function compilePath(path: string | undefined, scope: 'root' | 'item'): Projection {
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
