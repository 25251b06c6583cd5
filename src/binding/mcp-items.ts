// MCP resources and prompts → binding-table items (DESIGN §10: binding kinds of the MCP adapter).
// Pure like the rest of the compiler: paths are checked here as text only; the MCP adapter touches the
// file system once at start (src/expose/mcp/files.ts). A dynamic resource (call/steps) is compiled by the
// same function that compiles tools, so it runs through the one pipeline.

import type { CapabilityDocument, ExposesMcp, OutputParameter } from '../spec/types.js';
import { titleFromName } from './annotations.js';
import { compileCallable, type CompileContext, type Unsupported } from './compile.js';
import type { Binding, McpExposure } from './table.js';
import type { WithEntries } from './with.js';

interface ResourceBase {
  /** The MCP adapter (exposes namespace) that serves it. */
  readonly namespace: string;
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  /** As written: a fixed URI, or a template with `{param}` placeholders (dynamic resources only). */
  readonly uri: string;
  readonly mimeType?: string;
}

/** A file, or every file of a folder (each at `<uri>/<relative path>`), inside the capability's folder. */
export interface StaticResourceItem extends ResourceBase {
  readonly kind: 'static';
  /** `/`-separated path relative to the capability's folder; no empty, `.` or `..` segment. */
  readonly location: string;
}

/** Read by running its binding; template parameters are the binding's arguments. */
export interface DynamicResourceItem extends ResourceBase {
  readonly kind: 'dynamic';
  /** The `{param}` names of a URI template, in order; empty for a fixed URI. */
  readonly params: readonly string[];
  /** The parameters of a concrete URI this resource answers (decoded), or undefined. */
  readonly match: (uri: string) => Readonly<Record<string, string>> | undefined;
  readonly binding: Binding;
}

export type McpResourceItem = StaticResourceItem | DynamicResourceItem;

export interface McpPromptArgumentItem {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  /** The spec's default is true. */
  readonly required: boolean;
}

export interface McpPromptItem {
  readonly namespace: string;
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly arguments: readonly McpPromptArgumentItem[];
  /** Inline messages (`template`), with `{{arg}}` placeholders. */
  readonly messages?: ReadonlyArray<{ readonly role: 'user' | 'assistant'; readonly content: string }>;
  /** Or a file (relative to the capability's folder) whose text is one user message. */
  readonly location?: string;
}

export interface McpItems {
  readonly resources: McpResourceItem[];
  readonly prompts: McpPromptItem[];
}

const PARAM = /\{([A-Za-z0-9_]+)\}/g;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// `file:///./x` and `file://./x` are relative to the capability's folder, as for binds (src/config.ts).
const RELATIVE_FILE = /^file:\/\/\/?\.\/(.*)$/;
const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * The resources and prompts of every MCP adapter. What cannot be served is pushed to `unsupported` (logged
 * as `not served: …` at start) and left out, never served half-working.
 */
export function compileMcpItems(doc: CapabilityDocument, unsupported: Unsupported[], ctx: CompileContext): McpItems {
  const resources: McpResourceItem[] = [];
  const prompts: McpPromptItem[] = [];
  for (const [e, ex] of (doc.capability?.exposes ?? []).entries()) {
    if (ex.type !== 'mcp') continue;
    const mcp = ex as ExposesMcp;
    const uris = new Set<string>();
    for (const [i, r] of (mcp.resources ?? []).entries()) {
      const ptr = `/capability/exposes/${e}/resources/${i}`;
      const item = resourceItem(ctx, mcp.namespace, rec(r), i, ptr);
      if ('reason' in item) unsupported.push(item);
      else if (uris.has(item.uri))
        unsupported.push({
          where: whereOf(item.namespace, 'resource', item.name, i),
          reason: `URI '${item.uri}' is already served by an earlier resource`,
          ptr: `${ptr}/uri`,
        });
      else {
        uris.add(item.uri);
        resources.push(item);
      }
    }
    const names = new Set<string>();
    for (const [i, p] of (mcp.prompts ?? []).entries()) {
      const ptr = `/capability/exposes/${e}/prompts/${i}`;
      const item = promptItem(mcp.namespace, rec(p), i, ptr);
      if ('reason' in item) unsupported.push(item);
      else if (names.has(item.name))
        unsupported.push({
          where: whereOf(item.namespace, 'prompt', item.name, i),
          reason: 'a prompt of this name is already served',
          ptr: `${ptr}/name`,
        });
      else {
        names.add(item.name);
        prompts.push(item);
      }
    }
  }
  return { resources, prompts };
}

function resourceItem(
  ctx: CompileContext,
  namespace: string,
  r: Record<string, unknown>,
  index: number,
  ptr: string,
): McpResourceItem | Unsupported {
  const name = str(r['name']) ?? `resources[${index}]`;
  const where = whereOf(namespace, 'resource', name, index);
  const fail = (reason: string, at = ''): Unsupported => ({ where, reason, ptr: `${ptr}${at}` });
  const uri = str(r['uri']);
  if (!uri || !SCHEME.test(uri))
    return fail(`uri '${uri ?? ''}' is not a URI with a scheme (e.g. docs://guide)`, '/uri');
  const params = [...uri.matchAll(PARAM)].map((m) => m[1] as string);
  if (/[{}]/.test(uri.replace(PARAM, '')))
    return fail(`uri '${uri}' has a placeholder that is not {name} (letters, digits, _)`, '/uri');
  if (new Set(params).size !== params.length) return fail(`uri '${uri}' repeats a placeholder`, '/uri');
  const base = {
    namespace,
    name,
    title: str(r['label']) ?? titleFromName(name),
    ...(str(r['description']) ? { description: str(r['description']) as string } : {}),
    uri,
    ...(str(r['mimeType']) ? { mimeType: str(r['mimeType']) as string } : {}),
  };

  const location = str(r['location']);
  if (location !== undefined) {
    if (params.length) return fail('a static resource (location) cannot have a {param} URI template', '/uri');
    const rel = relativeLocation(location);
    if ('reason' in rel) return fail(rel.reason, '/location');
    return { ...base, kind: 'static', location: rel.path };
  }
  if (r['call'] === undefined && r['steps'] === undefined)
    return fail('a resource needs a location (static) or a call/steps (dynamic)');
  const compiled = compileCallable(ctx, {
    where,
    ptr,
    namespace,
    adapter: 'mcp',
    // The URI template's parameters are the callable's arguments (strings, always present in a match).
    declared: params.map((p) => ({ name: p, type: 'string', required: true, description: `{${p}} in ${uri}` })),
    ...(typeof r['call'] === 'string' ? { call: r['call'] } : {}),
    ...(r['with'] && typeof r['with'] === 'object' ? { with: r['with'] as WithEntries } : {}),
    ...(Array.isArray(r['steps']) ? { steps: r['steps'] } : {}),
    ...(Array.isArray(r['mappings']) ? { mappings: r['mappings'] } : {}),
    ...(Array.isArray(r['outputParameters']) ? { outputParameters: r['outputParameters'] as OutputParameter[] } : {}),
  });
  if ('reason' in compiled) return compiled;
  // Not a tool: the exposure only names the resource in logs and metrics; it is never in tools/list.
  const expose: McpExposure = { kind: 'mcp', namespace, name, title: base.title, annotations: {} };
  const binding: Binding = {
    id: `${namespace}.resource.${name}`,
    expose,
    ...(base.description ? { description: base.description } : {}),
    input: compiled.input,
    plan: compiled.plan,
    ...(compiled.request ? { request: compiled.request } : {}),
    idempotent: compiled.idempotent,
  };
  return { ...base, kind: 'dynamic', params, match: uriMatcher(uri, params), binding };
}

function promptItem(
  namespace: string,
  p: Record<string, unknown>,
  index: number,
  ptr: string,
): McpPromptItem | Unsupported {
  const name = str(p['name']) ?? `prompts[${index}]`;
  const where = whereOf(namespace, 'prompt', name, index);
  const fail = (reason: string, at = ''): Unsupported => ({ where, reason, ptr: `${ptr}${at}` });
  const args: McpPromptArgumentItem[] = [];
  for (const a of arr(p['arguments']).map(rec)) {
    const argName = str(a['name']);
    if (!argName) return fail('an argument has no name', '/arguments');
    args.push({
      name: argName,
      ...(str(a['label']) ? { title: str(a['label']) as string } : {}),
      ...(str(a['description']) ? { description: str(a['description']) as string } : {}),
      required: a['required'] !== false,
    });
  }
  if (new Set(args.map((a) => a.name)).size !== args.length) return fail('two arguments share a name', '/arguments');
  const base = {
    namespace,
    name,
    title: str(p['label']) ?? titleFromName(name),
    ...(str(p['description']) ? { description: str(p['description']) as string } : {}),
    arguments: args,
  };
  const location = str(p['location']);
  if (location !== undefined) {
    const rel = relativeLocation(location);
    if ('reason' in rel) return fail(rel.reason, '/location');
    return { ...base, location: rel.path };
  }
  const messages: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const m of arr(p['template']).map(rec)) {
    const role = m['role'];
    const content = m['content'];
    if ((role !== 'user' && role !== 'assistant') || typeof content !== 'string')
      return fail("each template message needs a role ('user' or 'assistant') and a string content", '/template');
    messages.push({ role, content });
  }
  if (messages.length === 0) return fail('a prompt needs a template (messages) or a location (file)');
  return { ...base, messages };
}

/**
 * `location` as a path inside the capability's folder. Only the relative forms are served: an absolute
 * `file:///…` could publish any file the process can read, so it is refused (a difference from the engine,
 * which serves any absolute directory).
 */
export function relativeLocation(location: string): { path: string } | { reason: string } {
  const m = RELATIVE_FILE.exec(location);
  if (!m)
    return {
      reason: `location '${location}' is not relative to the capability's folder: write file:///./<path> (absolute locations are not served)`,
    };
  const path = (m[1] ?? '').replace(/\/+$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { reason: `location '${location}' has a malformed %-escape` };
  }
  const segments = decoded === '' ? [] : decoded.split('/');
  const bad = segments.find((s) => !SAFE_SEGMENT.test(s) || s === '.' || s === '..');
  if (bad !== undefined || decoded.includes('\\'))
    return {
      reason: `location '${location}' must stay inside the capability's folder: segments of letters, digits, '.', '_' and '-' only, no '.' or '..' (found '${bad ?? '\\'}')`,
    };
  return { path: segments.join('/') };
}

/**
 * A `{param}` template as a matcher: each placeholder matches one non-empty segment without `/` (the
 * engine's rule), percent-decoded; a fixed URI matches only itself.
 */
export function uriMatcher(
  uri: string,
  params: readonly string[],
): (concrete: string) => Record<string, string> | undefined {
  if (params.length === 0) return (concrete) => (concrete === uri ? {} : undefined);
  const pattern = new RegExp(
    `^${uri
      .split(PARAM)
      .map((part, i) => (i % 2 === 1 ? '([^/]+)' : escapeRegExp(part)))
      .join('')}$`,
  );
  return (concrete) => {
    const m = pattern.exec(concrete);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [i, name] of params.entries()) {
      try {
        out[name] = decodeURIComponent(m[i + 1] as string);
      } catch {
        return undefined;
      }
    }
    return out;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function whereOf(namespace: string, what: 'resource' | 'prompt', name: string, index: number): string {
  return `${namespace} ${what} ${name} (${what}s[${index}])`;
}

function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** One MCP adapter's resources and prompts, for its server (both transports). */
export function mcpItemsOf(
  table: { readonly resources?: readonly McpResourceItem[]; readonly prompts?: readonly McpPromptItem[] },
  namespace: string,
): { resources: McpResourceItem[]; prompts: McpPromptItem[] } {
  return {
    resources: (table.resources ?? []).filter((r) => r.namespace === namespace),
    prompts: (table.prompts ?? []).filter((p) => p.namespace === namespace),
  };
}
