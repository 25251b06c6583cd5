// The MCP server behind both transports: tools/list and tools/call answered from the binding table.
// The tool list and the name→binding map are built once; the per-request factory (the SDK makes one
// server per HTTP request, one per stdio connection) only wires two handlers over them, so its cost
// does not grow with the number of tools (reference/mcp-sdk-v2.md §2.3, §8).

import { randomUUID } from 'node:crypto';
import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type McpServerFactory,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { toolTitle } from '../../binding/describe.js';
import type { McpPromptItem, McpResourceItem } from '../../binding/mcp-items.js';
import type { Binding, BindingTable, McpExposure } from '../../binding/table.js';
import { isRuntimeError } from '../../errors.js';
import type { Invoke, InvokeContext } from '../../invoke.js';
import type { Secrets } from '../../secrets.js';
import { inboundTrace } from '../../telemetry/inbound.js';
import { instructionsFor } from './instructions.js';
import { prepareItems, registerItems } from './items.js';
import { ParamCheckingServer } from './params.js';
import { toolOutput, type ToolOutput } from './output.js';
import { toToolResult, type Settled } from './result.js';

/** What the transport knows about the request a call rides on (HTTP: the fastify request). */
export interface CallScope {
  readonly requestId: string;
  readonly log: InvokeContext['log'];
  /** Aborted when the HTTP connection closes before the answer (2026-07-28 cancellation). */
  readonly signal?: AbortSignal;
  /** Told which binding served the request and how it ended, for the access log line. */
  settled?(binding: Binding, upstreamStatus: number | undefined, errorCode: string | undefined): void;
}

export interface McpServerOptions {
  readonly bindings: readonly Binding[];
  readonly invoke: Invoke;
  readonly secrets: Secrets;
  readonly log: InvokeContext['log'];
  readonly serverName: string;
  /** The runtime's version (src/version.ts); the capability's label and version are in title and instructions. */
  readonly serverVersion: string;
  /** Human-readable name shown by clients (2025-06-18+): the capability's label. */
  readonly serverTitle?: string;
  readonly instructions?: string;
  /** The scope of the current call, when the transport has one (HTTP); stdio has none. */
  readonly scope?: () => CallScope | undefined;
  /** This adapter's resources and prompts, and the folder their files are in (items.ts). */
  readonly resources?: readonly McpResourceItem[];
  readonly prompts?: readonly McpPromptItem[];
  readonly baseDir?: string;
}

/** What both transports (HTTP and stdio) hand the factory, taken from the adapter's options. */
export function serverOptionsFrom(
  o: Omit<McpServerOptions, 'serverTitle' | 'scope'> & { readonly table: BindingTable },
): McpServerOptions {
  return {
    bindings: o.bindings,
    invoke: o.invoke,
    secrets: o.secrets,
    log: o.log,
    serverName: o.serverName,
    serverVersion: o.serverVersion,
    serverTitle: o.table.capability.label,
    // The adapter's description leads; the tool index and the capability's label and version follow.
    instructions: instructionsFor(o.table, o.bindings, o.instructions),
    ...(o.resources ? { resources: o.resources } : {}),
    ...(o.prompts ? { prompts: o.prompts } : {}),
    ...(o.baseDir ? { baseDir: o.baseDir } : {}),
  };
}

/** Tool name → binding: the one index both the server and the HTTP access line resolve calls with. */
export function toolsByName(bindings: readonly Binding[]): ReadonlyMap<string, Binding> {
  return new Map(bindings.map((b) => [(b.expose as McpExposure).name, b]));
}

// The list changes only at a reload (docs/reload.md), so clients may cache it, for at most five minutes after
// one; 'private' because an adapter behind inbound auth must not have it handed out by shared caches.
const LIST_CACHE = { ttlMs: 300_000, cacheScope: 'private' } as const;

/** Builds the tool list and index once and returns the per-request (per-connection) server factory. */
export function createServerFactory(options: McpServerOptions): McpServerFactory {
  const build = serverBuilder(options);
  return () => build();
}

/**
 * The same, as a plain builder: for the long-lived servers that answer tools/call (call-mux.ts), which
 * name the protocol versions a server serves (the SDK's HTTP entry adds the modern one itself).
 */
export function serverBuilder(options: McpServerOptions): (versions?: readonly string[]) => ParamCheckingServer {
  const outputs = new Map(options.bindings.map((b) => [b, toolOutput(b)] as const));
  const tools = options.bindings.map((b) => toTool(b, outputs.get(b)));
  const byName = toolsByName(options.bindings);
  const info = {
    name: options.serverName,
    version: options.serverVersion,
    ...(options.serverTitle ? { title: options.serverTitle } : {}),
  };
  const items = prepareItems(options, LIST_CACHE);
  const serverOptions = {
    capabilities: { tools: { listChanged: false }, ...items.capabilities },
    ...(options.instructions ? { instructions: options.instructions } : {}),
    cacheHints: { 'tools/list': LIST_CACHE, 'server/discover': LIST_CACHE, ...items.cacheHints },
  };

  return (versions) => {
    // The low-level Server is marked deprecated in favour of McpServer, whose registerTool costs
    // O(tools) per request; the wire output is the same (mcp-sdk-v2.md §2.3).
    const server = new ParamCheckingServer(
      info,
      versions ? { ...serverOptions, supportedProtocolVersions: [...versions] } : serverOptions,
    );
    server.setRequestHandler('tools/list', () => ({ tools }));
    server.setRequestHandler('tools/call', async (req, ctx) => {
      const binding = byName.get(req.params.name);
      if (!binding) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${req.params.name}`);
      const output = outputs.get(binding);
      const result = await callTool(binding, req.params.arguments ?? {}, ctx, options, output);
      // Era projection: 2025-era clients need an object, so arrays and scalars become {result: value}
      // (a declared outputSchema has an object root already, so its results pass unchanged in both eras).
      return server.projectCallToolResult(result, output?.schema);
    });
    registerItems(server, items, () => options.scope?.(), options.log);
    return server;
  };
}

function toTool(b: Binding, output: ToolOutput | undefined): Tool {
  const expose = b.expose as McpExposure;
  const description = expose.description ?? b.description;
  const title = toolTitle(b);
  return {
    name: expose.name,
    title,
    ...(description ? { description } : {}),
    // The table's own schema object: the one invoke validates with (no conversion, no copy).
    inputSchema: b.input.schema as Tool['inputSchema'],
    ...(output ? { outputSchema: output.schema as Tool['outputSchema'] } : {}),
    annotations: { ...expose.annotations, ...(expose.annotations.title ? { title } : {}) },
  };
}

async function callTool(
  binding: Binding,
  args: Record<string, unknown>,
  ctx: ServerContext,
  options: McpServerOptions,
  output?: ToolOutput,
): Promise<CallToolResult> {
  const scope = options.scope?.();
  const log = scope?.log ?? options.log;
  // 2025: notifications/cancelled aborts ctx.mcpReq.signal; 2026: the closed HTTP response aborts ours.
  const signal = scope?.signal ? AbortSignal.any([ctx.mcpReq.signal, scope.signal]) : ctx.mcpReq.signal;
  const started = performance.now();
  let settled: Settled;
  try {
    const outcome = await options.invoke(binding, args, {
      signal,
      log,
      requestId: scope?.requestId ?? randomUUID(),
      ...inboundTrace(ctx.mcpReq._meta),
    });
    settled = { ok: true, outcome };
  } catch (error) {
    settled = { ok: false, error };
  }
  const status = settled.ok ? settled.outcome.status : undefined;
  const code = settled.ok ? undefined : errorCode(settled.error);
  scope?.settled?.(binding, settled.ok ? settled.outcome.upstreamStatus : undefined, code);
  const line = {
    binding: binding.id,
    status,
    upstreamStatus: settled.ok ? settled.outcome.upstreamStatus : undefined,
    error: code,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
  if (code === 'NAF_ERR_INTERNAL') log.error({ ...line, err: describe(settled, options.secrets) }, 'tools/call failed');
  // Over HTTP the access line already says all this (one line per request); on stdio this is the line.
  else if (scope) log.debug(line, 'tools/call');
  else log.info(line, 'tools/call');
  return toToolResult(settled, options.secrets, output && { shape: output, tool: binding.expose as McpExposure });
}

function errorCode(err: unknown): string {
  return isRuntimeError(err) ? err.code : 'NAF_ERR_INTERNAL';
}

function describe(settled: Settled, secrets: Secrets): string | undefined {
  if (settled.ok) return undefined;
  const e = settled.error as { message?: unknown; stack?: unknown };
  return secrets.redact(String(e?.stack ?? e?.message ?? e));
}
