// One listening socket per adapter whose requests go to whichever fastify app is current. A reload builds
// new apps from the new table and swaps them in here: the socket, its port and its keep-alive connections
// stay; each request is served whole by the app it arrived at, so in-flight calls finish on the old table.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { FastifyInstance } from '../expose/http-app.js';

interface Slot {
  readonly app: FastifyInstance;
  inflight: number;
  /** Called when the last in-flight request of a swapped-out app ends. */
  idle?: () => void;
}

export class AppSwitch {
  readonly server: Server;
  #slot: Slot;
  #closing = false;

  constructor(app: FastifyInstance) {
    this.#slot = { app, inflight: 0 };
    this.server = createServer((req, res) => this.#dispatch(req, res));
    // The app's own (never listening) server carries fastify's timeouts and its client-error handler.
    const own = app.server;
    this.server.keepAliveTimeout = own.keepAliveTimeout;
    this.server.requestTimeout = own.requestTimeout;
    this.server.headersTimeout = own.headersTimeout;
    this.server.timeout = own.timeout;
    if (own.maxRequestsPerSocket) this.server.maxRequestsPerSocket = own.maxRequestsPerSocket;
    this.server.on('clientError', (err, socket) => this.#slot.app.server.emit('clientError', err, socket));
  }

  get app(): FastifyInstance {
    return this.#slot.app;
  }

  /** Resolves with the URL once listening (port 0: the one the OS chose). */
  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((done, fail) => {
      this.server.once('error', fail);
      this.server.listen({ host, port }, () => {
        this.server.off('error', fail);
        done();
      });
    });
    const addr = this.server.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    return `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
  }

  /** New requests go to `app` from now on; resolves when the previous app has no request left. */
  swap(app: FastifyInstance): Promise<void> {
    const old = this.#slot;
    this.#slot = { app, inflight: 0 };
    if (old.inflight === 0) return Promise.resolve();
    return new Promise((done) => (old.idle = done));
  }

  /** Stop accepting, let in-flight calls finish within the grace period, then cut what is left. */
  async close(graceMs: number, log: Logger): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    // close() ends only the connections idle at that moment: one busy with a call keeps its keep-alive
    // socket after the answer and would hold the close until the grace period. End each as it goes idle.
    this.server.closeIdleConnections();
    const sweep = setInterval(() => this.server.closeIdleConnections(), 50);
    sweep.unref();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((done) => {
      timer = setTimeout(() => {
        log.warn({ graceMs }, 'in-flight calls still running after the grace period: closing their connections');
        this.server.closeAllConnections();
        done();
      }, graceMs);
      timer.unref();
    });
    await Promise.race([closed, late]);
    clearInterval(sweep);
    clearTimeout(timer);
  }

  #dispatch(req: IncomingMessage, res: ServerResponse): void {
    const slot = this.#slot;
    slot.inflight++;
    res.once('close', () => {
      if (--slot.inflight === 0) slot.idle?.();
    });
    // Stopping: answer what arrives on an open keep-alive connection, then let the connection go.
    if (this.#closing) res.setHeader('connection', 'close');
    slot.app.routing(req, res);
  }
}
