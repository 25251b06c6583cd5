// The HTTP edges of /mcp, on the wire: both eras, header rules, guards, methods, bodies, errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundAuthFor } from '../../src/expose/inbound-auth.js';
import { serveMcp, startStack, type Served } from './harness.js';
import { legacy, LEGACY, modern, MODERN, post, rawHost, rpcError, rpcResult } from './wire.js';

let served: Served & { stop(): Promise<void> };
let url: string;
beforeAll(async () => {
  served = await serveMcp(await startStack());
  url = served.url;
});
afterAll(async () => {
  await served?.stop();
  await served?.close();
});

describe('2026-07-28', () => {
  it('answers server/discover with JSON, our identity, instructions and fixed tool capability', async () => {
    const r = await modern(url, 'server/discover');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('mcp-session-id')).toBeNull();
    const result = rpcResult(r);
    expect(result).toMatchObject({
      supportedVersions: [MODERN],
      capabilities: { tools: { listChanged: false } },
      instructions: expect.stringContaining('MCP adapter for Logto API references'),
      ttlMs: 300_000,
      cacheScope: 'private',
    });
    expect(result['_meta']).toMatchObject({
      'io.modelcontextprotocol/serverInfo': { name: 'logto-one-time-tokens-mcp', version: '0.1.0' },
    });
  });

  it('answers tools/list and tools/call as single JSON bodies, the list cacheable', async () => {
    const list = await modern(url, 'tools/list');
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    expect(rpcResult(list)).toMatchObject({ ttlMs: 300_000, cacheScope: 'private' });
    expect((rpcResult(list)['tools'] as unknown[]).length).toBe(6);
    const call = await modern(url, 'tools/call', { name: 'get-one-time-tokens', arguments: {} });
    expect(call.headers.get('content-type')).toMatch(/^application\/json/);
    expect(rpcResult(call)).toMatchObject({ structuredContent: [], content: [{ type: 'text', text: '[]' }] });
  });

  it('refuses a Mcp-Method header that disagrees with the body (400, -32020)', async () => {
    const r = await modern(url, 'tools/list', {}, { 'mcp-method': 'tools/call' });
    expect(r.status).toBe(400);
    expect(rpcError(r)?.code).toBe(-32020);
    const noName = await post(
      url,
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', _meta: {} } },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' },
    );
    expect(noName.status).toBe(400);
  });

  it('refuses an unsupported protocol version (400) and lists the supported ones', async () => {
    const envelope = {
      'io.modelcontextprotocol/protocolVersion': '2027-01-01',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const r = await post(
      url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope } },
      { 'mcp-protocol-version': '2027-01-01', 'mcp-method': 'tools/list' },
    );
    expect(r.status).toBe(400);
    expect(rpcError(r)).toMatchObject({ code: -32022, data: { supported: [MODERN] } });
    const old = await post(
      url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-protocol-version': '1999-01-01' },
    );
    expect(old.status).toBe(400);
    expect(rpcError(old)?.message).toContain(LEGACY);
  });

  it('answers an unknown tool with a protocol error (-32602)', async () => {
    const r = await modern(url, 'tools/call', { name: 'nope', arguments: {} });
    expect(rpcError(r)).toMatchObject({ code: -32602, message: expect.stringContaining('nope') });
  });

  it('answers bad arguments with a tool error naming them, with the issues as structured content', async () => {
    const r = await modern(url, 'tools/call', { name: 'update-one-time-token-status', arguments: { id: '' } });
    const result = rpcResult(r);
    expect(result).toMatchObject({
      isError: true,
      structuredContent: { error: 'NAF_ERR_INVALID_ARGUMENT', kind: 'input' },
    });
    const text = (result['content'] as Array<{ text: string }>)[0]?.text;
    expect(text).toBe("Invalid arguments: 'body' is required; 'id' must not be empty");
  });
});

describe('2025-11-25 (stateless fallback)', () => {
  it('initializes without a session and answers over SSE', async () => {
    const r = await post(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(r.headers.get('mcp-session-id')).toBeNull();
    expect(rpcResult(r)).toMatchObject({
      protocolVersion: LEGACY,
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: 'logto-one-time-tokens-mcp' },
    });
  });

  it('wraps an array result as {result} and answers calls without a prior initialize', async () => {
    const r = await legacy(url, 'tools/call', { name: 'get-one-time-tokens', arguments: {} });
    expect(rpcResult(r)).toMatchObject({ structuredContent: { result: [] } });
  });
});

describe('HTTP rules', () => {
  it.each(['GET', 'DELETE', 'PUT'])('%s /mcp → 405 with Allow: POST', async (method) => {
    const res = await fetch(url, { method, headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
  });

  it('answers malformed JSON with a JSON-RPC parse error (-32700, HTTP 400)', async () => {
    for (const body of ['{"jsonrpc":"2.0",', '']) {
      const r = await post(url, body);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 }, id: null });
      expect(rpcError(r)?.message).toMatch(/^Parse error: /);
    }
  });

  it('answers a body over the limit with 413 and a JSON-RPC error', async () => {
    const r = await post(url, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(70_000) } });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
  });

  it('answers a non-JSON content type with 415', async () => {
    const r = await post(url, 'hello', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.json).toMatchObject({ error: { code: -32000 } });
  });

  it('refuses a foreign Origin or Host with 403; loopback and origin-less requests pass', async () => {
    const badOrigin = await modern(url, 'tools/list', {}, { origin: 'https://evil.example' });
    expect(badOrigin.status).toBe(403);
    expect(rpcError(badOrigin)?.message).toBe('Invalid Origin: evil.example');
    const goodOrigin = await modern(url, 'tools/list', {}, { origin: 'http://localhost:5173' });
    expect(goodOrigin.status).toBe(200);
    const badHost = await rawHost(url, 'evil.example');
    expect(badHost.status).toBe(403);
    expect(await badHost.json()).toMatchObject({ error: { message: 'Invalid Host: evil.example' } });
  });

  it('leaves the health endpoints unguarded', async () => {
    const live = await rawHost(`${served.origin}/health/live`, 'evil.example', 'GET');
    expect(live.status).toBe(200);
  });
});

describe('allow-lists for deployments behind a proxy', () => {
  let proxied: Served & { stop(): Promise<void> };
  beforeAll(async () => {
    proxied = await serveMcp(served, {
      allowedHosts: ['MCP.example.com:443'],
      allowedOrigins: ['https://app.example.com'],
    });
  });
  afterAll(async () => proxied?.stop());

  it('admits the listed host and origin and keeps the loopback names', async () => {
    expect((await rawHost(proxied.url, 'mcp.example.com', 'POST', { origin: 'https://app.example.com' })).status).toBe(
      200,
    );
    expect((await rawHost(proxied.url, 'localhost:9090', 'POST', { origin: 'http://127.0.0.1:3000' })).status).toBe(
      200,
    );
    expect((await rawHost(proxied.url, 'other.example.com')).status).toBe(403);
    expect((await rawHost(proxied.url, 'mcp.example.com', 'POST', { origin: 'https://evil.example' })).status).toBe(
      403,
    );
  });
});

describe('inbound authentication', () => {
  let guarded: Served & { stop(): Promise<void> };
  beforeAll(async () => {
    const auth = inboundAuthFor({ type: 'bearer', token: 'inbound-token-42' }, {}, 'mcp');
    guarded = await serveMcp(served, auth ? { auth } : {});
  });
  afterAll(async () => guarded?.stop());

  it('answers 401 with a challenge and a JSON-RPC error without the token, and serves with it', async () => {
    const denied = await modern(guarded.url, 'tools/list');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(denied.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 }, id: null });
    const allowed = await modern(guarded.url, 'tools/list', {}, { authorization: 'Bearer inbound-token-42' });
    expect(allowed.status).toBe(200);
    expect((await fetch(`${guarded.origin}/health/ready`)).status).toBe(200);
  });
});
