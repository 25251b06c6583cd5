// Bounded connections on an adapter's listening socket: timeouts for a silent connection (no first byte), for
// headers, for the whole request, for an idle keep-alive connection and for a response the client stops
// reading; and a cap on open connections. At the cap, the oldest connection with no request in progress is
// closed to make room (a silent or slow-header squatter, an idle keep-alive), so a flood cannot lock out a
// health check; only when every connection is busy is the newcomer refused, with a 503 it can read.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Limits } from './settings.js';

/** Extra sockets Node itself accepts past the cap, so a refusal can be written rather than a reset. */
const REFUSAL_HEADROOM = 64;

interface Tracked {
  busy: number;
  timer?: NodeJS.Timeout;
}

const REFUSAL = (() => {
  const body = JSON.stringify({
    type: 'about:blank',
    title: 'Overloaded: call shed',
    status: 503,
    code: 'NAF_ERR_OVERLOADED',
    detail: 'Too many open connections; try again shortly',
  });
  return (
    'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n' +
    `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
})();

const responses = new AsyncLocalStorage<ServerResponse>();

/**
 * The HTTP response the running code is answering, if any: a call's buffered bytes stay counted until its
 * answer has been written out, since serialising and sending it is when it costs the most.
 */
export function currentResponse(): ServerResponse | undefined {
  return responses.getStore();
}

export function applyServerLimits(server: Server, limits: Limits, log?: Pick<Logger, 'warn'>): void {
  server.headersTimeout = limits.headersTimeoutMs;
  // Node requires requestTimeout ≥ headersTimeout (0 would turn it off).
  server.requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  server.keepAliveTimeout = limits.idleTimeoutMs;
  // Node checks the two timeouts above on this interval (30 s by default, too coarse for short ones);
  // it is read when the server starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    250,
    Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.firstByteTimeoutMs) / 4)),
  );
  // Socket inactivity: fires while waiting for a slow upstream too, so the handler below cuts only a socket
  // whose answer is stuck in our send buffer.
  server.timeout = limits.sendTimeoutMs;
  server.on('timeout', (socket: Socket) => {
    if (socket.writableLength > 0) socket.destroy();
  });
  server.maxConnections = limits.maxConnections + REFUSAL_HEADROOM;

  const open = new Map<Socket, Tracked>();
  let warned = 0;
  server.on('connection', (socket: Socket) => {
    if (open.size >= limits.maxConnections) evictIdle(open);
    if (open.size >= limits.maxConnections) {
      if (Date.now() - warned > 10_000) {
        warned = Date.now();
        log?.warn({ maxConnections: limits.maxConnections }, 'connection refused: every connection is busy');
      }
      socket.end(REFUSAL);
      socket.destroySoon?.();
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const tracked: Tracked = { busy: 0 };
    // A connection that never sends a byte: Node's headers timeout would end it too, but later.
    tracked.timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.firstByteTimeoutMs);
    tracked.timer.unref();
    open.set(socket, tracked);
    socket.once('close', () => {
      clearTimeout(tracked.timer);
      open.delete(socket);
    });
  });
  // Set on the connection's parser context, so it holds through the body's arrival and every hook after.
  server.prependListener('request', (_req, res) => responses.enterWith(res));
  server.on('request', (req, res) => {
    const tracked = open.get(req.socket);
    if (!tracked) return;
    tracked.busy++;
    res.once('close', () => tracked.busy--);
  });
}

/** Closes the longest-open connection with no request in progress; false when every one is busy. */
function evictIdle(open: Map<Socket, Tracked>): boolean {
  for (const [socket, tracked] of open) {
    if (tracked.busy > 0) continue;
    open.delete(socket);
    clearTimeout(tracked.timer);
    socket.destroy();
    return true;
  }
  return false;
}
