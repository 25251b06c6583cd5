// Two real MCP clients against the adapter, on the seed table and the Logto sandbox: the v2 client
// pinned to 2026-07-28 and the 1.x client (2025-11-25). Both must see the same tools and results.

import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpExposure } from '../../src/binding/table.js';
import { toolTitle } from '../../src/binding/describe.js';
import { logLines, serveMcp, startStack, type Served } from './harness.js';
import { SEED_TOOLS } from '../support/seed.js';

interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: unknown;
}
interface Facade {
  era: string | undefined;
  listTools(): Promise<Array<Record<string, unknown>>>;
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

async function v2(url: string): Promise<Facade> {
  const client = new ClientV2(
    { name: 'test-v2', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new TransportV2(new URL(url)));
  return {
    era: `${client.getProtocolEra()} ${client.getNegotiatedProtocolVersion()}`,
    listTools: async () => (await client.listTools()).tools as Array<Record<string, unknown>>,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult,
    close: () => client.close(),
  };
}

async function v1(url: string): Promise<Facade> {
  const client = new ClientV1({ name: 'test-v1', version: '1' });
  const transport = new TransportV1(new URL(url));
  await client.connect(transport);
  return {
    era: `legacy ${transport.protocolVersion}`,
    listTools: async () => (await client.listTools()).tools as Array<Record<string, unknown>>,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult,
    close: () => client.close(),
  };
}

let served: Served & { stop(): Promise<void> };
beforeAll(async () => {
  served = await serveMcp(await startStack());
});
afterAll(async () => {
  await served?.stop();
  await served?.close();
});

const text = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');

describe.each([
  ['v2 client pinned to 2026-07-28', v2, 'modern 2026-07-28', (v: unknown) => v],
  ['1.x client (2025-11-25)', v1, 'legacy 2025-11-25', (v: unknown) => ({ result: v })],
])('%s', (_name, connect, era, wrapList) => {
  let client: Facade;
  beforeAll(async () => {
    client = await connect(served.url);
  });
  afterAll(async () => client?.close());

  it('negotiates the expected protocol', () => {
    expect(client.era).toBe(era);
  });

  it('lists the six tools in table order with the table schemas and annotations', async () => {
    const tools = await client.listTools();
    expect(tools).toEqual(
      served.bindings.map((b) => {
        const e = b.expose as McpExposure;
        // Titles from the descriptions, as the file gives no labels (binding/describe.ts).
        return {
          name: e.name,
          title: toolTitle(b),
          description: e.description,
          inputSchema: b.input.schema,
          annotations: { ...e.annotations, title: toolTitle(b) },
        };
      }),
    );
    expect(tools.map((t) => t['name'])).toEqual(SEED_TOOLS);
  });

  it('walks create → verify → verify again → get → update status → delete → get', async () => {
    const email = `walk-${era.split(' ')[0]}@example.com`;
    const created = await client.call('create-one-time-token', { body: { email } });
    expect(created.isError).toBeFalsy();
    const token = created.structuredContent as { id: string; token: string; status: string };
    expect(token).toMatchObject({ email, status: 'active' });
    expect(JSON.parse(text(created))).toEqual(token);

    const verified = await client.call('verify-one-time-token', { body: { token: token.token, email } });
    expect(verified.isError).toBeFalsy();
    expect(verified.structuredContent).toMatchObject({ id: token.id, status: 'consumed' });

    const again = await client.call('verify-one-time-token', { body: { token: token.token, email } });
    expect(again.isError).toBe(true);
    expect(text(again)).toContain(
      'Upstream returned HTTP 400: one_time_token.token_consumed — The token has been consumed.',
    );
    expect(again.structuredContent).toMatchObject({ status: 400, code: 'one_time_token.token_consumed' });

    const got = await client.call('get-one-time-token-id', { id: token.id });
    expect(got.structuredContent).toMatchObject({ id: token.id, status: 'consumed' });

    const updated = await client.call('update-one-time-token-status', { id: token.id, body: { status: 'revoked' } });
    expect(updated.isError).toBeFalsy();
    expect(updated.structuredContent).toMatchObject({ id: token.id, status: 'revoked' });

    const deleted = await client.call('delete-one-time-token-id', { id: token.id });
    expect(deleted.isError).toBeFalsy();
    expect(deleted.structuredContent).toBeUndefined();
    expect(text(deleted)).toBe('OK (HTTP 204, no content)');

    const gone = await client.call('get-one-time-token-id', { id: token.id });
    expect(gone.isError).toBe(true);
    expect(text(gone)).toMatch(/^Upstream returned HTTP 404: entity\.not_exists_with_id — /);
  });

  it('returns a list (a JSON array) as structured content the era allows', async () => {
    await client.call('create-one-time-token', { body: { email: 'list@example.com' } });
    const listed = await client.call('get-one-time-tokens', { email: 'list@example.com' });
    expect(listed.isError).toBeFalsy();
    const items = JSON.parse(text(listed)) as Array<{ email: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((t) => t.email === 'list@example.com')).toBe(true);
    expect(listed.structuredContent).toEqual(wrapList(items));
  });

  it('reports bad arguments as a tool error naming the argument, before any upstream call', async () => {
    const before = served.sandbox?.stats().requests;
    const missing = await client.call('get-one-time-token-id', {});
    expect(missing).toMatchObject({ isError: true });
    expect(text(missing)).toBe("Invalid arguments: 'id' is required");
    const wrong = await client.call('get-one-time-tokens', { page: 'two' });
    expect(wrong.isError).toBe(true);
    expect(text(wrong)).toContain("'page'");
    expect(served.sandbox?.stats().requests).toBe(before);
  });

  it('rejects an unknown tool as a protocol error (-32602)', async () => {
    await expect(client.call('no-such-tool', {})).rejects.toMatchObject({ code: -32602 });
  });
});

describe('logging', () => {
  it('logs one line per tools/call and fills the access log with binding and upstream status', () => {
    const lines = logLines(served);
    const calls = lines.filter((l) => l['msg'] === 'tools/call');
    expect(calls.length).toBeGreaterThan(10);
    expect(calls[0]).toMatchObject({ binding: expect.stringMatching(/^logto-one-time-tokens-mcp\./) });
    const access = lines.filter((l) => l['msg'] === 'request' && l['binding']);
    expect(access.some((l) => l['upstreamStatus'] === 201 && l['adapter'] === 'mcp')).toBe(true);
    expect(access.some((l) => l['error'] === 'NAF_ERR_MISSING_ARGUMENT')).toBe(true);
    expect(served.logs.join('\n')).not.toContain('sandbox-api-key');
  });
});
