// What every adapter's fastify app shares: request ids, one log line per request, JSON-only
// body parsing, health endpoints, graceful close. Adapters add their own routes.

import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { RuntimeError } from '../errors.js';
import { fromClientError, fromFastifyError, hostLines, MAX_ROUTER_PARAM, rawResponse } from './http-errors.js';
import type { InboundAuth } from './inbound-auth.js';
import { installCors } from './auth/cors.js';
import { installInboundAuth } from './auth/hook.js';
import { accessLogUrl } from './log-url.js';
import { AdapterMetrics, METRICS_CONTENT_TYPE } from './metrics.js';
import type { Secrets } from '../secrets.js';
import { installScrubber } from './scrub.js';
import { isStopping } from './stopping.js';
import { decodeUtf8, parseStrictJson, undecodableQueryParameter } from '../json-strict.js';

export interface HttpAppOptions {
  readonly adapter: 'rest' | 'mcp' | 'control' | 'skill';
  readonly log: Logger;
  /** Every byte this adapter sends passes them (scrub.ts): no route has to remember. */
  readonly secrets: Secrets;
  readonly bodyLimit: number;
  /** Deepest JSON body accepted (json-strict.ts); unlimited when absent (the bindings' check names the argument). */
  readonly maxJsonDepth?: number;
  readonly isReady: () => boolean;
  /** Inbound authentication; health endpoints stay open. */
  readonly auth?: InboundAuth;
  /** Browser origins allowed by CORS (auth/cors.ts); none: CORS is off. */
  readonly cors?: readonly string[];
  /** False: the adapter serves its own /health/* and /metrics (the control adapter). Default true. */
  readonly probes?: boolean;
  /** This adapter's wire form of a runtime error (REST: problem+json; MCP: a JSON-RPC error). */
  readonly render: (err: RuntimeError, requestId: string, path: string) => WireError;
}

export interface WireError {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route that served the request, for the access log line. */
    binding?: string;
    /** performance.now() when the request arrived (a connection closed early has no reply.elapsedTime). */
    startedAt: number;
    /** The access line is written once, by whichever comes first: the response, or the caller leaving. */
    logged?: boolean;
    upstreamStatus?: number;
    errorCode?: string;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const METRICS = new WeakMap<FastifyInstance, AdapterMetrics>();

/** The metrics an app built here records (the control adapter serves every adapter's together). */
export function adapterMetrics(app: FastifyInstance): AdapterMetrics | undefined {
  return METRICS.get(app);
}

export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const metrics = new AdapterMetrics(options.adapter);
  const record = (req: FastifyRequest, status: number, durationMs: number, aborted: boolean) => {
    if (req.logged) return;
    req.logged = true;
    const duration = Math.round(durationMs * 10) / 10;
    metrics.observe({
      binding: req.binding,
      status,
      durationMs,
      upstreamStatus: req.upstreamStatus,
      errorCode: req.errorCode,
      requestId: req.id,
    });
    req.log.info(
      {
        adapter: options.adapter,
        method: req.method,
        url: accessLogUrl(options.auth?.logUrl?.(req.url) ?? req.url, options.log.isLevelEnabled('debug')),
        status,
        binding: req.binding,
        upstreamStatus: req.upstreamStatus,
        error: req.errorCode,
        durationMs: duration,
        ...(aborted ? { aborted: true } : {}),
      },
      aborted ? 'request aborted by the client' : 'request',
    );
  };
  const app: FastifyInstance = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    // Our own onResponse hook writes the one access line per request (with binding and upstream status).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    // Well above the schema's own limit on a path argument, so that the binding's validation (the same
    // on every adapter) refuses long ids with a message naming the argument; beyond this, a 414.
    routerOptions: { maxParamLength: MAX_ROUTER_PARAM },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Requests the router refuses before any route or hook runs (bad percent-encoding, an over-long
    // segment) still get this adapter's error form, a stable code and an access line.
    frameworkErrors: (err, req, reply) => {
      const e = fromFastifyError(err);
      req.errorCode = e.code;
      const wire = options.render(e, req.id, req.url.split('?')[0] ?? '/');
      record(req as FastifyRequest, wire.status, 0, false);
      // The reply here is fastify's bare generic one, whose status type knows no codes.
      return (reply as FastifyReply).code(wire.status).type(wire.contentType).send(wire.body);
    },
    // Requests Node's HTTP parser refuses (bad framing, oversized headers): no request object exists,
    // so answer on the socket, in the adapter's error form, and log it.
    clientErrorHandler: (err: Error & { code?: string }, socket: Duplex) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const e = fromClientError(err);
      const id = randomUUID();
      const wire = options.render(e, id, '');
      metrics.observe({ status: wire.status, durationMs: 0, errorCode: e.code, requestId: id });
      options.log.info({ reqId: id, adapter: options.adapter, status: wire.status, error: e.code }, 'request');
      if (socket.writable) socket.write(rawResponse({ ...wire, body: options.secrets.redact(wire.body) }, id));
      socket.destroy();
    },
  });

  installScrubber(app, options.secrets);
  app.removeAllContentTypeParsers();
  // The body is read as UTF-8 (RFC 8259 §8.1): `charset=utf-8` is fine, any other charset is a 415.
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json\s*(;\s*charset="?utf-8"?\s*)?$/i,
    { parseAs: 'buffer' },
    (_req, bytes, done) => {
      try {
        const body = decodeUtf8(bytes as Buffer);
        if (body.trim() === '') return done(null, undefined);
        // Duplicate keys, too deep a nesting and bytes that are not UTF-8 are refused (json-strict.ts).
        done(null, parseStrictJson(body, options.maxJsonDepth));
      } catch (err) {
        done(
          new RuntimeError('NAF_ERR_INVALID_JSON', `Request body is not valid JSON: ${(err as Error).message}`),
          undefined,
        );
      }
    },
  );

  // A callback hook (no promise per request); a refusal is passed to done().
  app.addHook('onRequest', (req, reply, done) => {
    req.startedAt = performance.now();
    reply.header('x-request-id', req.id);
    if (isStopping(req.raw)) {
      reply.header('connection', 'close');
      return done(new RuntimeError('NAF_ERR_NOT_READY', 'The runtime is shutting down: retry on a new connection'));
    }
    // A caller that hangs up mid-call gets no response, but the call still happened: log and count it
    // (499, nginx's "client closed request"). fastify's onRequestAbort only fires while the body is unread.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) record(req, 499, performance.now() - req.startedAt, true);
    });
    // RFC 9112 §3.2: more than one Host is a 400. Node keeps the first, which would let a second,
    // foreign one slip past the MCP Host check at a proxy that reads the last.
    if (hostLines(req.raw.rawHeaders) > 1)
      return done(new RuntimeError('NAF_ERR_MALFORMED_REQUEST', 'The request has more than one Host header'));
    const q = req.url.indexOf('?');
    const bad = q < 0 ? undefined : undecodableQueryParameter(req.url.slice(q + 1));
    if (bad !== undefined)
      return done(
        new RuntimeError('NAF_ERR_INVALID_ARGUMENT', `Query parameter '${bad}' is not valid UTF-8 once decoded`, {
          argument: bad,
          issues: [{ argument: bad, message: 'is not valid UTF-8 once percent-decoded' }],
        }),
      );
    done();
  });
  const auth = options.auth;
  // With CORS, auth runs after the CORS hook, so a 401 carries the headers a browser needs to read it.
  if (options.cors?.length) installCors(app, options.cors, () => auth && installInboundAuth(app, auth));
  else if (auth) installInboundAuth(app, auth);
  app.addHook('onResponse', (req, reply, done) => {
    record(req, reply.statusCode, reply.elapsedTime, false);
    done();
  });

  METRICS.set(app, metrics);
  if (options.probes === false) return app;
  app.get('/health/live', async () => ({ status: 'ok' }));
  // Behind the adapter's inbound auth, like every route but health: the labels name every binding.
  app.get('/metrics', async (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(metrics.render()));
  app.get('/health/ready', async (_req, reply) =>
    options.isReady() ? { status: 'ok' } : reply.code(503).send({ status: 'starting' }),
  );
  return app;
}

export type { FastifyInstance, FastifyReply, FastifyRequest };
