// Raw MCP over HTTP with fetch, for the protocol edges a real client never produces.

import { request } from 'node:http';

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, or the `data:` of the last SSE `message` event. */
  json: Record<string, unknown> | undefined;
}

export async function post(
  url: string,
  body: string | object,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<RawResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return read(res);
}

export async function read(res: Response): Promise<RawResponse> {
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  const sse = [...text.matchAll(/^data: (.*)$/gm)].map((m) => m[1] ?? '');
  try {
    json = JSON.parse(sse.length ? (sse[sse.length - 1] ?? '') : text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A 2026-07-28 request: envelope in `_meta`, and the Mcp-Method / Mcp-Name headers that must match. */
export function modern(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<RawResponse> {
  const name = typeof params['name'] === 'string' ? { 'mcp-name': params['name'] } : {};
  return post(
    url,
    // A caller's own _meta keys (e.g. traceparent) ride along with the envelope.
    { jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: { ...(params['_meta'] as object), ...ENVELOPE } } },
    { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...name, ...headers },
    signal,
  );
}

/** A 2025-era request, as a stateless client sends it after initialize. */
export function legacy(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  id = 1,
): Promise<RawResponse> {
  return post(url, { jsonrpc: '2.0', id, method, params }, { 'mcp-protocol-version': LEGACY });
}

export function rpcError(r: RawResponse): { code: number; message: string; data?: unknown } | undefined {
  return r.json?.['error'] as { code: number; message: string; data?: unknown } | undefined;
}

export function rpcResult(r: RawResponse): Record<string, unknown> {
  return (r.json?.['result'] ?? {}) as Record<string, unknown>;
}

/** fetch cannot set Host; node:http can. */
export async function rawHost(
  target: string,
  host: string,
  method = 'POST',
  headers: Record<string, string> = {},
): Promise<{ status: number; json(): Promise<unknown> }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        headers: {
          host,
          ...(method === 'POST'
            ? { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
            : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? body : undefined);
  });
}
