// One fastify route per REST binding; 405 + Allow for the other methods of a bound path
// (literal segments beat variables, so GET …/verify is 405, not a lookup of id "verify").

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Binding, RestExposure } from '../../binding/table.js';
import { RuntimeError } from '../../errors.js';
import type { Invoke } from '../../invoke.js';
import type { Secrets } from '../../secrets.js';
import { fromFastifyError } from '../http-errors.js';
import { decodeArgs } from './decode.js';
import { rewriteLinks } from './links.js';
import { renderProblem } from './problem.js';
import { inboundTrace } from '../../telemetry/inbound.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface RestRoutesOptions {
  readonly bindings: readonly Binding[];
  readonly invoke: Invoke;
  readonly secrets: Secrets;
  /** Paths (fastify form) of resources with a `forward`: their other methods forward instead of a 405. */
  readonly forwardPaths?: ReadonlySet<string>;
}

/** `/v1/x/{id}` and `/v1/x/{{id}}` → fastify's `/v1/x/:id`. */
export function toFastifyPath(path: string): string {
  return path.replace(
    /\{\{\s*([A-Za-z0-9_-]+)\s*\}\}|\{([A-Za-z0-9_-]+)\}/g,
    (_m, a?: string, b?: string) => `:${a ?? b}`,
  );
}

export function registerRestRoutes(app: FastifyInstance, options: RestRoutesOptions): void {
  const byPath = new Map<string, Binding[]>();
  for (const b of options.bindings) {
    const path = toFastifyPath((b.expose as RestExposure).path);
    byPath.set(path, [...(byPath.get(path) ?? []), b]);
  }

  for (const [path, bindings] of byPath) {
    const bound = new Set(bindings.map((b) => (b.expose as RestExposure).method as string));
    if (bound.has('GET')) bound.add('HEAD');
    const allow = METHODS.filter((m) => bound.has(m)).join(', ');
    for (const b of bindings) {
      app.route({
        method: (b.expose as RestExposure).method,
        url: path,
        // Before the body is parsed, so a 413/415/bad-JSON answer is logged and counted against it too.
        onRequest: (req, _reply, done) => {
          req.binding = b.id;
          done();
        },
        handler: (req, reply) => serve(b, req, reply, options),
      });
    }
    if (options.forwardPaths?.has(path)) continue;
    const others = METHODS.filter((m) => !bound.has(m));
    if (others.length) {
      app.route({
        method: others,
        url: path,
        handler: async (req) => {
          throw new RuntimeError(
            'NAF_ERR_METHOD_NOT_ALLOWED',
            `${req.method} is not allowed on ${path}; allowed: ${allow}`,
            { allow: allow.split(', ') },
          );
        },
      });
    }
    app.route({
      method: 'OPTIONS',
      url: path,
      handler: async (_req, reply) => reply.code(204).header('allow', `${allow}, OPTIONS`).send(),
    });
  }

  app.setNotFoundHandler(async (req) => {
    throw new RuntimeError('NAF_ERR_ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`);
  });
  app.setErrorHandler(async (err, req, reply) => sendProblem(fromFastifyError(err), req, reply, options.secrets));
}

async function serve(
  binding: Binding,
  req: FastifyRequest,
  reply: FastifyReply,
  options: RestRoutesOptions,
): Promise<FastifyReply> {
  req.binding = binding.id;
  const controller = new AbortController();
  // The response closing before we answered means the caller left: stop the upstream call too.
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  const args = decodeArgs(binding, req);
  const outcome = await options.invoke(binding, args, {
    signal: controller.signal,
    log: req.log,
    requestId: req.id,
    ...inboundTrace(req.headers),
  });
  if (outcome.upstreamStatus !== undefined) req.upstreamStatus = outcome.upstreamStatus;
  reply.code(outcome.status);
  for (const [name, value] of Object.entries(outcome.headers)) {
    reply.header(name, name === 'link' ? rewriteLinks(value, publicBase(req)) : value);
  }
  // The app's onSend scrubber (scrub.ts) masks secrets in what is sent, bytes or text: once, there.
  if (outcome.json) return reply.type('application/json; charset=utf-8').send(outcome.json);
  if (outcome.body === undefined) return reply.send();
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(outcome.body));
}

function publicBase(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${req.url.split('?')[0]}`;
}

function sendProblem(err: RuntimeError, req: FastifyRequest, reply: FastifyReply, secrets: Secrets): FastifyReply {
  req.errorCode = err.code;
  const wire = renderProblem(err, req.url.split('?')[0] ?? '/', req.id, secrets);
  if (wire.status >= 500)
    req.log.warn({ code: err.code, cause: describeCause(err.cause) }, secrets.redact(err.message));
  if (err.details.allow) reply.header('allow', err.details.allow.join(', '));
  if (err.details.retryAfter) reply.header('retry-after', err.details.retryAfter);
  return reply.code(wire.status).type(wire.contentType).send(wire.body);
}

function describeCause(cause: unknown): string | undefined {
  if (!cause || typeof cause !== 'object') return undefined;
  const e = cause as { code?: string; message?: string };
  return e.code ?? e.message;
}
