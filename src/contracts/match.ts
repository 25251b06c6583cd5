// Consumed operations ↔ OpenAPI operations, by method and path template. Placeholder names and syntax do not
// matter (`{id}`, `{{id}}` and `{tokenId}` are the same segment); the consumes base URI's path and the
// document's server path are tried as prefixes, so `baseUri: …/api` + `/users` meets `/api/users`.

import type { ConsumesHttp } from '../spec/types.js';
import type { OpenApiDocument } from './load.js';
import { toJsonSchema } from './schemas.js';
import type { ContractParameter, OperationContract } from './types.js';
import type { JsonSchema } from '../binding/table.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface MatchResult {
  /** By consumed `namespace.operation`. */
  readonly matched: Map<string, OperationContract>;
  /** `ns.op (METHOD /path)` for each consumed operation the document does not describe. */
  readonly unmatched: string[];
}

export function matchOperations(consumes: ConsumesHttp, doc: OpenApiDocument, source: string): MatchResult {
  const v31 = String(doc['openapi']).startsWith('3.1');
  const index = indexDocument(doc);
  const matched = new Map<string, OperationContract>();
  const unmatched: string[] = [];
  const basePath = pathOf(consumes.baseUri);
  for (const r of consumes.resources ?? []) {
    for (const op of r.operations ?? []) {
      const key = `${consumes.namespace}.${op.name}`;
      if (matched.has(key)) continue;
      const method = op.method.toLowerCase();
      const found = [shape(r.path), shape(join(basePath, r.path))]
        .map((p) => index.get(`${method} ${p}`))
        .find(Boolean);
      if (!found) {
        unmatched.push(`${key} (${op.method} ${r.path})`);
        continue;
      }
      matched.set(key, contractOf(found, method, v31, source, doc));
    }
  }
  return { matched, unmatched };
}

interface Found {
  readonly path: string;
  readonly pathItem: Record<string, unknown>;
  readonly operation: Record<string, unknown>;
}

/** `method shape` → operation, under each path as written and with each server's path in front. */
function indexDocument(doc: OpenApiDocument): Map<string, Found> {
  const index = new Map<string, Found>();
  const servers = Array.isArray(doc['servers']) ? (doc['servers'] as Array<{ url?: unknown }>) : [];
  const prefixes = ['', ...servers.map((s) => (typeof s.url === 'string' ? pathOf(s.url) : '')).filter(Boolean)];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    const pathItem = item as Record<string, unknown>;
    for (const m of METHODS) {
      const operation = pathItem[m];
      if (!operation || typeof operation !== 'object') continue;
      for (const prefix of prefixes) {
        const key = `${m} ${shape(join(prefix, path))}`;
        if (!index.has(key)) index.set(key, { path, pathItem, operation: operation as Record<string, unknown> });
      }
    }
  }
  return index;
}

/** `/a/{x}/b/{{y}}/` → `/a/{}/b/{}`: what two templates must share to be the same route. */
function shape(path: string): string {
  const p = path
    .replace(/\{\{\s*[^}]+?\s*\}\}|\{[^}]+\}|\[[^\]]+\]/g, '{}')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
  return p.startsWith('/') ? p || '/' : `/${p}`;
}

function join(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The path part of a base URI or server URL; variables (`[tenant]`, `{region}`) in the host do not matter. */
function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url);
  const path = m ? (m[1] ?? '') : url.startsWith('/') ? url : '';
  return path.split(/[?#]/)[0]?.replace(/\/+$/, '') ?? '';
}

function contractOf(found: Found, method: string, v31: boolean, source: string, root: unknown): OperationContract {
  const op = found.operation;
  const parameters = mergeParameters(found.pathItem['parameters'], op['parameters'], v31, root);
  const requestBody = bodyOf(op['requestBody'], v31, root);
  const response = responseOf(op['responses'], v31, root);
  return {
    where: `${method.toUpperCase()} ${found.path} in ${source}`,
    ...(typeof op['operationId'] === 'string' ? { operationId: op['operationId'] } : {}),
    ...(typeof op['summary'] === 'string' ? { summary: op['summary'] } : {}),
    ...(typeof op['description'] === 'string' ? { description: op['description'] } : {}),
    ...topicOf(op['tags'], root),
    parameters,
    ...(requestBody ? { requestBody } : {}),
    ...(response ? { response } : {}),
  };
}

/** The document's own description of the operation's tags: what the API is for, in the upstream's words. */
function topicOf(tags: unknown, root: unknown): { topic?: string } {
  if (!Array.isArray(tags)) return {};
  const declared = (root as { tags?: unknown }).tags;
  const texts = (Array.isArray(declared) ? declared : [])
    .filter(
      (t): t is { name: string; description: string } =>
        typeof t === 'object' &&
        t !== null &&
        tags.includes((t as { name?: unknown }).name) &&
        typeof (t as { description?: unknown }).description === 'string',
    )
    .map((t) => t.description.trim())
    .filter(Boolean);
  return texts.length ? { topic: texts.join(' ') } : {};
}

/** Path-item parameters, then the operation's, the latter winning by (name, in) as OpenAPI says. */
function mergeParameters(pathLevel: unknown, opLevel: unknown, v31: boolean, root: unknown): ContractParameter[] {
  const byKey = new Map<string, ContractParameter>();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const p of list as Array<Record<string, unknown>>) {
      const where = p?.['in'];
      if (typeof p?.['name'] !== 'string' || !['path', 'query', 'header', 'cookie'].includes(String(where))) continue;
      const raw = p['schema'] ?? firstContentSchema(p['content']);
      byKey.set(`${String(where)} ${p['name']}`, {
        name: p['name'],
        in: where as ContractParameter['in'],
        required: p['required'] === true || where === 'path',
        ...(raw !== undefined ? { schema: toJsonSchema(raw, 'request', v31, root) } : {}),
        ...(typeof p['description'] === 'string' ? { description: p['description'] } : {}),
      });
    }
  }
  return [...byKey.values()];
}

function bodyOf(body: unknown, v31: boolean, root: unknown): OperationContract['requestBody'] {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const raw = jsonSchemaIn(b['content']);
  if (raw === undefined) return undefined;
  return {
    schema: toJsonSchema(raw, 'request', v31, root),
    required: b['required'] === true,
    ...(typeof b['description'] === 'string' ? { description: b['description'] } : {}),
  };
}

/** 200, 201, the other 2xx in order, then 2XX: the first with a JSON schema. */
function responseOf(responses: unknown, v31: boolean, root: unknown): OperationContract['response'] {
  if (!responses || typeof responses !== 'object') return undefined;
  const all = responses as Record<string, Record<string, unknown> | undefined>;
  const codes = Object.keys(all)
    .filter((c) => /^2(\d\d|XX)$/i.test(c))
    .sort((a, b) => rank(a) - rank(b));
  for (const status of codes) {
    const r = all[status];
    const raw = r ? jsonSchemaIn(r['content']) : undefined;
    if (raw === undefined) continue;
    return {
      status,
      schema: toJsonSchema(raw, 'response', v31, root),
      ...(typeof r?.['description'] === 'string' ? { description: r['description'] } : {}),
    };
  }
  return undefined;
}

function rank(code: string): number {
  return /^\d+$/.test(code) ? Number(code) : 300;
}

/** The schema of `application/json` (or any `…+json` / `…/json` type) in a content map. */
function jsonSchemaIn(content: unknown): unknown {
  if (!content || typeof content !== 'object') return undefined;
  const entries = Object.entries(content as Record<string, { schema?: unknown } | undefined>);
  const json =
    entries.find(([type]) => /^application\/json\b/i.test(type)) ??
    entries.find(([type]) => /[/+]json\b/i.test(type.split(';')[0] ?? ''));
  return json?.[1]?.schema;
}

function firstContentSchema(content: unknown): unknown {
  const schema = jsonSchemaIn(content);
  return schema as JsonSchema | undefined;
}
