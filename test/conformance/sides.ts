// The two sides of a parity case: a REST call over fetch and a tool call over real MCP SDK clients
// (v2 pinned to 2026-07-28, and 1.x on 2025-11-25), each reduced to one protocol-neutral Outcome.

import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { RecordedRequest } from '../helpers/recording-upstream.js';
import { scan } from '../support/canary.js';
import type { McpCall, RestCall } from './cases.js';

/** What a caller learns, whatever the protocol. */
export type Outcome =
  | { readonly kind: 'data'; readonly data: unknown }
  | { readonly kind: 'empty' }
  | { readonly kind: 'upstream-error'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'runtime-error'; readonly code: string; readonly message: string; readonly issues?: unknown };

export interface RestReply {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter?: string;
  readonly text: string;
  readonly json: unknown;
}

export interface ToolResult {
  readonly isError?: boolean;
  readonly content: ReadonlyArray<{ type: string; text?: string }>;
  readonly structuredContent?: unknown;
}

export interface McpSide {
  /** `modern` (2026-07-28, arrays as they are) or `legacy` (2025 eras, arrays wrapped as {result}). */
  readonly era: 'modern' | 'legacy';
  readonly label: string;
  call(call: McpCall): Promise<ToolResult>;
  close(): Promise<void>;
}

/** Fills `{x}` with one encoded segment; dot segments are escaped so fetch does not resolve them away. */
export function restPath(call: RestCall): string {
  const path = call.route.replace(/\{(\w+)\}/g, (_m, name: string) => segment(call.params?.[name] ?? ''));
  const query = new URLSearchParams(call.query ?? {}).toString();
  return query ? `${path}?${query}` : path;
}

function segment(value: string): string {
  return value === '.' || value === '..' ? value.replaceAll('.', '%2E') : encodeURIComponent(value);
}

export async function callRest(origin: string, call: RestCall): Promise<RestReply> {
  const init = {
    method: call.method,
    ...('body' in call ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.body) } : {}),
  };
  if (call.rawPath) return rawRequest(`${origin}${restPath(call)}`, init);
  const res = await fetch(`${origin}${restPath(call)}`, init);
  const text = await res.text();
  const retryAfter = res.headers.get('retry-after');
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    ...(retryAfter ? { retryAfter } : {}),
    text,
    json: parse(text),
  };
}

/**
 * node:http sends the path byte for byte. fetch cannot: the URL standard reads `%2E%2E` as `..` and
 * resolves it away, so a REST caller using it can never name the id '..' at all.
 */
async function rawRequest(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<RestReply> {
  const { hostname, port } = new URL(url);
  const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: init.method, headers: init.headers ?? {} }, resolve);
    req.on('error', reject);
    req.end(init.body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  scan(`response of ${init.method} ${url}`, `${JSON.stringify(res.headers)}\n${text}`);
  return {
    status: res.statusCode ?? 0,
    contentType: String(res.headers['content-type'] ?? ''),
    text,
    json: parse(text),
  };
}

export function restOutcome(r: RestReply): Outcome {
  if (r.contentType.startsWith('application/problem+json')) {
    const p = r.json as { code: string; detail: string; errors?: unknown };
    return { kind: 'runtime-error', code: p.code, message: p.detail, ...(p.errors ? { issues: p.errors } : {}) };
  }
  if (r.status >= 400) return { kind: 'upstream-error', status: r.status, body: r.json };
  return r.text === '' ? { kind: 'empty' } : { kind: 'data', data: r.json };
}

/** MCP data is read from the text block: the structured form depends on the era (see wrapForEra). */
export function mcpOutcome(r: ToolResult): Outcome {
  const s = (r.structuredContent ?? {}) as Record<string, unknown>;
  if (r.isError && typeof s['status'] === 'number')
    return { kind: 'upstream-error', status: s['status'], body: s['upstream'] };
  if (r.isError)
    return {
      kind: 'runtime-error',
      code: String(s['error']),
      message: String(s['message']),
      ...(s['issues'] ? { issues: s['issues'] } : {}),
    };
  return r.structuredContent === undefined ? { kind: 'empty' } : { kind: 'data', data: parse(textOf(r)) };
}

/** The structuredContent a client of `era` must see for `data` (docs/mcp.md, Results). */
export function wrapForEra(data: unknown, era: McpSide['era']): unknown {
  const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
  return era === 'legacy' && !isObject ? { result: data } : data;
}

export function textOf(r: ToolResult): string {
  return r.content.map((c) => c.text ?? '').join('\n');
}

export async function connectMcp(url: string): Promise<McpSide[]> {
  const v2 = new ClientV2({ name: 'parity-v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await v2.connect(new TransportV2(new URL(url)));
  const v1 = new ClientV1({ name: 'parity-v1', version: '1' });
  await v1.connect(new TransportV1(new URL(url)));
  return [
    {
      era: 'modern',
      label: `MCP v2 client (${v2.getNegotiatedProtocolVersion()})`,
      call: async ({ tool, args }) => (await v2.callTool({ name: tool, arguments: { ...args } })) as ToolResult,
      close: () => v2.close(),
    },
    {
      era: 'legacy',
      label: 'MCP 1.x client (2025-11-25)',
      call: async ({ tool, args }) => (await v1.callTool({ name: tool, arguments: { ...args } })) as ToolResult,
      close: () => v1.close(),
    },
  ];
}

/** The parts of an upstream request that must not depend on the adapter (x-request-id does). */
export function comparable(r: RecordedRequest) {
  const { 'x-request-id': _id, ...headers } = r.headers;
  return {
    method: r.method,
    path: r.path,
    query: r.query === '' ? [] : r.query.split('&').sort(),
    headers,
    body: r.text === '' ? undefined : (r.json ?? r.text),
  };
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
