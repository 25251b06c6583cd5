// The one place every byte an HTTP adapter sends passes the secret scrubber: response headers (names
// and values, the pass-through ETag, Total-Number, Retry-After and Link included), bodies, problem+json,
// metrics, MCP answers and their SSE frames. Routes need not remember to redact: fastify's onSend
// scrubs the body a reply sends (before Content-Length is computed), and the raw response is wrapped so
// that every header, and whatever body bypasses fastify (a hijacked reply, as the MCP SDK writes its own),
// is scrubbed on write.

import { Transform, type Readable } from 'node:stream';
import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Secrets } from '../secrets.js';

const VIA_FASTIFY = Symbol('scrubbed by onSend');

export function installScrubber(app: FastifyInstance, secrets: Secrets): void {
  // Callback hooks, not async ones: no promise per request for work that never waits.
  app.addHook('onRequest', (_req, reply, done) => {
    guardRaw(reply.raw, secrets);
    done();
  });
  // Headers are not scrubbed here: every header fastify sends goes through the raw response's writeHead or
  // setHeader, which guardRaw scrubs (doing it here too scrubbed each header twice).
  app.addHook('onSend', (_req, reply, payload, done) => {
    (reply.raw as Marked)[VIA_FASTIFY] = true;
    if (secrets.size === 0) return done(null, payload);
    if (typeof payload === 'string') return done(null, secrets.redact(payload));
    if (Buffer.isBuffer(payload)) return done(null, secrets.redactBytes(payload));
    if (isStream(payload)) {
      // A streamed body may be any length once scrubbed: its declared length no longer holds.
      reply.removeHeader('content-length');
      return done(null, payload.pipe(redactingStream(secrets)));
    }
    done(null, payload);
  });
}

type Marked = ServerResponse & { [VIA_FASTIFY]?: boolean };

function scrubValue<V extends OutgoingHttpHeader>(value: V, secrets: Secrets): V {
  if (Array.isArray(value)) {
    const out = value.map((v) => secrets.redact(String(v)));
    return (out.some((v, i) => v !== value[i]) ? out : value) as V;
  }
  if (typeof value !== 'string') return value;
  return secrets.redact(value) as V;
}

function isStream(payload: unknown): payload is Readable {
  return typeof (payload as Readable | null)?.pipe === 'function';
}

function redactingStream(secrets: Secrets): Transform {
  const redactor = secrets.streamRedactor();
  return new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      done(null, redactor.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    },
    flush(done) {
      done(null, redactor.end());
    },
  });
}

/**
 * Scrub the raw response: its headers always; its body unless fastify's onSend already did (a hijacked
 * reply, or anything else writing to the socket's response directly). Such a body is sent without a
 * declared length, since masking may change it.
 */
function guardRaw(res: ServerResponse, secrets: Secrets): void {
  const raw = res as Marked;
  const direct = () => !raw[VIA_FASTIFY] && secrets.size > 0;
  const { setHeader, appendHeader, writeHead, write, end } = res;
  let redactor: ReturnType<Secrets['streamRedactor']> | undefined;
  const scrubChunk = (chunk: unknown, encoding: unknown): unknown => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return chunk;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    redactor ??= secrets.streamRedactor();
    return redactor.push(bytes);
  };

  // Headers are scrubbed on every path, so one an onSend hook added after ours cannot bypass it either.
  res.setHeader = function (name: string, value: number | string | readonly string[]) {
    if (secrets.size === 0) return setHeader.call(this, name, value);
    if (secrets.redact(name) !== name || (direct() && name.toLowerCase() === 'content-length')) return this;
    return setHeader.call(this, name, scrubValue(value as OutgoingHttpHeader, secrets));
  };
  res.appendHeader = function (name: string, value: string | readonly string[]) {
    if (secrets.size === 0) return appendHeader.call(this, name, value);
    if (secrets.redact(name) !== name) return this;
    return appendHeader.call(this, name, scrubValue(value as OutgoingHttpHeader, secrets) as string | string[]);
  };
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (secrets.size === 0) return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...rest);
    const lengthFree = direct();
    const args = rest.map((a) => (a && typeof a === 'object' ? scrubHeaderBlock(a, secrets, lengthFree) : a));
    if (lengthFree && this.hasHeader('content-length')) this.removeHeader('content-length');
    return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...args);
  } as ServerResponse['writeHead'];
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (!direct()) return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    return (write as (...a: unknown[]) => boolean).call(this, scrubChunk(chunk, rest[0]), ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!direct()) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    const [first, second] = args;
    const isData = first !== undefined && first !== null && typeof first !== 'function';
    const body = isData ? (scrubChunk(first, second) as Buffer) : undefined;
    const tail = redactor?.end();
    const last = body && tail?.length ? Buffer.concat([body, tail]) : (body ?? tail);
    const callback = args.find((a) => typeof a === 'function');
    return (end as (...a: unknown[]) => ServerResponse).call(this, last ?? '', ...(callback ? [callback] : []));
  } as ServerResponse['end'];
}

/**
 * writeHead's headers, as an object or a flat [name, value, …] list: secret-bearing names dropped, values
 * masked, and without Content-Length when the body will be masked as it is written.
 */
function scrubHeaderBlock(block: object, secrets: Secrets, dropLength: boolean): object {
  if (Array.isArray(block)) {
    const out: unknown[] = [];
    for (let i = 0; i + 1 < block.length; i += 2) {
      const name = String(block[i]);
      if (secrets.redact(name) !== name || (dropLength && name.toLowerCase() === 'content-length')) continue;
      out.push(name, scrubValue(block[i + 1] as OutgoingHttpHeader, secrets));
    }
    return out;
  }
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(block as OutgoingHttpHeaders)) {
    if (value === undefined || secrets.redact(name) !== name) continue;
    if (dropLength && name.toLowerCase() === 'content-length') continue;
    out[name] = scrubValue(value, secrets);
  }
  return out;
}
