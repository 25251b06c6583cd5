// `forward` resources on the REST adapter: every method the resource's operations do not serve is
// passed through to the target namespace (the engine tries operations first, then the forward).
// Bodies are not parsed here: whatever the caller sends streams up, within the body limit.

import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ForwardRoute } from '../../binding/forward.js';
import type { Forwarder } from '../../consume/forward.js';
import { RuntimeError } from '../../errors.js';
import type { Secrets } from '../../secrets.js';
import type { InboundAuth } from '../inbound-auth.js';
import { callerHeaders, inboundCredential, replyHeaders } from './forward-headers.js';
import { forwardedPath } from './forward-path.js';
import { toFastifyPath } from './routes.js';

export interface ForwardRoutesOptions {
  readonly forwards: readonly ForwardRoute[];
  readonly forward: Forwarder;
  readonly secrets: Secrets;
  readonly bodyLimit: number;
  readonly auth?: InboundAuth;
  readonly log: { warn(obj: object, msg: string): void };
}

/** `/notion/{{path}}` → `/notion/*`; other placeholders become `:name` as for operations. */
export function forwardUrl(route: ForwardRoute): string {
  if (route.wildcardAt === undefined) return toFastifyPath(route.path);
  const segments = route.path.split('/');
  return toFastifyPath([...segments.slice(0, route.wildcardAt), '*'].join('/'));
}

export function registerForwardRoutes(app: FastifyInstance, options: ForwardRoutesOptions): void {
  if (!options.forwards.length) return;
  const inbound = inboundCredential(options.auth);
  for (const route of options.forwards) {
    for (const h of route.ignoredHeaders)
      options.log.warn({ binding: route.id, header: h }, `forward: trusted header '${h}' is never forwarded`);
    if (inbound.header && route.trustedHeaders.includes(inbound.header))
      options.log.warn(
        { binding: route.id, header: inbound.header },
        `forward: trusted header '${inbound.header}' carries this adapter's own inbound credential and is never forwarded`,
      );
  }
  // Its own context: the caller's body reaches the handler as the raw stream, whatever its media type.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    for (const route of options.forwards) {
      if (!route.methods.length) continue;
      scope.route({
        method: [...route.methods],
        url: forwardUrl(route),
        onRequest: async (req) => {
          req.binding = route.id;
        },
        handler: (req, reply) => serveForward(route, req, reply, options, inbound),
      });
    }
  });
}

async function serveForward(
  route: ForwardRoute,
  req: FastifyRequest,
  reply: FastifyReply,
  options: ForwardRoutesOptions,
  inbound: ReturnType<typeof inboundCredential>,
): Promise<FastifyReply> {
  req.binding = route.id;
  const rawUrl = req.raw.url ?? '/';
  const path = forwardedPath(rawUrl, route.wildcardAt);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.bodyLimit)
    throw new RuntimeError(
      'NAF_ERR_BODY_TOO_LARGE',
      `Request body is larger than the limit (${options.bodyLimit} bytes)`,
    );
  const body = isStream(req.body) ? req.body : undefined;
  const controller = new AbortController();
  // The response closing before we answered means the caller left: stop the upstream call too.
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  const res = await options.forward(
    route,
    {
      method: req.method as 'GET',
      path,
      query: stripQuery(rawUrl, inbound.query),
      headers: callerHeaders(req.headers as IncomingHttpHeaders, route.trustedHeaders, inbound.header, Boolean(body)),
      ...(body ? { body } : {}),
      bodyLimit: options.bodyLimit,
    },
    { signal: controller.signal, requestId: req.id },
  );
  req.upstreamStatus = res.status;
  reply.code(res.status);
  const cookies = route.trustedHeaders.includes('cookie');
  for (const [name, value] of replyHeaders(res.headers, { cookies, head: req.method === 'HEAD' }))
    reply.header(
      name,
      Array.isArray(value) ? value.map((v) => options.secrets.redact(v)) : options.secrets.redact(value),
    );
  if (res.body.length === 0) return reply.send();
  return reply.send(redactBytes(res.body, options.secrets));
}

function isStream(value: unknown): value is Readable {
  return Boolean(value) && typeof (value as Readable).pipe === 'function';
}

/** The caller's raw query, without the adapter's own API key when it travels in the query. */
function stripQuery(rawUrl: string, inboundQuery: string | undefined): string {
  const at = rawUrl.indexOf('?');
  const query = at < 0 ? '' : rawUrl.slice(at + 1);
  if (!inboundQuery || !query) return query;
  return query
    .split('&')
    .filter((pair) => safeDecode(pair.split('=')[0] ?? '') !== inboundQuery)
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Secrets scrubbed from the body as from an operation's: as UTF-8 text when it is text, else byte for
 * byte through latin1 (ASCII secrets — tokens, keys — are found in any body, and nothing else changes).
 */
export function redactBytes(body: Buffer, secrets: Secrets): Buffer {
  if (secrets.size === 0) return body;
  let text: string;
  let encoding: BufferEncoding = 'utf8';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    encoding = 'latin1';
    text = body.toString('latin1');
  }
  const clean = secrets.redact(text);
  return clean === text ? body : Buffer.from(clean, encoding);
}
