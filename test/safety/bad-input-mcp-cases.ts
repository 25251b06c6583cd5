// The MCP half of the bad-input matrix: protocol-level garbage (JSON-RPC errors), bad tool arguments
// (tool errors naming the argument), and nasty values the runtime lets through, which must reach the
// upstream as one encoded path segment or an encoded query value, and come back as Logto's own error.

import type { Sent } from './bad-input-cases.js';

export type McpExpect =
  /** A JSON-RPC error (`http` is the HTTP status), before any upstream call. */
  | { readonly by: 'rpc'; readonly http: number; readonly code?: number; readonly names?: string }
  /** A tool result with isError, `error` = code, its text naming every argument at fault; no upstream call. */
  | { readonly by: 'runtime'; readonly code: string; readonly names: readonly string[] }
  /** Let through; Logto (or the upstream's HTTP parser) refused it; the tool error carries its status and text. */
  | {
      readonly by: 'upstream';
      readonly status: number;
      readonly names: string;
      /** What the upstream got; 'unrecorded' when its HTTP parser refused the request before any handler. */
      readonly sent: Sent | 'unrecorded';
    }
  /** A 2025-era batch: one answer per message, each an error. */
  | { readonly by: 'batch'; readonly answers: number };

export interface McpCase {
  readonly name: string;
  /** A tools/call: modern (2026-07-28, the default) or legacy (2025-11-25). `args` absent: no `arguments`. */
  readonly call?: {
    readonly tool: string;
    readonly args?: unknown;
    readonly era?: 'modern' | 'legacy';
    readonly headers?: Record<string, string>;
  };
  /** A body posted as is, with 2025-11-25 headers unless `headers` says otherwise. */
  readonly post?: { readonly body: unknown; readonly text?: string; readonly headers?: Record<string, string> };
  /** A hand-written request, for what fetch cannot send (duplicate Host, no Content-Type). */
  readonly raw?: {
    readonly target?: string;
    readonly body: string;
    readonly contentType?: string | null;
    readonly hosts?: readonly string[];
  };
  readonly expect: McpExpect;
}

const INVALID = 'NAF_ERR_INVALID_ARGUMENT';
const MISSING = 'NAF_ERR_MISSING_ARGUMENT';
const LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
const j = JSON.stringify;

const rpc = (http: number, code: number | undefined, names?: string): McpExpect => ({
  by: 'rpc',
  http,
  ...(code === undefined ? {} : { code }),
  ...(names ? { names } : {}),
});
const tool = (name: string, toolName: string, args: unknown, expect: McpExpect, era?: 'legacy'): McpCase => ({
  name,
  call: { tool: toolName, args, ...(era ? { era } : {}) },
  expect,
});
const refused = (code: string, ...names: string[]): McpExpect => ({ by: 'runtime', code, names });
const upstream = (status: number, names: string, sent: Sent | 'unrecorded'): McpExpect => ({
  by: 'upstream',
  status,
  names,
  sent,
});
const call = (params: unknown, id: unknown = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params });
const posted = (name: string, body: unknown, expect: McpExpect, headers?: Record<string, string>): McpCase => ({
  name,
  post: { body, ...(headers ? { headers } : {}) },
  expect,
});
const getId = (id: unknown, expect: McpExpect, era?: 'legacy') =>
  tool(`get id ${j(id)?.slice(0, 40)}${era ? ' (2025)' : ''}`, 'get-one-time-token-id', { id }, expect, era);
const lookup = (id: string) => upstream(404, id, { method: 'GET', id });
const guard = (names: string, sent: Sent) => upstream(400, names, sent);
const badRequest = rpc(400, -32600);

export const MCP_CASES: readonly McpCase[] = [
  // Tools that do not exist: a protocol error (-32602), never a call.
  tool('unknown tool', 'nope', {}, rpc(200, -32602, 'Unknown tool: nope')),
  tool('unknown tool (2025)', 'nope', {}, rpc(200, -32602, 'Unknown tool: nope'), 'legacy'),
  tool('tool named constructor', 'constructor', {}, rpc(200, -32602, 'Unknown tool: constructor')),
  tool('tool named __proto__', '__proto__', {}, rpc(200, -32602, 'Unknown tool: __proto__')),
  tool('tool name with CRLF', 'get-one-time-tokens\r\nX: 1', {}, rpc(200, -32602, 'Unknown tool'), 'legacy'),
  // Envelopes that are not a valid tools/call.
  posted('tool name a number', call({ name: 5, arguments: {} }), rpc(200, -32602, 'name')),
  posted('arguments an array', call({ name: 'get-one-time-tokens', arguments: [] }), rpc(200, -32602, 'arguments')),
  posted('arguments a string', call({ name: 'get-one-time-tokens', arguments: 'id=1' }), rpc(200, -32602, 'arguments')),
  posted('arguments null', call({ name: 'get-one-time-tokens', arguments: null }), rpc(200, -32602, 'arguments')),
  posted('params missing', { jsonrpc: '2.0', id: 1, method: 'tools/call' }, rpc(200, -32602, 'params')),
  posted('params an array', call(['get-one-time-tokens']), badRequest),
  posted('method missing', { jsonrpc: '2.0', id: 1, params: {} }, badRequest),
  posted('method a number', { jsonrpc: '2.0', id: 1, method: 5 }, badRequest),
  posted('id an object', { ...LIST, id: { n: 1 } }, badRequest),
  posted('id a boolean', { ...LIST, id: true }, badRequest),
  posted('id null', { ...LIST, id: null }, badRequest),
  posted('jsonrpc "1.0"', { ...LIST, jsonrpc: '1.0' }, badRequest),
  posted('unknown method', { ...LIST, method: 'tools/execute' }, rpc(200, -32601, 'Method not found')),
  posted('JSON null', null, badRequest),
  posted('empty batch', [], rpc(400, -32600, 'batch')),
  posted('batch under 2026-07-28', [LIST], rpc(400, undefined), { 'mcp-protocol-version': '2026-07-28' }),
  posted(
    'batch of bad calls (2025-03-26)',
    [call({ name: 'nope', arguments: {} }, 1), call({ name: 'get-one-time-token-id', arguments: { id: '..' } }, 2)],
    { by: 'batch', answers: 2 },
    { 'mcp-protocol-version': '2025-03-26' },
  ),
  {
    name: 'truncated JSON',
    post: { body: undefined, text: '{"jsonrpc":"2.0","id":1,' },
    expect: rpc(400, -32700, 'Parse error'),
  },
  { name: 'empty body', post: { body: undefined, text: '' }, expect: rpc(400, -32700, 'Parse error') },
  posted('text/plain', LIST, rpc(415, -32000, 'application/json'), { 'content-type': 'text/plain' }),
  posted('form-encoded', LIST, rpc(415, -32000, 'application/json'), {
    'content-type': 'application/x-www-form-urlencoded',
  }),
  { name: 'no content type', raw: { body: j(LIST), contentType: null }, expect: rpc(415, -32000, 'application/json') },
  posted(
    'id ".." sent as application/json; charset=utf-8',
    call({ name: 'get-one-time-token-id', arguments: { id: '..' } }),
    { by: 'runtime', code: INVALID, names: ["'id' must not be '..'"] },
    { 'content-type': 'application/json; charset=utf-8' },
  ),
  posted(
    'body over the 64 KiB limit',
    call({ name: 'get-one-time-tokens', arguments: { email: 'a'.repeat(65 * 1024) } }),
    rpc(413, -32000, 'too large'),
  ),
  {
    name: 'Mcp-Name header disagreeing with params.name',
    call: { tool: 'get-one-time-token-id', args: { id: 'tok1' }, headers: { 'mcp-name': 'delete-one-time-token-id' } },
    expect: rpc(400, -32020, 'disagree'),
  },
  { name: 'foreign Host', raw: { body: j(LIST), hosts: ['evil.example'] }, expect: rpc(403, -32000, 'Invalid Host') },
  {
    name: 'two Host headers, the first foreign (RFC 9112 §3.2: 400)',
    raw: { body: j(LIST), hosts: ['evil.example', '127.0.0.1'] },
    expect: rpc(400, -32600, 'more than one Host'),
  },
  {
    name: 'two Host headers, the second foreign (RFC 9112 §3.2: 400)',
    raw: { body: j(LIST), hosts: ['127.0.0.1', 'evil.example'] },
    expect: rpc(400, undefined),
  },
  {
    name: '64 KiB query string',
    raw: { target: `/mcp?${'a'.repeat(64 * 1024)}`, body: j(LIST) },
    expect: rpc(431, undefined),
  },
  // Bad arguments: tool errors naming each argument at fault, before any upstream call.
  tool('get id: no arguments', 'get-one-time-token-id', undefined, refused(MISSING, "'id' is required")),
  getId('', refused(INVALID, "'id' must not be empty")),
  getId('..', refused(INVALID, "'id' must not be '..'")),
  getId('.', refused(INVALID, "'id' must not be '.'")),
  getId('..', refused(INVALID, "'id' must not be '..'"), 'legacy'),
  getId(5, refused(INVALID, "'id' must be string")),
  getId(null, refused(INVALID, "'id' must be string")),
  getId(['tok1'], refused(INVALID, "'id' must be string")),
  getId({ id: 'tok1' }, refused(INVALID, "'id' must be string")),
  getId(true, refused(INVALID, "'id' must be string")),
  getId('a\u0000b', refused(INVALID, "'id' must not contain control characters")),
  getId('tok1\r\nX-Injected: 1', refused(INVALID, "'id' must not contain control characters")),
  tool('delete id TAB', 'delete-one-time-token-id', { id: '\t' }, refused(INVALID, "'id' must not contain control")),
  tool(
    'status: id ".." and no body',
    'update-one-time-token-status',
    { id: '..' },
    refused(INVALID, "'id' must not be '..'", "'body' is required"),
  ),
  tool('list: unknown argument', 'get-one-time-tokens', { foo: 1 }, refused(INVALID, "'foo' is not a known argument")),
  tool('list: page "abc"', 'get-one-time-tokens', { page: 'abc' }, refused(INVALID, "'page' must be integer")),
  tool('list: page 1.5', 'get-one-time-tokens', { page: 1.5 }, refused(INVALID, "'page' must be integer")),
  tool('list: page 1e23', 'get-one-time-tokens', { page: 1e23 }, refused(INVALID, "'page' must be an integer within")),
  tool('list: email a number', 'get-one-time-tokens', { email: 5 }, refused(INVALID, "'email' must be string")),
  tool(
    'list: email an array',
    'get-one-time-tokens',
    { email: ['a@b.co'] },
    refused(INVALID, "'email' must be string"),
  ),
  tool('create: no body', 'create-one-time-token', {}, refused(MISSING, "'body' is required")),
  tool('create: body an array', 'create-one-time-token', { body: [] }, refused(INVALID, "'body' must be object")),
  tool(
    'create: body a JSON string',
    'create-one-time-token',
    { body: j({ email: 'a@b.co' }) },
    refused(INVALID, "'body' must be object"),
  ),
  tool('create: body null', 'create-one-time-token', { body: null }, refused(INVALID, "'body' must be object")),
  tool(
    'create: email beside the body',
    'create-one-time-token',
    { email: 'a@b.co' },
    refused(INVALID, "'email' is not a known argument", "'body' is required"),
  ),
  tool(
    'create: body 200 levels deep',
    'create-one-time-token',
    { body: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) as unknown },
    refused(INVALID, "'body' is nested more than"),
  ),
  // Nasty values that are legal arguments: one encoded segment (or query value) upstream, Logto's error back.
  getId('../../admin', lookup('../../admin')),
  getId('tok1/../../x', lookup('tok1/../../x')),
  getId('%2e%2e', lookup('%2e%2e')),
  getId('é', lookup('é')),
  getId('😀', lookup('😀')),
  getId('\u202etok1', lookup('\u202etok1')),
  getId('tok\u200b1', lookup('tok\u200b1')),
  getId('a?b#c', lookup('a?b#c')),
  getId(' ', lookup(' ')),
  getId('x'.repeat(256), lookup('x'.repeat(256))),
  getId('x'.repeat(257), refused(INVALID, "'id' must be at most 256 characters")),
  getId('y'.repeat(30_000), refused(INVALID, "'id' must be at most 256 characters")),
  tool(
    'delete id "a/b"',
    'delete-one-time-token-id',
    { id: 'a/b' },
    upstream(404, 'entity.not_found', { method: 'DELETE', id: 'a/b' }),
  ),
  tool(
    'status: id "../x", status not in enum',
    'update-one-time-token-status',
    { id: '../x', body: { status: 'deleted' } },
    guard('status', { method: 'PUT', id: '../x', tail: 'status', body: j({ status: 'deleted' }) }),
  ),
  tool(
    'list: email with CRLF',
    'get-one-time-tokens',
    { email: 'a\r\nX-Injected: 1' },
    guard('email', { method: 'GET', query: 'email=a%0D%0AX-Injected%3A+1' }),
  ),
  tool(
    'list: status not in enum',
    'get-one-time-tokens',
    { status: 'deleted' },
    guard('status', { method: 'GET', query: 'status=deleted' }),
  ),
  tool('list: page -1', 'get-one-time-tokens', { page: -1 }, guard('pagination', { method: 'GET', query: 'page=-1' })),
  ...[{ email: 5 }, { email: 'a@b.co', expiresIn: '60' }, { email: 'a@b.co', context: 'x' }, {}].map((body) =>
    tool(
      `create: body ${j(body)}`,
      'create-one-time-token',
      { body },
      guard(Object.keys(body).at(-1) ?? 'email', { method: 'POST', body: j(body) }),
    ),
  ),
  tool(
    'verify: body without token',
    'verify-one-time-token',
    { body: { email: 'a@b.co' } },
    guard('token', { method: 'POST', tail: 'verify', body: j({ email: 'a@b.co' }) }),
  ),
];
