// OpenAPI 3.x (local refs already resolved) → one consumed namespace: resources by path, operations with
// their parameters, request-body properties as `in: body` parameters, and outputs from the 2xx response.
// The scenarios follow the reference engine's OasImportConverter; differences are listed in docs/import.md.

import { bodyOf } from './body.js';
import type {
  ImportedApi,
  ImportedAuth,
  ImportedOperation,
  ImportedOutput,
  ImportedParam,
  ImportedResource,
} from './model.js';
import {
  arr,
  inputType,
  isJsonMedia,
  kebab,
  operationName,
  outputType,
  PARAMETER_NAME,
  rec,
  resourceName,
  schemaType,
  str,
  variablePrefix,
} from './names.js';
import type { OasDocument } from './load.js';

type Rec = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const UNSERVED_METHODS = ['head', 'options', 'trace'];
const PLACEHOLDER_BASE = 'https://api.example.com';

export interface ConvertOptions {
  /** Overrides the namespace derived from `info.title`. */
  readonly namespace?: string;
}

export function convertOpenApi(doc: OasDocument, options: ConvertOptions = {}): ImportedApi {
  const warnings: string[] = [];
  const info = rec(doc['info']);
  const title = str(info?.['title']);
  const namespace = options.namespace ?? namespaceOf(title, warnings);
  const taken = new Set<string>();
  const resources: ImportedResource[] = [];
  for (const [path, item] of Object.entries(rec(doc['paths']) ?? {})) {
    const ops = operationsOf(path, rec(item) ?? {}, taken, warnings);
    if (ops.length > 0) resources.push({ name: uniqueResource(resourceName(path), resources), path, operations: ops });
  }
  const auth = authOf(doc, namespace, warnings);
  return {
    namespace,
    label: title ?? namespace,
    description: str(info?.['description'])?.trim() || `${title ?? namespace}, imported from its OpenAPI document.`,
    baseUri: baseUriOf(doc, warnings),
    ...(auth ? { auth } : {}),
    resources,
    warnings,
  };
}

function namespaceOf(title: string | undefined, warnings: string[]): string {
  if (title && kebab(title)) return kebab(title);
  warnings.push("No info.title found; using 'unknown-api' as namespace (set one with --namespace)");
  return 'unknown-api';
}

function baseUriOf(doc: OasDocument, warnings: string[]): string {
  const server = rec(arr(doc['servers'])[0]);
  let url = str(server?.['url']);
  if (url && server) url = withVariableDefaults(url, rec(server['variables']));
  if (!url || url === '/') {
    warnings.push(`No servers defined; using placeholder baseUri '${PLACEHOLDER_BASE}'`);
    return PLACEHOLDER_BASE;
  }
  const trimmed = url.replace(/\/+$/, '');
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  // A server URL relative to where the document is served (Petstore's `/v3`) has no origin to call.
  warnings.push(`servers[0].url '${url}' is relative; using '${PLACEHOLDER_BASE}${trimmed}' (set the real origin)`);
  return `${PLACEHOLDER_BASE}${trimmed.startsWith('/') ? '' : '/'}${trimmed}`;
}

function withVariableDefaults(url: string, variables: Rec | undefined): string {
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => str(rec(variables?.[name])?.['default']) ?? whole);
}

function uniqueResource(name: string, resources: readonly ImportedResource[]): string {
  let candidate = name;
  for (let n = 2; resources.some((r) => r.name === candidate); n++) candidate = `${name}-${n}`;
  return candidate;
}

function operationsOf(path: string, item: Rec, taken: Set<string>, warnings: string[]): ImportedOperation[] {
  for (const m of UNSERVED_METHODS) {
    if (item[m])
      warnings.push(`${m.toUpperCase()} ${path}: skipped (alpha2 operations are GET, POST, PUT, PATCH, DELETE)`);
  }
  const shared = arr(item['parameters']);
  const ops: ImportedOperation[] = [];
  for (const method of METHODS) {
    const op = rec(item[method]);
    if (!op) continue;
    const converted = operationOf(path, method.toUpperCase() as ImportedOperation['method'], op, shared, warnings);
    if (!converted) continue;
    let name = converted.name;
    for (let n = 2; taken.has(name); n++) name = `${converted.name}-${n}`;
    taken.add(name);
    ops.push({ ...converted, name });
  }
  return ops;
}

function operationOf(
  path: string,
  method: ImportedOperation['method'],
  op: Rec,
  shared: unknown[],
  warnings: string[],
): ImportedOperation | undefined {
  const where = `${method} ${path}`;
  const params = parametersOf(where, shared, arr(op['parameters']), warnings);
  for (const name of placeholdersOf(path)) {
    if (!PARAMETER_NAME.test(name)) {
      warnings.push(`${where}: skipped (path placeholder '{${name}}' is not a valid parameter name)`);
      return undefined;
    }
    if (!params.some((p) => p.in === 'path' && p.name === name)) {
      warnings.push(
        `${where}: path placeholder '{${name}}' is not declared as a parameter; imported as a required string`,
      );
      params.push({ name, in: 'path', type: 'string', required: true });
    }
  }
  const body = bodyOf(where, rec(op['requestBody']), new Set(params.map((p) => p.name)), warnings);
  const response = successResponse(op);
  const label = str(op['summary'])?.trim();
  const description = str(op['description'])?.trim();
  return {
    name: operationName(method, path, op['operationId']),
    method,
    ...(label ? { label } : {}),
    ...(description ? { description } : {}),
    params: [...params, ...body.params],
    body: body.mode,
    json: response.json,
    outputs: response.schema ? outputsOf(response.schema) : [],
  };
}

function parametersOf(where: string, shared: unknown[], own: unknown[], warnings: string[]): ImportedParam[] {
  // Operation-level parameters override path-level ones with the same name and location.
  const byKey = new Map<string, Rec>();
  for (const p of [...shared, ...own]) {
    const r = rec(p);
    if (r) byKey.set(`${str(r['in'])}:${str(r['name'])}`, r);
  }
  const params: ImportedParam[] = [];
  for (const p of byKey.values()) {
    const name = str(p['name']);
    const location = str(p['in']);
    if (!name || !location || !['path', 'query', 'header', 'cookie'].includes(location)) continue;
    if (!PARAMETER_NAME.test(name)) {
      warnings.push(`${where}: parameter '${name}' skipped (not a valid alpha2 parameter name)`);
      continue;
    }
    const description = str(p['description'])?.trim();
    params.push({
      name,
      in: location as ImportedParam['in'],
      type: inputType(p['schema'] ?? rec(firstMedia(rec(p['content'])))?.['schema']),
      required: typeof p['required'] === 'boolean' ? p['required'] : location === 'path',
      ...(description ? { description } : {}),
    });
  }
  return params;
}

function successResponse(op: Rec): { json: boolean; schema?: unknown } {
  const responses = rec(op['responses']) ?? {};
  const code = Object.keys(responses).find((c) => c.startsWith('2'));
  const content = rec(rec(code ? responses[code] : undefined)?.['content']);
  if (!content) return { json: false };
  const key = Object.keys(content).find(isJsonMedia);
  if (!key) return { json: false };
  const schema = rec(content[key])?.['schema'];
  return { json: true, ...(schema ? { schema } : {}) };
}

/** Consumed outputs, one level deep (alpha2 consumed outputs are flat): what later steps can name. */
function outputsOf(schema: unknown): ImportedOutput[] {
  const s = rec(schema) ?? {};
  const type = schemaType(s);
  const props = rec(s['properties']);
  if (type === 'object' && props) {
    return Object.entries(props)
      .filter(([name, p]) => PARAMETER_NAME.test(kebab(name)) && rec(p)?.['writeOnly'] !== true)
      .map(([name, p]) => ({ name: kebab(name), type: outputType(p), value: `$.${jsonPathKey(name)}` }));
  }
  return [{ name: 'result', type: outputType(s), value: '$.' }];
}

function jsonPathKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/'/g, "\\'")}']`;
}

function authOf(doc: OasDocument, namespace: string, warnings: string[]): ImportedAuth | undefined {
  const schemes = rec(rec(doc['components'])?.['securitySchemes']) ?? {};
  const prefix = variablePrefix(namespace);
  for (const [id, raw] of Object.entries(schemes)) {
    const s = rec(raw) ?? {};
    const type = str(s['type']);
    const scheme = str(s['scheme'])?.toLowerCase();
    if (type === 'apiKey' && str(s['name']) && (s['in'] === 'header' || s['in'] === 'query')) {
      return { type: 'apikey', key: str(s['name']) as string, placement: s['in'], variable: `${prefix}_API_KEY` };
    }
    if (type === 'http' && scheme === 'bearer') return { type: 'bearer', variable: `${prefix}_TOKEN` };
    if (type === 'http' && (scheme === 'basic' || scheme === 'digest')) {
      warnings.push(`${scheme} authentication mapped; set ${prefix}_USERNAME and ${prefix}_PASSWORD`);
      return { type: scheme, variables: [`${prefix}_USERNAME`, `${prefix}_PASSWORD`] };
    }
    if (!type) warnings.push(`Security scheme '${id}' is missing type information and was ignored`);
    else if (type === 'oauth2' || type === 'openIdConnect') {
      warnings.push(`Security scheme '${id}': ${type} authentication not yet supported — configure it by hand`);
    } else warnings.push(`Security scheme '${id}': unsupported ${type}${scheme ? ` (${scheme})` : ''} ignored`);
  }
  return undefined;
}

function firstMedia(content: Rec | undefined): unknown {
  return content ? Object.values(content)[0] : undefined;
}

function placeholdersOf(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}
