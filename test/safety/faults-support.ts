// The six operations of the seed as both adapters call them, and what a caller must see when an
// upstream fault reaches them: one expectation, checked against a REST response and an MCP tool result.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import type { RecordedRequest, UpstreamAnswer } from '../helpers/recording-upstream.js';
import type { TestRuntime } from '../support/runtime.js';
import { modern, rpcError, rpcResult } from '../mcp/wire.js';

export const BASE = '/v1/api/one-time-tokens';

export interface Op {
  readonly name: string;
  readonly idempotent: boolean;
  readonly rest: { readonly method: string; readonly path: string; readonly body?: object };
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly upstream: { readonly method: string; readonly path: string };
}

export const OPS: readonly Op[] = [
  {
    name: 'create',
    idempotent: false,
    rest: { method: 'POST', path: BASE, body: { email: 'ada@example.com' } },
    tool: 'create-one-time-token',
    args: { body: { email: 'ada@example.com' } },
    upstream: { method: 'POST', path: '/api/one-time-tokens' },
  },
  {
    name: 'verify',
    idempotent: false,
    rest: { method: 'POST', path: `${BASE}/verify`, body: { token: 't', email: 'ada@example.com' } },
    tool: 'verify-one-time-token',
    args: { body: { token: 't', email: 'ada@example.com' } },
    upstream: { method: 'POST', path: '/api/one-time-tokens/verify' },
  },
  {
    name: 'list',
    idempotent: true,
    rest: { method: 'GET', path: `${BASE}?email=ada%40example.com` },
    tool: 'get-one-time-tokens',
    args: { email: 'ada@example.com' },
    upstream: { method: 'GET', path: '/api/one-time-tokens' },
  },
  {
    name: 'get',
    idempotent: true,
    rest: { method: 'GET', path: `${BASE}/tok1` },
    tool: 'get-one-time-token-id',
    args: { id: 'tok1' },
    upstream: { method: 'GET', path: '/api/one-time-tokens/tok1' },
  },
  {
    name: 'update status',
    idempotent: true,
    rest: { method: 'PUT', path: `${BASE}/tok1/status`, body: { status: 'revoked' } },
    tool: 'update-one-time-token-status',
    args: { id: 'tok1', body: { status: 'revoked' } },
    upstream: { method: 'PUT', path: '/api/one-time-tokens/tok1/status' },
  },
  {
    name: 'delete',
    idempotent: true,
    rest: { method: 'DELETE', path: `${BASE}/tok1` },
    tool: 'delete-one-time-token-id',
    args: { id: 'tok1' },
    upstream: { method: 'DELETE', path: '/api/one-time-tokens/tok1' },
  },
];

/** REST over fetch; MCP as raw 2026-07-28 JSON-RPC; MCP-2025 through the SDK 1.x client (2025-11-25). */
export type Adapter = 'REST' | 'MCP' | 'MCP-2025';
export const ADAPTERS: readonly Adapter[] = ['REST', 'MCP'];

/** What the caller must get: a runtime error (problem+json / tool error with the code), the upstream's own answer, or success. */
export type Expected =
  | { readonly kind: 'problem'; readonly status: number; readonly code: string; readonly detail?: RegExp }
  | { readonly kind: 'upstream'; readonly status: number; readonly body: unknown; readonly retryAfter?: string }
  | { readonly kind: 'ok'; readonly body: unknown };

export const problem = (status: number, code: string, detail?: RegExp): Expected =>
  detail ? { kind: 'problem', status, code, detail } : { kind: 'problem', status, code };
export const passed = (status: number, body: unknown, retryAfter?: string): Expected =>
  retryAfter === undefined ? { kind: 'upstream', status, body } : { kind: 'upstream', status, body, retryAfter };

export const OK_BODY = { id: 'ok' };
export const OK: UpstreamAnswer = { status: 200, body: OK_BODY };

/**
 * Request ids route each cell's upstream requests to its own script, so cells can run concurrently on
 * one upstream; the runtime forwards a well-formed caller `x-request-id` upstream on every attempt.
 */
export class Scripts {
  readonly #plans = new Map<string, readonly UpstreamAnswer[]>();
  readonly #served = new Map<string, number>();

  /** The n-th request of `id` gets `answers[n]`; past the end, the last answer again (a persistent fault). */
  plan(id: string, ...answers: UpstreamAnswer[]): void {
    this.#plans.set(id, answers);
  }

  answer = (req: RecordedRequest): UpstreamAnswer => {
    const id = String(req.headers['x-request-id'] ?? '');
    const answers = this.#plans.get(id);
    if (!answers?.length) return { status: 599, body: { message: `no script for request id '${id}'` } };
    const n = this.#served.get(id) ?? 0;
    this.#served.set(id, n + 1);
    return answers[Math.min(n, answers.length - 1)]!;
  };
}

export function sentBy(requests: readonly RecordedRequest[], id: string): RecordedRequest[] {
  return requests.filter((r) => r.headers['x-request-id'] === id);
}

export async function callRest(rt: TestRuntime, op: Op, id: string, signal?: AbortSignal): Promise<Response> {
  return rt.rest(op.rest.path, {
    method: op.rest.method,
    headers: { 'x-request-id': id, ...(op.rest.body ? { 'content-type': 'application/json' } : {}) },
    ...(op.rest.body ? { body: JSON.stringify(op.rest.body) } : {}),
    ...(signal ? { signal } : {}),
  });
}

export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

/** A stateless 2026-07-28 tools/call; a JSON-RPC error here would be a protocol error, which no fault may cause. */
export async function callMcp(rt: TestRuntime, op: Op, id: string, signal?: AbortSignal): Promise<ToolResult> {
  const r = await modern(
    rt.mcpUrl,
    'tools/call',
    { name: op.tool, arguments: op.args },
    { 'x-request-id': id },
    signal,
  );
  expect(rpcError(r), r.text).toBeUndefined();
  return rpcResult(r) as unknown as ToolResult;
}

/** One client per call: the transport's fixed headers are how this call's request id reaches the upstream. */
export async function callMcpSdk(rt: TestRuntime, op: Op, id: string): Promise<ToolResult> {
  const client = new Client({ name: 'faults', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(rt.mcpUrl), { requestInit: { headers: { 'x-request-id': id } } }),
  );
  try {
    return (await client.callTool({ name: op.tool, arguments: op.args })) as ToolResult;
  } finally {
    await client.close();
  }
}

export async function expectRest(res: Response, want: Expected): Promise<void> {
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = await res.json();
  if (want.kind === 'ok') {
    expect([res.status, body]).toEqual([200, want.body]);
    return;
  }
  expect(res.status, JSON.stringify(body)).toBe(want.status);
  if (want.kind === 'problem') {
    expect(type).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ status: want.status, code: want.code });
    if (want.detail) expect((body as { detail: string }).detail).toMatch(want.detail);
    return;
  }
  // The upstream's own error: its body intact, never dressed up as one of ours.
  expect(type).toMatch(/^application\/json/);
  expect(body).toEqual(want.body);
  expect(res.headers.get('retry-after')).toBe(want.retryAfter ?? null);
}

export function expectTool(result: ToolResult, want: Expected): void {
  const text = result.content.map((c) => c.text ?? '').join('\n');
  if (want.kind === 'ok') {
    expect(result.isError, text).toBeFalsy();
    expect(result.structuredContent).toEqual(want.body);
    return;
  }
  expect(result.isError, text).toBe(true);
  if (want.kind === 'problem') {
    expect(text).toContain(want.code);
    expect(result.structuredContent).toMatchObject({ error: want.code });
    if (want.detail) expect(text).toMatch(want.detail);
    return;
  }
  expect(text).toContain(`HTTP ${want.status}`);
  expect(result.structuredContent).toMatchObject({ status: want.status, upstream: want.body });
}

export async function expectOutcome(
  adapter: Adapter,
  rt: TestRuntime,
  op: Op,
  id: string,
  want: Expected,
): Promise<void> {
  if (adapter === 'REST') await expectRest(await callRest(rt, op, id), want);
  else expectTool(await (adapter === 'MCP' ? callMcp(rt, op, id) : callMcpSdk(rt, op, id)), want);
}

/** Log lines (parsed) that belong to one request id. */
export function linesOf(rt: TestRuntime, id: string): Array<Record<string, unknown>> {
  return rt.logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l['reqId'] === id || l['requestId'] === id);
}
