// tools/call against a recording upstream: cancellation, failures, redaction, no leaks.

import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { API_KEY, logLines, serveMcp, startStack, type Served } from './harness.js';
import { modern, rpcResult } from './wire.js';

let up: RecordingUpstream;
let served: Served & { stop(): Promise<void> };
beforeAll(async () => {
  up = await startRecordingUpstream();
  served = await serveMcp(await startStack(up.url));
});
afterAll(async () => {
  await served?.stop();
  await served?.close();
  await up?.close();
});
beforeEach(() => up.reset());

async function call(name: string, args: Record<string, unknown>) {
  const result = rpcResult(await modern(served.url, 'tools/call', { name, arguments: args }));
  const text = (result['content'] as Array<{ text: string }>).map((c) => c.text).join('\n');
  return { result, text };
}

async function waitFor(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('cancellation', () => {
  it('2026-07-28: closing the HTTP request aborts the upstream call', async () => {
    up.script({ delayMs: 5_000, body: {} });
    const controller = new AbortController();
    const pending = modern(
      served.url,
      'tools/call',
      { name: 'get-one-time-token-id', arguments: { id: 'a' } },
      {},
      controller.signal,
    );
    await up.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => up.requests[0]?.aborted === true);
    await waitFor(() => logLines(served).some((l) => l['msg'] === 'tools/call' && l['error'] === 'NAF_ERR_CANCELLED'));
  });

  // A stateless 2025 server cannot act on notifications/cancelled: it arrives in its own POST, at a
  // fresh instance that never saw the call. Closing the connection that carries the call does cancel.
  it('2025-11-25 over HTTP: the client closing its connection aborts the upstream call', async () => {
    const client = new ClientV1({ name: 'cancel', version: '1' });
    await client.connect(new TransportV1(new URL(served.url)));
    up.script({ delayMs: 5_000, body: {} });
    const controller = new AbortController();
    const pending = client.callTool({ name: 'get-one-time-token-id', arguments: { id: 'b' } }, undefined, {
      signal: controller.signal,
    });
    await up.waitForRequests(1);
    controller.abort('user cancelled');
    await expect(pending).rejects.toThrow();
    await client.close();
    await waitFor(() => up.requests[0]?.aborted === true);
  });
});

describe('failures', () => {
  it('names the status and the whole body when the upstream error has no code or message', async () => {
    up.script({ status: 503, body: { detail: 'maintenance' } });
    const { result, text } = await call('get-one-time-token-id', { id: 'x' });
    expect(result).toMatchObject({
      isError: true,
      structuredContent: { status: 503, upstream: { detail: 'maintenance' } },
    });
    expect(text).toBe('Upstream returned HTTP 503\n{"detail":"maintenance"}');
  });

  it('reports an upstream answer that is not JSON with its error code', async () => {
    up.script({ status: 200, body: 'not json' });
    const { result, text } = await call('get-one-time-token-id', { id: 'x' });
    expect(result).toMatchObject({ isError: true, structuredContent: { error: 'NAF_ERR_UPSTREAM_INVALID_RESPONSE' } });
    expect(text).toMatch(/not valid JSON \(NAF_ERR_UPSTREAM_INVALID_RESPONSE\)$/);
  });

  it('redacts secrets the upstream echoes back', async () => {
    up.script({ status: 200, body: { leaked: `Bearer ${API_KEY}` } });
    const { result, text } = await call('get-one-time-token-id', { id: 'x' });
    expect(text).not.toContain(API_KEY);
    expect(result['structuredContent']).toEqual({ leaked: 'Bearer [REDACTED]' });
    expect(up.requests[0]?.headers['authorization']).toBe(`Bearer ${API_KEY}`);
  });

  it('sends the exact upstream request for a tool call', async () => {
    up.script({ status: 200, body: { id: 'a b', status: 'revoked' } });
    await call('update-one-time-token-status', { id: 'a b', body: { status: 'revoked' } });
    expect(up.requests[0]).toMatchObject({
      method: 'PUT',
      path: '/api/one-time-tokens/a%20b/status',
      json: { status: 'revoked' },
    });
  });
});

describe('unreachable upstream and internal errors', () => {
  let down: Served & { stop(): Promise<void> };
  let broken: Served & { stop(): Promise<void> };
  beforeAll(async () => {
    down = await serveMcp(await startStack('http://127.0.0.1:1'));
    broken = await serveMcp(served, {
      invoke: async () => {
        throw new TypeError(`boom with ${API_KEY}`);
      },
    });
  });
  afterAll(async () => {
    await down?.stop();
    await down?.close();
    await broken?.stop();
  });

  it('reports an unreachable upstream as a tool error with its code', async () => {
    const r = rpcResult(await modern(down.url, 'tools/call', { name: 'get-one-time-tokens', arguments: {} }));
    expect(r).toMatchObject({ isError: true, structuredContent: { error: 'NAF_ERR_UPSTREAM_UNREACHABLE' } });
  });

  it('turns an unexpected exception into a generic tool error, logged but never leaked', async () => {
    const before = broken.logs.length;
    const r = await modern(broken.url, 'tools/call', { name: 'get-one-time-tokens', arguments: {} });
    expect(r.status).toBe(200);
    expect(rpcResult(r)).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'Internal error while calling the tool (NAF_ERR_INTERNAL)' }],
    });
    expect(r.text).not.toContain('boom');
    const logged = broken.logs.slice(before).join('\n');
    expect(logged).toContain('tools/call failed');
    expect(logged).toContain('boom with [REDACTED]');
  });
});
