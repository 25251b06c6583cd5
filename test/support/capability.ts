// Serves any capability file in-process on ephemeral ports (each adapter's port forced to 0) and talks to it
// with real clients: fetch for REST, both MCP SDK generations for tools.

import { connectMcp, type McpSide, type ToolResult } from '../conformance/sides.js';
import { startTestRuntime, type TestRuntime } from './runtime.js';
import type { RuntimeOptions } from '../../src/runtime.js';

export interface Served {
  readonly runtime: TestRuntime;
  /** REST adapter origin by namespace. */
  url(namespace: string): string;
  /** Calls a tool through both MCP client generations; resolves to both results (v2 first). */
  tool(namespace: string, name: string, args?: Record<string, unknown>): Promise<ToolResult[]>;
  close(): Promise<void>;
}

export async function serveCapability(file: string, overrides: Partial<RuntimeOptions> = {}): Promise<Served> {
  const runtime = await startTestRuntime({ file, host: '127.0.0.1', ...overrides });
  const clients = new Map<string, McpSide[]>();
  const sides = async (ns: string) => {
    let s = clients.get(ns);
    if (!s) {
      s = await connectMcp(`${runtime.urls[ns] ?? ''}/mcp`);
      clients.set(ns, s);
    }
    return s;
  };
  return {
    runtime,
    url: (ns) => runtime.urls[ns] ?? '',
    tool: async (ns, name, args = {}) => Promise.all((await sides(ns)).map((s) => s.call({ tool: name, args }))),
    close: async () => {
      await Promise.all([...clients.values()].flat().map((s) => s.close()));
      await runtime.close();
    },
  };
}

/** The JSON a tool result carries in its text block. */
export function dataOf(result: ToolResult): unknown {
  const text = result.content.map((c) => c.text ?? '').join('\n');
  return JSON.parse(text) as unknown;
}
