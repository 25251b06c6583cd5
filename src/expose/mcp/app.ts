// The MCP adapter over Streamable HTTP: one stateless POST endpoint, /mcp, serving both protocol
// generations (2026-07-28 with server/discover; 2025-11-25 and older with initialize) from the same
// server factory, plus the shared health endpoints. Any replica can answer any request.

import { AsyncLocalStorage } from 'node:async_hooks';
import { toNodeHandler, type NodeIncomingMessageLike } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { McpPromptItem, McpResourceItem } from '../../binding/mcp-items.js';
import type { Binding, BindingTable } from '../../binding/table.js';
import { httpStatusOf, RuntimeError } from '../../errors.js';
import type { Invoke } from '../../invoke.js';
import type { Secrets } from '../../secrets.js';
import { createHttpApp, type FastifyInstance, type WireError } from '../http-app.js';
import { fromFastifyError } from '../http-errors.js';
import type { InboundAuth } from '../inbound-auth.js';
import { requireScopes, toolCallsIn } from '../auth/hook.js';
import { MAX_JSON_DEPTH } from '../../json-strict.js';
import { hostAndOriginGuards, messageProblem } from './guards.js';
import { checkBatch, type McpCallers } from '../../limits/adapters.js';
import { createCallMux } from './call-mux.js';
import { createServerFactory, serverBuilder, serverOptionsFrom, toolsByName, type CallScope } from './server.js';

export interface McpAppOptions {
  readonly table: BindingTable;
  /** This adapter's MCP bindings, in the table's order (the tools/list order). */
  readonly bindings: readonly Binding[];
  readonly invoke: Invoke;
  readonly secrets: Secrets;
  readonly log: Logger;
  readonly bodyLimit: number;
  readonly isReady: () => boolean;
  /** Host names (besides loopback) this endpoint answers to, e.g. the public name a proxy forwards. */
  readonly allowedHosts?: readonly string[];
  /** Browser origins (besides loopback) allowed to call it. */
  readonly allowedOrigins?: readonly string[];
  /** Sent to clients as the server's `instructions` (the adapter's description). */
  readonly instructions?: string;
  readonly serverName: string;
  readonly serverVersion: string;
  /** Inbound authentication; health endpoints stay open. */
  readonly auth?: InboundAuth;
  /** Browser origins allowed by CORS; none: CORS is off. */
  readonly cors?: readonly string[];
  /** This adapter's resources and prompts (binding/mcp-items.ts), and the capability's folder their files are in. */
  readonly resources?: readonly McpResourceItem[];
  readonly prompts?: readonly McpPromptItem[];
  readonly baseDir?: string;
  /** Messages one JSON-RPC batch may hold (src/limits); unset: no limit of its own. */
  readonly maxBatch?: number;
  /** The per-caller rate limit, counted per tools/call. */
  readonly callers?: McpCallers;
}

export const MCP_PATH = '/mcp';

export function createMcpApp(options: McpAppOptions): FastifyInstance {
  const { log, secrets } = options;
  const app = createHttpApp({
    adapter: 'mcp',
    log,
    secrets,
    bodyLimit: options.bodyLimit,
    // Refused before the SDK walks it (its recursive schema check would overflow: a 500).
    maxJsonDepth: MAX_JSON_DEPTH,
    isReady: options.isReady,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.cors ? { cors: options.cors } : {}),
    render: (err) => renderRpcError(err, secrets),
  });
  // Ties a tools/call (run deep inside the SDK) back to the HTTP request that carried it.
  const calls = new AsyncLocalStorage<CallScope>();
  const callers = options.callers;
  const invoke = callers ? callers.wrap(options.invoke) : options.invoke;
  const serverOptions = { ...serverOptionsFrom({ ...options, invoke }), scope: () => calls.getStore() };
  const factory = createServerFactory(serverOptions);
  const onerror = (err: Error) => log.debug({ err: secrets.redact(err.message) }, 'mcp: request rejected');
  // 2026 answers are single JSON bodies: 'auto' streams only when a handler emits a message before its
  // result, which ours never do. ('json' would say the same but console.warn at every construction.)
  // The 2025 fallback always answers over SSE, by SDK design.
  const handler = createMcpHandler(factory, { onerror, maxRequestBodySize: options.bodyLimit });
  const node = toNodeHandler(handler, { onerror, maxRequestBodySize: options.bodyLimit });
  // A single tools/call goes to long-lived servers instead (call-mux.ts); the rest, and what they pass on, here.
  const mux = createCallMux(serverBuilder(serverOptions), onerror);
  const guards = hostAndOriginGuards(options.allowedHosts, options.allowedOrigins);
  // Known before the SDK runs, so even a call the client abandons is logged against its binding.
  const tools = toolsByName(options.bindings);

  app.route({
    method: 'POST',
    url: MCP_PATH,
    onRequest: guards,
    handler: async (req, reply) => {
      if (req.body === undefined) throw new RuntimeError('NAF_ERR_INVALID_JSON', 'Request body is empty');
      if (options.maxBatch !== undefined) checkBatch(req.body, options.maxBatch);
      const problem = messageProblem(req.body);
      if (problem) throw new RuntimeError('NAF_ERR_MALFORMED_REQUEST', `The JSON-RPC message is refused: ${problem}`);
      const binding = toolBindingOf(req.body, tools);
      if (binding) req.binding = binding;
      requireScopes(options.auth, req, reply, toolCallsIn(req.body, tools));
      const controller = new AbortController();
      // Under 2026-07-28 a closed response stream is how a client cancels: stop the upstream call too.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      // A hijacked reply sends only what is on the raw response: carry over what hooks set (CORS, request id).
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) reply.raw.setHeader(name, value);
      reply.hijack();
      // The SDK's duck type says `method?: string`; IncomingMessage's `string | undefined` only trips
      // exactOptionalPropertyTypes.
      const raw = req.raw as NodeIncomingMessageLike;
      const answer = async () => {
        if (!(await mux.serve(req.headers, req.body, reply.raw))) await node(raw, reply.raw, req.body);
      };
      const serve = () => calls.run(scopeOf(req, controller.signal), answer);
      await (callers ? callers.run(req.headers, req.ip, serve) : serve());
    },
  });
  // Stateless: there is no GET stream to open and no session to DELETE.
  app.route({
    method: ['GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'],
    url: MCP_PATH,
    onRequest: guards,
    handler: async (req, reply) => {
      req.errorCode = 'NAF_ERR_METHOD_NOT_ALLOWED';
      return sendRpcError(reply.header('allow', 'POST'), 405, -32000, 'Method not allowed.');
    },
  });
  // Any other path is answered as a JSON-RPC error too, not in fastify's own 404 form.
  app.setNotFoundHandler(async (req) => {
    throw new RuntimeError(
      'NAF_ERR_ROUTE_NOT_FOUND',
      `No route ${req.method} ${req.url.split('?')[0]}; MCP is served at ${MCP_PATH}`,
    );
  });
  app.setErrorHandler(async (err, req, reply) => {
    const e = fromFastifyError(err);
    req.errorCode = e.code;
    const wire = renderRpcError(e, secrets);
    if (wire.status >= 500) log.warn({ code: e.code, err: secrets.redact(String(e.cause ?? e.message)) }, 'mcp: error');
    return reply.code(wire.status).type(wire.contentType).send(wire.body);
  });
  app.addHook('onClose', async () => {
    await Promise.all([handler.close(), mux.close()]);
  });
  return app;
}

function toolBindingOf(body: unknown, tools: ReadonlyMap<string, Binding>): string | undefined {
  const m = body as { method?: unknown; params?: { name?: unknown } } | null;
  return m?.method === 'tools/call' && typeof m.params?.name === 'string' ? tools.get(m.params.name)?.id : undefined;
}

function scopeOf(req: FastifyRequest, signal: AbortSignal): CallScope {
  return {
    requestId: req.id,
    log: req.log,
    signal,
    settled: (binding, upstreamStatus, errorCode) => {
      req.binding = binding.id;
      if (upstreamStatus !== undefined) req.upstreamStatus = upstreamStatus;
      if (errorCode !== undefined) req.errorCode = errorCode;
    },
  };
}

/**
 * Errors raised before the SDK sees the request (HTTP framing, body parsing, limits, auth) as a JSON-RPC
 * error without an id, with the HTTP status every adapter gives that error.
 */
function renderRpcError(e: RuntimeError, secrets: Secrets): WireError {
  const [code, message] = rpcCodeOf(e);
  const body = { jsonrpc: '2.0', error: { code, message: secrets.redact(message) }, id: null };
  return { status: httpStatusOf(e), contentType: 'application/json', body: JSON.stringify(body) };
}

function rpcCodeOf(e: RuntimeError): [code: number, message: string] {
  if (e.code === 'NAF_ERR_INVALID_JSON') return [-32700, `Parse error: ${e.message}`];
  switch (e.kind) {
    case 'too_large':
      return [-32000, `Payload too large: ${e.message}`];
    case 'media_type':
      return [-32000, `Unsupported Media Type: ${e.message}`];
    case 'unauthorized':
      return [-32001, e.message];
    case 'input':
      return [-32600, `Invalid Request: ${e.message}`];
    case 'internal':
      return [-32603, 'Internal error'];
    default:
      return [-32000, e.message];
  }
}

function sendRpcError(reply: FastifyReply, status: number, code: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ jsonrpc: '2.0', error: { code, message }, id: null });
}
