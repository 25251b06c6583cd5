// Both MCP SDK client generations on one endpoint, with optional request headers (inbound auth): the v2
// client pinned to 2026-07-28 and the 1.x client on 2025-11-25, as the conformance suite uses them.

import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpSide, ToolResult } from '../conformance/sides.js';

export interface ListedTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: { properties?: Record<string, { type?: string }>; required?: string[] };
  readonly annotations?: Record<string, unknown>;
}

export interface McpClient extends McpSide {
  list(): Promise<ListedTool[]>;
}

export async function connectBoth(url: string, headers: Record<string, string> = {}): Promise<McpClient[]> {
  const requestInit = { headers };
  const v2 = new ClientV2(
    { name: 'tutorial-v2', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await v2.connect(new TransportV2(new URL(url), { requestInit }));
  const v1 = new ClientV1({ name: 'tutorial-v1', version: '1' });
  await v1.connect(new TransportV1(new URL(url), { requestInit }));
  return [
    {
      era: 'modern',
      label: `MCP v2 client (${v2.getNegotiatedProtocolVersion()})`,
      list: async () => (await v2.listTools()).tools as ListedTool[],
      call: async ({ tool, args }) => (await v2.callTool({ name: tool, arguments: { ...args } })) as ToolResult,
      close: () => v2.close(),
    },
    {
      era: 'legacy',
      label: 'MCP 1.x client (2025-11-25)',
      list: async () => (await v1.listTools()).tools as ListedTool[],
      call: async ({ tool, args }) => (await v1.callTool({ name: tool, arguments: { ...args } })) as ToolResult,
      close: () => v1.close(),
    },
  ];
}
