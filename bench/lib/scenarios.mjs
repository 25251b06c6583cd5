// What is sent: the four REST routes against the three targets, the MCP tools on each server, the raw
// MCP POST bodies, and the check that each answer is the real one (a 200 carrying a JSON-RPC error, or a
// proxy that reached the wrong path, must not count as throughput).

import { API_KEY } from './servers.mjs';

const TOKEN_ID = 'tok000000000000000007';
const CREATE_BODY = JSON.stringify({
  email: 'ada@example.com',
  expiresIn: 600,
  context: { interactionEvent: 'ForgotPassword' },
});

/** REST routes: path under /api (the upstream's), method, body, and the substring a right answer has. */
export const ROUTES = [
  { name: 'get', method: 'GET', path: `/api/one-time-tokens/${TOKEN_ID}`, status: 200, expect: TOKEN_ID },
  { name: 'list20', method: 'GET', path: '/api/one-time-tokens', status: 200, expect: 'tok000000000000000019' },
  {
    name: 'list100',
    method: 'GET',
    path: '/api/one-time-tokens?page_size=100',
    status: 200,
    expect: 'tok000000000000000099',
  },
  { name: 'create', method: 'POST', path: '/api/one-time-tokens', body: CREATE_BODY, status: 201, expect: TOKEN_ID },
];

/** The three REST targets: (a) the upstream alone, (b) reply-from, (c) ours (the latter two under /v1). */
export function restTargets(servers) {
  return [
    {
      name: 'upstream',
      pid: servers.upstream.pid,
      url: (route) => `${servers.upstream.origin}${route.path}`,
      // The client sends the token the proxies would add, so every target does the same work.
      headers: { authorization: `Bearer ${API_KEY}` },
    },
    {
      name: 'reply-from',
      pid: servers.replyFrom.pid,
      url: (route) => `${servers.replyFrom.origin}/v1${route.path}`,
      headers: {},
    },
    { name: 'ours', pid: servers.ours.pid, url: (route) => `${servers.ours.rest}/v1${route.path}`, headers: {} },
  ];
}

export function requestOf(target, route) {
  const headers = { ...target.headers, ...(route.body ? { 'content-type': 'application/json' } : {}) };
  return { url: target.url(route), method: route.method, headers, body: route.body };
}

/** MCP tools per server, by the same two operations (tool names differ: the peer derives its own). */
export const MCP_TOOLS = [
  {
    name: 'get',
    ours: 'get-one-time-token-id',
    peer: 'get-one-time-token-by-id',
    args: { id: TOKEN_ID },
    expect: TOKEN_ID,
  },
  { name: 'list', ours: 'get-one-time-tokens', peer: 'get-one-time-tokens', args: {}, expect: 'tok000000000000000019' },
];

/** A tools/call result is right when its text content holds the expected token id. */
export function resultHas(expect) {
  return (r) =>
    Array.isArray(r?.content) && r.content.some((c) => typeof c.text === 'string' && c.text.includes(expect));
}

const ENVELOPE_2026 = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench-raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/**
 * A raw tools/call POST in either protocol generation, as a stateless client sends it: 2025-11-25 after
 * initialize (which a stateless server does not need), 2026-07-28 with its `_meta` envelope and the
 * Mcp-Method / Mcp-Name headers that must agree with the body.
 */
export function rawCall(version, tool) {
  return rawRpc(version, 'tools/call', { name: tool.ours, arguments: tool.args }, tool.ours);
}

/** One raw JSON-RPC POST; in 2026-07-28 with the `_meta` envelope and the Mcp-Method (and Mcp-Name) headers. */
function rawRpc(version, method, params, name) {
  const modern = version === '2026-07-28';
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': version,
      ...(modern ? { 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: modern ? { ...params, _meta: ENVELOPE_2026 } : params,
    }),
  };
}

/** The JSON-RPC message in a raw answer: the body itself, or the last SSE `data:` line. */
export function rpcMessage(text) {
  const events = [...text.matchAll(/^data: (.*)$/gm)].map((m) => m[1]);
  try {
    return JSON.parse(events.length ? events[events.length - 1] : text);
  } catch {
    return undefined;
  }
}

/** A raw tools/list POST in either generation (2026-07-28: the envelope, and Mcp-Method without Mcp-Name). */
export function rawList(version) {
  return rawRpc(version, 'tools/list', {});
}
