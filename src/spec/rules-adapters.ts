// Rules across adapters: unique namespaces, free ports, valid and unique MCP tool names, non-colliding REST routes,
// plus the exposes-side dialect warnings (description on rest, identity outputs).

import { arr, rec, str, type Findings } from './findings.js';
import type { Adapter, Model } from './model.js';
import { child, valueAt } from './pointer.js';
import type { SourceDoc } from './source.js';
import { routeShape } from './templates.js';

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

interface Seen {
  src: SourceDoc;
  ptr: string;
  what: string;
}

export function checkAdapters(model: Model, findings: Findings): void {
  checkNamespaces(model, findings);
  checkPorts(model, findings);
  for (const adapter of model.adapters) {
    if (adapter.kind === 'mcp') checkTools(model, adapter, findings);
    if (adapter.kind === 'rest') checkRoutes(model, adapter, findings);
    if (adapter.kind === 'rest' && 'description' in adapter.data) {
      const message =
        'description on a rest exposes entry is a dialect relaxation: it is used as the OpenAPI info.description';
      findings.add(model.main, child(adapter.ptr, 'description'), 'NAF_DIALECT_REST_DESCRIPTION', message, 'key');
    }
  }
}

function at(seen: Seen): string {
  const { line } = seen.src.locate(seen.ptr);
  return `${seen.what} (line ${line})`;
}

function checkNamespaces(model: Model, findings: Findings): void {
  const seen = new Map<string, Seen>();
  const claim = (namespace: string, here: Seen): void => {
    const first = seen.get(namespace);
    if (!first) return void seen.set(namespace, here);
    const message = `namespace '${namespace}' is already used by ${at(first)}; namespaces must be unique across consumes and exposes`;
    findings.add(here.src, here.ptr, 'NAF_SPEC_NAMESPACE_DUPLICATE', message);
  };
  for (const entry of model.entries) {
    const imported = entry.site.src !== entry.src || entry.site.ptr !== entry.ptr;
    const item = rec(valueAt(entry.site.src.data, entry.site.ptr)) ?? {};
    const key = !imported ? 'namespace' : 'as' in item ? 'as' : 'import';
    claim(entry.namespace, { src: entry.site.src, ptr: child(entry.site.ptr, key), what: 'a consumes entry' });
  }
  for (const adapter of model.adapters) {
    if (adapter.namespace === undefined) continue;
    const here = { src: model.main, ptr: child(adapter.ptr, 'namespace'), what: `the ${adapter.kind} exposes entry` };
    claim(adapter.namespace, here);
  }
}

function checkPorts(model: Model, findings: Findings): void {
  const taken: Array<{ port: number; address?: string; seen: Seen }> = [];
  for (const adapter of model.adapters) {
    const port = adapter.data['port'];
    if (typeof port !== 'number' || adapter.data['transport'] === 'stdio') continue;
    const address = str(adapter.data['address']);
    const ptr = child(adapter.ptr, 'port');
    const clash = taken.find((t) => t.port === port && overlaps(t.address, address));
    if (clash) {
      const message = `port ${port} is already used by ${at(clash.seen)}; give each adapter its own port`;
      findings.add(model.main, ptr, 'NAF_SPEC_PORT_CONFLICT', message);
    }
    const seen = { src: model.main, ptr, what: `the ${adapter.kind} adapter '${adapter.namespace ?? adapter.kind}'` };
    taken.push(address === undefined ? { port, seen } : { port, address, seen });
  }
}

/** Unspecified and wildcard addresses bind every interface, so they clash with any address. */
function overlaps(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || WILDCARD.has(a) || WILDCARD.has(b)) return true;
  return a === b;
}

function checkTools(model: Model, adapter: Adapter, findings: Findings): void {
  const seen = new Map<string, Seen>();
  for (const [i, tool] of arr(adapter.data['tools']).entries()) {
    const name = str(rec(tool)?.['name']);
    if (name === undefined) continue;
    const ptr = child(adapter.ptr, 'tools', i, 'name');
    if (!TOOL_NAME.test(name)) {
      const message = `MCP tool name '${name}' must be 1–64 characters of letters, digits, '_', '.' and '-'`;
      findings.add(model.main, ptr, 'NAF_SPEC_TOOL_NAME', message);
    }
    const first = seen.get(name);
    if (first) {
      const message = `MCP tool name '${name}' is already used by ${at(first)} in this adapter; tool names must be unique`;
      findings.add(model.main, ptr, 'NAF_SPEC_TOOL_DUPLICATE', message);
    } else seen.set(name, { src: model.main, ptr, what: `tools[${i}]` });
  }
}

function checkRoutes(model: Model, adapter: Adapter, findings: Findings): void {
  const seen = new Map<string, Seen>();
  for (const [i, r] of arr(adapter.data['resources']).entries()) {
    const path = str(rec(r)?.['path']);
    if (path === undefined) continue;
    for (const [j, o] of arr(rec(r)?.['operations']).entries()) {
      const method = str(rec(o)?.['method']) ?? 'GET';
      const route = `${method} ${routeShape(path)}`;
      const ptr = child(adapter.ptr, 'resources', i, 'operations', j);
      const first = seen.get(route);
      if (!first) {
        seen.set(route, { src: model.main, ptr, what: `${method} ${path} at resources[${i}].operations[${j}]` });
        continue;
      }
      const message = `route ${method} ${path} collides with ${at(first)}: same method and path shape (placeholder names do not distinguish routes)`;
      findings.add(model.main, ptr, 'NAF_SPEC_ROUTE_CONFLICT', message);
    }
  }
}
