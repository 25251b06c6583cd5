// Every exposed item of a capability, and whether the compiled table serves it. The item kinds come from the
// schema: each `exposes` alternative is walked property by property, and a property this file does not
// classify (a new adapter kind or list in a future schema) becomes an `unknown` item, which nothing serves
// and nothing reports — so `silent` catches it (test/spec/inventory.test.ts). Nothing is dropped quietly.

import type { Diagnostic } from '../spec/diagnostics.js';
import { child, isRecord, valueAt } from '../spec/pointer.js';
import type { CapabilityDocument } from '../spec/types.js';
import { controlSettings } from '../expose/control/settings.js';
import type { CompiledTable, Unsupported } from './compile.js';
import { catalogueOf, unservedTargets } from './skills.js';

export type ItemKind =
  | 'rest.operation'
  | 'rest.forward'
  | 'mcp.tool'
  | 'mcp.resource'
  | 'mcp.prompt'
  | 'skill.adapter'
  | 'skill.skill'
  | 'skill.tool'
  | 'control.adapter'
  | 'control.setting'
  | 'aggregate.function'
  | 'unknown';

export interface InventoryItem {
  readonly kind: ItemKind;
  /** JSON pointer of the item in the capability file. */
  readonly ptr: string;
  /** For people: `api-rest GET /items/{{id}}`, `api-mcp tool get-item`, `function items.get-item`. */
  readonly name: string;
  /** The exposes namespace (or aggregate namespace) it belongs to. */
  readonly namespace: string;
  /** The raw item (for matching against the table). */
  readonly data: Readonly<Record<string, unknown>>;
}

type Rec = Record<string, unknown>;

/** How a property of an adapter (or container) definition of the schema is read. */
type Role =
  | { readonly item: ItemKind; readonly inner?: string }
  | { readonly container: string }
  | { readonly settings: true }
  | 'part';

/**
 * Every property of the schema's exposes definitions, and of the definitions that hold items. `part`: a
 * setting of its owner (served or refused with it); `item`: each entry is one exposed item; `container`:
 * entries hold items (walk the inner definition); `settings`: each written key is one control setting.
 */
export const ROLES: Readonly<Record<string, Readonly<Record<string, Role>>>> = {
  ExposesRest: {
    type: 'part',
    address: 'part',
    port: 'part',
    namespace: 'part',
    authentication: 'part',
    description: 'part',
    resources: { container: 'ExposedResource' },
  },
  ExposedResource: {
    label: 'part',
    path: 'part',
    name: 'part',
    description: 'part',
    inputParameters: 'part',
    operations: { item: 'rest.operation' },
    forward: { item: 'rest.forward' },
  },
  ExposesMcp: {
    type: 'part',
    transport: 'part',
    address: 'part',
    port: 'part',
    namespace: 'part',
    description: 'part',
    authentication: 'part',
    tools: { item: 'mcp.tool' },
    resources: { item: 'mcp.resource' },
    prompts: { item: 'mcp.prompt' },
  },
  ExposesSkill: {
    type: 'part',
    address: 'part',
    port: 'part',
    namespace: 'part',
    description: 'part',
    authentication: 'part',
    skills: { item: 'skill.skill', inner: 'ExposedSkill' },
  },
  ExposedSkill: {
    name: 'part',
    description: 'part',
    license: 'part',
    compatibility: 'part',
    metadata: 'part',
    'allowed-tools': 'part',
    'argument-hint': 'part',
    'user-invocable': 'part',
    'disable-model-invocation': 'part',
    location: 'part',
    tools: { item: 'skill.tool' },
  },
  ExposesControl: {
    type: 'part',
    address: 'part',
    port: 'part',
    authentication: 'part',
    management: { settings: true },
    observability: { settings: true },
  },
};

/** The adapter item of kinds whose adapter itself is what is served (a catalogue, health routes). */
const ADAPTER_ITEM: Readonly<Record<string, ItemKind>> = { skill: 'skill.adapter', control: 'control.adapter' };

/** `type` → schema definition name, read from `Capability.exposes` (so a new adapter kind is seen). */
export function adapterDefinitions(schema: Rec): Map<string, string> {
  const defs = (schema['$defs'] ?? {}) as Record<string, Rec>;
  const exposes = valueAt(defs['Capability'], '/properties/exposes/items/oneOf');
  const out = new Map<string, string>();
  for (const alt of Array.isArray(exposes) ? exposes : []) {
    const name = String((alt as Rec)['$ref'] ?? '').replace('#/$defs/', '');
    const kind = valueAt(defs[name], '/properties/type/const');
    if (typeof kind === 'string') out.set(kind, name);
  }
  return out;
}

/** Schema properties of the adapter definitions (and their item holders) that ROLES does not classify. */
export function unclassifiedProperties(schema: Rec): string[] {
  const defs = (schema['$defs'] ?? {}) as Record<string, Rec>;
  const out: string[] = [];
  const visit = (def: string): void => {
    const roles = ROLES[def];
    for (const prop of Object.keys(rec(defs[def]?.['properties']) ?? {})) {
      const role = roles?.[prop];
      if (role === undefined) out.push(`${def}.${prop}`);
      else if (typeof role === 'object' && 'container' in role) visit(role.container);
      else if (typeof role === 'object' && 'inner' in role && role.inner) visit(role.inner);
    }
  };
  for (const def of adapterDefinitions(schema).values()) visit(def);
  return out;
}

/** Every exposed item of a loaded document, in file order. */
export function inventoryOf(doc: CapabilityDocument, schema: Rec): InventoryItem[] {
  const kinds = adapterDefinitions(schema);
  const items: InventoryItem[] = [];
  const capability = rec(doc.capability) ?? {};
  for (const [i, raw] of list(capability['exposes']).entries()) {
    const adapter = rec(raw) ?? {};
    const type = str(adapter['type']) ?? '';
    const ptr = child('/capability/exposes', i);
    const namespace = str(adapter['namespace']) ?? type;
    const def = kinds.get(type);
    const label = type === 'control' ? `control :${String(adapter['port'] ?? '')}` : namespace;
    const own = ADAPTER_ITEM[type];
    if (own) items.push({ kind: own, ptr, name: `${label} ${type} adapter`, namespace, data: adapter });
    if (def === undefined || ROLES[def] === undefined) {
      if (!own) items.push({ kind: 'unknown', ptr, name: `${label} ${type} adapter`, namespace, data: adapter });
      continue;
    }
    walk(def, adapter, ptr, { namespace, label, path: [] }, items);
  }
  for (const [a, agg] of list(capability['aggregates']).entries()) {
    const namespace = str(rec(agg)?.['namespace']) ?? '';
    for (const [f, fn] of list(rec(agg)?.['functions']).entries()) {
      const data = rec(fn) ?? {};
      const ptr = child('/capability/aggregates', a, 'functions', f);
      items.push({
        kind: 'aggregate.function',
        ptr,
        name: `function ${namespace}.${str(data['name']) ?? f}`,
        namespace,
        data,
      });
    }
  }
  return items;
}

interface Scope {
  namespace: string;
  label: string;
  /** Names of the enclosing items (resource path, skill name). */
  path: string[];
}

function walk(def: string, node: Rec, ptr: string, scope: Scope, items: InventoryItem[]): void {
  const roles = ROLES[def] ?? {};
  for (const [prop, value] of Object.entries(node)) {
    const role = roles[prop];
    const at = child(ptr, prop);
    if (role === 'part') continue;
    const base = { namespace: scope.namespace };
    if (role === undefined) {
      items.push({ ...base, kind: 'unknown', ptr: at, name: `${scope.label} ${prop}`, data: rec(value) ?? {} });
    } else if ('settings' in role) {
      settingItems(prop, value, at, scope, items);
    } else if ('container' in role) {
      for (const [i, entry] of list(value).entries()) {
        const data = rec(entry) ?? {};
        const inner = { ...scope, path: [...scope.path, str(data['path']) ?? str(data['name']) ?? String(i)] };
        walk(role.container, data, child(at, i), inner, items);
      }
    } else {
      const entries = Array.isArray(value) ? value.map((v, i) => [child(at, i), v] as const) : [[at, value] as const];
      for (const [itemPtr, entry] of entries) {
        const data = rec(entry) ?? {};
        const name = itemName(role.item, data, scope);
        items.push({ ...base, kind: role.item, ptr: itemPtr, name, data });
        if (role.inner) {
          const inner = { ...scope, path: [...scope.path, str(data['name']) ?? ''] };
          walk(role.inner, data, itemPtr, inner, items);
        }
      }
    }
  }
}

function itemName(kind: ItemKind, data: Rec, scope: Scope): string {
  const where = scope.path.join(' ');
  const name = str(data['name']) ?? str(data['ref']) ?? '';
  switch (kind) {
    case 'rest.operation':
      return `${scope.label} ${str(data['method']) ?? 'GET'} ${where}`;
    case 'rest.forward':
      return `${scope.label} forward ${where} → ${str(data['targetNamespace']) ?? ''}`;
    case 'mcp.tool':
      return `${scope.label} tool ${name}`;
    case 'mcp.resource':
      return `${scope.label} resource ${name} (${str(data['uri']) ?? ''})`;
    case 'mcp.prompt':
      return `${scope.label} prompt ${name}`;
    case 'skill.skill':
      return `${scope.label} skill ${name}`;
    case 'skill.tool':
      return `${scope.label} skill ${where} tool ${name}`;
    default:
      return `${scope.label} ${name}`;
  }
}

/** Control settings: each written key of `management`, and of `observability` one level further down. */
function settingItems(prop: string, value: unknown, ptr: string, scope: Scope, items: InventoryItem[]): void {
  for (const [key, v] of Object.entries(rec(value) ?? {})) {
    const nested = prop === 'observability' ? rec(v) : undefined;
    const keys = nested && Object.keys(nested).length > 0 ? Object.keys(nested).map((k) => [key, k]) : [[key]];
    for (const path of keys) {
      const name = [prop, ...path].join('.');
      const data = { setting: name };
      items.push({ kind: 'control.setting', ptr: child(ptr, ...path), name, namespace: scope.namespace, data });
    }
  }
}

export type Status = 'served' | 'reported' | 'silent';

export interface Classified extends InventoryItem {
  readonly status: Status;
  /** Why a reported item is not served, and where (the most precise pointer known). */
  readonly reasons: ReadonlyArray<{ readonly reason: string; readonly ptr: string; readonly load?: true }>;
}

/** Load-time codes that say "this item is not served" (they are already printed by validate as they are). */
const NOT_SERVED_CODES = new Set(['NAF_SPEC_FUNCTION_UNUSED', 'NAF_SPEC_UNSUPPORTED_SCRIPT']);

/** Served (the table holds it), reported (named in `table.unsupported` or a not-served load warning), or silent. */
export function classify(
  items: readonly InventoryItem[],
  table: CompiledTable,
  diagnostics: readonly Diagnostic[] = [],
): Classified[] {
  const first = items.map((item) => classifyOne(item, table, diagnostics));
  // A function is exposed through the tools and operations that ref it: served when one of them is.
  return first.map((c) => {
    if (c.kind !== 'aggregate.function' || c.status !== 'silent') return c;
    const id = c.name.replace(/^function /, '');
    const users = first.filter((u) => str(u.data['ref']) === id);
    if (users.some((u) => u.status === 'served')) return { ...c, status: 'served' };
    const reasons = users.flatMap((u) => u.reasons);
    return users.length > 0 && users.every((u) => u.status === 'reported') ? { ...c, status: 'reported', reasons } : c;
  });
}

function classifyOne(item: InventoryItem, table: CompiledTable, diagnostics: readonly Diagnostic[]): Classified {
  if (isServed(item, table)) return { ...item, status: 'served', reasons: [] };
  const reasons = [
    ...table.unsupported
      .filter((u) => related(u.ptr, item.ptr))
      .map((u) => ({ reason: u.reason, ptr: u.ptr ?? item.ptr })),
    ...diagnostics
      .filter((d) => NOT_SERVED_CODES.has(d.code) && related(d.pointer, item.ptr))
      .map((d) => ({ reason: d.message, ptr: d.pointer, load: true as const })),
    ...controlReasons(item, table),
    ...skillReasons(item, table),
  ];
  return { ...item, status: reasons.length > 0 ? 'reported' : 'silent', reasons };
}

/** The same node, a node inside the item, or the item's adapter (an adapter-wide refusal). */
function related(ptr: string | undefined, itemPtr: string): boolean {
  if (ptr === undefined) return false;
  return (
    ptr === itemPtr ||
    ptr.startsWith(`${itemPtr}/`) ||
    (itemPtr.startsWith(`${ptr}/`) && /^\/capability\/exposes\/\d+$/.test(ptr))
  );
}

function isServed(item: InventoryItem, table: CompiledTable): boolean {
  const d = item.data;
  const ns = item.namespace;
  switch (item.kind) {
    case 'rest.operation':
      return table.bindings.some(
        (b) =>
          b.expose.kind === 'rest' &&
          b.expose.namespace === ns &&
          b.expose.method === str(d['method']) &&
          item.name.endsWith(` ${b.expose.path}`),
      );
    case 'rest.forward':
      return (table.forwards ?? []).some(
        (f) =>
          f.namespace === ns && f.upstream === str(d['targetNamespace']) && item.name.includes(` forward ${f.path} `),
      );
    case 'mcp.tool': {
      const name = str(d['name']) ?? str(d['ref'])?.split('.')[1];
      return table.bindings.some((b) => b.expose.kind === 'mcp' && b.expose.namespace === ns && b.expose.name === name);
    }
    case 'mcp.resource':
      return (table.resources ?? []).some((r) => r.namespace === ns && r.name === str(d['name']));
    case 'mcp.prompt':
      return (table.prompts ?? []).some((p) => p.namespace === ns && p.name === str(d['name']));
    case 'skill.adapter':
      return catalogueOf(table, ns) !== undefined;
    case 'skill.skill':
      return skillOf(table, ns, str(d['name'])) !== undefined;
    case 'skill.tool':
      return (
        skillOf(table, ns, skillName(item))?.tools.some((t) => t.name === str(d['name'])) === true &&
        skillReasons(item, table).length === 0
      );
    case 'control.adapter':
      return table.exposes.some((e) => e.kind === 'control');
    case 'control.setting':
      return table.exposes.some((e) => e.kind === 'control') && controlReasons(item, table).length === 0;
    default:
      return false;
  }
}

function skillOf(table: CompiledTable, ns: string, name: string | undefined) {
  return catalogueOf(table, ns)?.skills.find((s) => s.name === name);
}

function skillName(item: InventoryItem): string | undefined {
  return item.name.split(' skill ')[1]?.split(' tool ')[0];
}

/** A derived skill tool whose target is not served is listed by the skill adapter at start. */
function skillReasons(item: InventoryItem, table: CompiledTable): Array<{ reason: string; ptr: string }> {
  if (item.kind !== 'skill.tool') return [];
  const catalogue = catalogueOf(table, item.namespace);
  const key = `${skillName(item) ?? ''}/${str(item.data['name']) ?? ''} → `;
  return (catalogue ? unservedTargets(catalogue, table.bindings) : [])
    .filter((u) => u.startsWith(key))
    .map((u) => ({ reason: `derived tool ${u}: its target is not served`, ptr: item.ptr }));
}

/** The control adapter lists the settings it does not serve as `<field>: <why>`. */
function controlReasons(item: InventoryItem, table: CompiledTable): Array<{ reason: string; ptr: string }> {
  if (item.kind !== 'control.setting') return [];
  const control = table.exposes.find((e) => e.kind === 'control');
  if (!control) return [];
  const setting = String(item.data['setting']);
  return controlSettings(control.raw)
    .unsupported.filter((u) => {
      const field = u.split(/[: ]/)[0] ?? '';
      return field === setting || field.startsWith(`${setting}.`) || setting.startsWith(`${field}.`);
    })
    .map((reason) => ({ reason, ptr: item.ptr }));
}

/** Every item not served, with one reason each (silent ones get a generic reason: they are bugs). */
export function notServed(
  classified: readonly Classified[],
  options: { readonly skipLoadReported?: boolean } = {},
): Array<Unsupported & { readonly ptr: string }> {
  return classified
    .filter((c) => c.status !== 'served')
    .filter((c) => !(options.skipLoadReported === true && c.reasons.some((r) => r.load)))
    .map((c) => {
      const first = c.reasons[0];
      const reason = first
        ? c.reasons
            .map((r) => (r.reason.startsWith(`${c.name}: `) ? r.reason.slice(c.name.length + 2) : r.reason))
            .filter((r, i, all) => all.indexOf(r) === i)
            .join('; ')
        : `this runtime has no compiler for ${c.kind} items`;
      return { where: c.name, reason, ptr: first?.ptr ?? c.ptr };
    });
}

function rec(value: unknown): Rec | undefined {
  return isRecord(value) ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
