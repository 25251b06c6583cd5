// One listening socket per adapter whose requests go to whichever fastify app is current. A reload builds
// new apps from the new table and swaps them in here: the socket, its port and its keep-alive connections
// stay; each request is served whole by the app it arrived at, so in-flight calls finish on the old table.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Logger } from 'pino';
import type { FastifyInstance } from '../expose/http-app.js';
import { markStopping } from '../expose/stopping.js';

const netClose = NetServer.prototype.close;

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
  /** Requests being served, by any generation's app. */
  #active = 0;

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
    // Stop listening but keep idle keep-alive connections while calls are in flight, so a request sent on
    // one is answered 503 with Connection: close (stopping.ts) rather than finding the socket gone
    // (http.Server#close would end them at once). Once nothing is in flight, the idle ones are ended.
    const closed = new Promise<void>((done) => netClose.call(this.server, () => done()));
    const sweep = setInterval(() => {
      if (this.#active === 0) this.server.closeIdleConnections();
    }, 50);
    if (this.#active === 0) this.server.closeIdleConnections();
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
    this.#active++;
    res.once('close', () => {
      this.#active--;
      if (--slot.inflight === 0) slot.idle?.();
    });
    // Stopping: what arrives on an open keep-alive connection gets a 503, then the connection goes.
    if (this.#closing) {
      markStopping(req);
      res.setHeader('connection', 'close');
    }
    slot.app.routing(req, res);
  }
}
