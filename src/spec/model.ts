// A flat index of the document for the semantic rules: consumed operations by `ns.op`, adapters, and every
// place that calls one (REST operations, MCP tools, steps, aggregate functions). Built from unchecked data,
// so every accessor tolerates a wrong shape: the schema pass reports those.

import type { ConsumesEntry, ResolvedConsumes } from './imports.js';
import { arr, rec, str, type Rec } from './findings.js';
import { child, valueAt } from './pointer.js';
import type { SourceDoc } from './source.js';
import { pathPlaceholders } from './templates.js';

export interface ConsumedOp {
  id: string;
  entry: ConsumesEntry;
  resource: Rec;
  op: Rec;
  ptr: string;
}

export interface Adapter {
  kind: string;
  namespace?: string;
  data: Rec;
  ptr: string;
}

export type SiteKind = 'rest' | 'mcp' | 'function' | 'step';

export interface CallSite {
  kind: SiteKind;
  node: Rec;
  ptr: string;
  label: string;
  /** Namespace whose `<ns>.<param>` references read the caller's arguments. */
  self?: string;
  /** Dialect aliases of `self` for this adapter type (`rest`, or `tools`/`mcp`). */
  aliases: string[];
  /** Declared input names; undefined when the site declares none (inputs are then inferred). */
  declared?: string[];
  /** Placeholders of the exposed REST path. */
  pathVars: string[];
}

export interface BindDecl {
  namespace: string;
  vars: string[];
  ptr: string;
}

export interface Model extends ResolvedConsumes {
  main: SourceDoc;
  ops: Map<string, ConsumedOp>;
  adapters: Adapter[];
  sites: CallSite[];
  functions: Set<string>;
  binds: BindDecl[];
}

export function buildModel(main: SourceDoc, consumes: ResolvedConsumes): Model {
  const capability = rec(valueAt(main.data, '/capability')) ?? {};
  const adapters = arr(capability['exposes']).flatMap((a, i): Adapter[] => {
    const data = rec(a);
    if (!data) return [];
    const namespace = str(data['namespace']);
    const base = { kind: str(data['type']) ?? '', data, ptr: child('/capability/exposes', i) };
    return [namespace === undefined ? base : { ...base, namespace }];
  });
  return {
    ...consumes,
    main,
    ops: indexOperations(consumes.entries),
    adapters,
    sites: [...adapters.flatMap(adapterSites), ...aggregateSites(capability)],
    functions: functionIds(capability),
    binds: [...bindsAt(main.data, '/binds'), ...bindsAt(main.data, '/capability/binds')],
  };
}

function indexOperations(entries: ConsumesEntry[]): Map<string, ConsumedOp> {
  const ops = new Map<string, ConsumedOp>();
  for (const entry of entries) {
    for (const [r, resource] of arr(entry.data['resources']).map(rec).entries()) {
      for (const [o, op] of arr(resource?.['operations']).map(rec).entries()) {
        const id = `${entry.namespace}.${str(op?.['name']) ?? ''}`;
        const ptr = child(entry.ptr, 'resources', r, 'operations', o);
        if (resource && op && !ops.has(id)) ops.set(id, { id, entry, resource, op, ptr });
      }
    }
  }
  return ops;
}

function adapterSites(adapter: Adapter): CallSite[] {
  const self = adapter.namespace;
  const scope = self === undefined ? {} : { self };
  if (adapter.kind === 'rest') {
    return arr(adapter.data['resources']).flatMap((r, i) => {
      const resource = rec(r) ?? {};
      const path = str(resource['path']) ?? '';
      const pathVars = pathPlaceholders(path).map((p) => p.name);
      return arr(resource['operations']).flatMap((o, j) => {
        const node = rec(o) ?? {};
        const declared = declaredNames([resource['inputParameters'], node['inputParameters']]);
        const label = `rest operation ${str(node['method']) ?? 'GET'} ${path}`;
        const ptr = child(adapter.ptr, 'resources', i, 'operations', j);
        const site = { kind: 'rest' as const, node, ptr, label, ...scope, aliases: ['rest'], pathVars };
        return withSteps(declared === undefined ? site : { ...site, declared });
      });
    });
  }
  if (adapter.kind !== 'mcp') return [];
  return arr(adapter.data['tools']).flatMap((t, i) => {
    const node = rec(t) ?? {};
    const declared = declaredNames([node['inputParameters']]);
    const label = `MCP tool '${str(node['name']) ?? i}'`;
    const ptr = child(adapter.ptr, 'tools', i);
    const site = { kind: 'mcp' as const, node, ptr, label, ...scope, aliases: ['tools', 'mcp'], pathVars: [] };
    return withSteps(declared === undefined ? site : { ...site, declared });
  });
}

function aggregateSites(capability: Rec): CallSite[] {
  return arr(capability['aggregates']).flatMap((a, i) => {
    const aggregate = rec(a) ?? {};
    const self = str(aggregate['namespace']) ?? '';
    return arr(aggregate['functions']).flatMap((f, j) => {
      const node = rec(f) ?? {};
      const label = `aggregate function '${self}.${str(node['name']) ?? j}'`;
      const ptr = child('/capability/aggregates', i, 'functions', j);
      const declared = declaredNames([node['inputParameters']]);
      const site = { kind: 'function' as const, node, ptr, label, self, aliases: [], pathVars: [] };
      return withSteps(declared === undefined ? site : { ...site, declared });
    });
  });
}

function functionIds(capability: Rec): Set<string> {
  const ids = arr(capability['aggregates']).flatMap((a) => {
    const aggregate = rec(a) ?? {};
    return arr(aggregate['functions']).map(
      (f) => `${str(aggregate['namespace']) ?? ''}.${str(rec(f)?.['name']) ?? ''}`,
    );
  });
  return new Set(ids);
}

/** The site itself plus one site per `call` step, which inherits the caller's namespace and inputs. */
function withSteps(site: CallSite): CallSite[] {
  const steps = arr(site.node['steps']).flatMap((s, i): CallSite[] => {
    const node = rec(s);
    if (!node || node['call'] === undefined) return [];
    const label = `step '${str(node['name']) ?? i}' of ${site.label}`;
    return [{ ...site, kind: 'step', node, ptr: child(site.ptr, 'steps', i), label }];
  });
  return [site, ...steps];
}

function declaredNames(lists: unknown[]): string[] | undefined {
  const params = lists.flatMap(arr);
  if (params.length === 0) return undefined;
  return params.map((p) => str(rec(p)?.['name']) ?? '');
}

function bindsAt(data: unknown, pointer: string): BindDecl[] {
  return arr(valueAt(data, pointer)).map((b, i) => {
    const bind = rec(b) ?? {};
    const vars = Object.keys(rec(bind['keys']) ?? {});
    return { namespace: str(bind['namespace']) ?? '', vars, ptr: child(pointer, i) };
  });
}
