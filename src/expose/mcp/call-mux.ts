// tools/call without a server per request. The SDK's HTTP entry builds a server instance, a web Request, a
// per-request transport and a web Response for every POST, and tears them down after: most of what an MCP
// call cost beyond the REST route (issue 14). Here one long-lived server per protocol era (built by the
// same factory, so the same handlers) stays connected to a transport that carries many exchanges at once,
// each under a private request id, and the answer is written to the Node response directly.
//
// Only a single tools/call the SDK would accept as it stands takes this path: the SDK's own classifier
// (classifyInboundRequest) routes it, and everything it would refuse or answer differently (batches,
// notifications, initialize, other methods, a header that disagrees with the body, an unsupported version)
// goes to createMcpHandler as before. So does a call the server refuses before its handler runs (method
// not found, a bad envelope): nothing has happened yet, and the SDK path then gives that refusal its HTTP
// status. The server itself (params validation, the handler, result encoding, the era's projection and
// serverInfo) is the SDK's in both paths.

import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  classifyInboundRequest,
  isJSONRPCRequest,
  isJsonContentType,
  PerRequestHTTPServerTransport,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageClassification,
  type Server,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';

/** The one 2026-era revision this path serves (the SDK's only modern one; a newer one goes to the SDK). */
const MODERN = '2026-07-28';
/** The SDK's SSE keep-alive interval (DEFAULT_SSE_KEEP_ALIVE_MS, not exported): a long 2025 call sees the same comments. */
const KEEP_ALIVE_MS = 15_000;
// The headers the SDK's transports answer with, in the order its Response headers iterate.
const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = {
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'content-type': 'text/event-stream',
  'x-accel-buffering': 'no',
};

interface Exchange {
  readonly id: JSONRPCRequest['id'];
  readonly answer: (message: JSONRPCMessage) => void;
  /** Still inside the server's synchronous dispatch: an answer now is a refusal before the handler ran. */
  dispatching: boolean;
  refused: boolean;
}

/**
 * One long-lived connection to one server, carrying many exchanges. It is a PerRequestHTTPServerTransport
 * only so that Server.connect binds the server to the classification's era (the SDK reads the revision off
 * that class); none of the base class's single-exchange machinery runs.
 */
class ExchangeMux extends PerRequestHTTPServerTransport {
  private readonly pending = new Map<number, Exchange>();
  private next = 0;

  constructor(private readonly classification: MessageClassification | undefined) {
    super({ classification: classification ?? { era: 'legacy' } });
  }

  override async start(): Promise<void> {}

  override async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    // Our tools/call handler sends nothing before its result; a response is all that is routed.
    if (!('id' in message) || 'method' in message || typeof message.id !== 'number') return;
    const exchange = this.pending.get(message.id);
    if (!exchange) return; // the caller left; the result is dropped, as the SDK drops it
    this.pending.delete(message.id);
    if (exchange.dispatching) exchange.refused = true;
    else exchange.answer({ ...message, id: exchange.id } as JSONRPCMessage);
  }

  override async close(): Promise<void> {
    this.pending.clear();
    this.onclose?.();
  }

  /** The answer, or undefined when the server refused the message before running a handler. */
  dispatch(message: JSONRPCRequest): { key: number; answer: Promise<JSONRPCMessage> } | undefined {
    const key = ++this.next;
    let answer!: (m: JSONRPCMessage) => void;
    const answered = new Promise<JSONRPCMessage>((resolve) => (answer = resolve));
    const exchange: Exchange = { id: message.id, answer, dispatching: true, refused: false };
    this.pending.set(key, exchange);
    try {
      // The legacy transport passes no classification; the modern one passes the classifier's.
      this.onmessage?.({ ...message, id: key }, this.classification ? { classification: this.classification } : {});
    } finally {
      exchange.dispatching = false;
    }
    if (exchange.refused) return undefined;
    return { key, answer: answered };
  }

  forget(key: number): void {
    this.pending.delete(key);
  }
}

export interface CallMux {
  /**
   * Answers a single tools/call on `res` and resolves true, or resolves false without touching `res` when
   * the SDK's own path must answer it.
   */
  serve(headers: IncomingHttpHeaders, body: unknown, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * `build` makes a server with the adapter's handlers (server.ts), serving the versions given; it is called
 * once per era. The modern one serves the 2025 versions plus 2026-07-28, as the SDK's entry makes its own.
 */
export function createCallMux(build: (versions?: readonly string[]) => Server, onerror: (err: Error) => void): CallMux {
  const connect = async (classification: MessageClassification | undefined) => {
    const server = build(classification ? [...SUPPORTED_PROTOCOL_VERSIONS, MODERN] : undefined);
    server.onerror = onerror;
    const mux = new ExchangeMux(classification);
    await server.connect(mux);
    return { server, mux };
  };
  const servers = Promise.all([connect({ era: 'modern', revision: MODERN }), connect(undefined)]);

  return {
    async serve(headers, body, res) {
      const era = eraOf(headers, body);
      if (!era) return false;
      const [modern, legacy] = await servers;
      const { mux } = era === 'modern' ? modern : legacy;
      const sent = mux.dispatch(body as JSONRPCRequest);
      if (!sent) return false;
      const keepAlive = era === 'legacy' ? armKeepAlive(res) : undefined;
      const closed = new Promise<undefined>((resolve) => res.once('close', () => resolve(undefined)));
      const message = await Promise.race([sent.answer, closed]);
      if (keepAlive) clearInterval(keepAlive);
      if (message === undefined || res.destroyed) {
        mux.forget(sent.key);
        return true;
      }
      const json = JSON.stringify(message);
      if (era === 'modern') {
        if (!res.headersSent) res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(json) });
        res.end(json);
      } else {
        if (!res.headersSent) res.writeHead(200, SSE_HEADERS);
        res.end(`event: message\ndata: ${json}\n\n`);
      }
      return true;
    },
    async close() {
      const [modern, legacy] = await servers;
      await Promise.allSettled([modern.server.close(), legacy.server.close()]);
    },
  };
}

/** Which era's server answers this POST here, or undefined: the SDK's path answers it. */
function eraOf(headers: IncomingHttpHeaders, body: unknown): 'modern' | 'legacy' | undefined {
  const m = body as { method?: unknown; params?: { name?: unknown } } | null;
  if (m === null || typeof m !== 'object' || Array.isArray(m) || m.method !== 'tools/call') return undefined;
  const name = m.params?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  if (!isJsonContentType(headers['content-type'])) return undefined;
  const version = header(headers, 'mcp-protocol-version');
  const method = header(headers, 'mcp-method');
  const named = header(headers, 'mcp-name');
  const route = classifyInboundRequest({
    httpMethod: 'POST',
    ...(version !== undefined ? { protocolVersionHeader: version } : {}),
    ...(method !== undefined ? { mcpMethodHeader: method } : {}),
    ...(named !== undefined ? { mcpNameHeader: named } : {}),
    body,
  });
  if (route.kind === 'modern') {
    // The SDK also cross-checks these headers against the body (validateStandardRequestHeaders, not
    // exported): only the case where they agree exactly comes here.
    const agrees =
      route.messageKind === 'request' &&
      route.classification.revision === MODERN &&
      version === MODERN &&
      method === 'tools/call' &&
      named === name;
    return agrees ? 'modern' : undefined;
  }
  if (route.kind !== 'legacy' || route.reason !== 'no-claim' || !isJSONRPCRequest(body)) return undefined;
  // The 2025 transport's checks: both media types accepted, a protocol version it supports if one is named.
  const accept = header(headers, 'accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (version !== undefined && (version >= MODERN || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return undefined;
  if (method !== undefined || named !== undefined) return undefined;
  return 'legacy';
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** SSE comments while a 2025 call runs long, as the SDK's transport sends them (headers go out with the first). */
function armKeepAlive(res: ServerResponse): NodeJS.Timeout {
  const timer = setInterval(() => {
    if (!res.headersSent) res.writeHead(200, SSE_HEADERS);
    res.write(': keepalive\n\n');
  }, KEEP_ALIVE_MS);
  timer.unref();
  return timer;
}
