// HTTP-level failures → the runtime's error catalogue: what fastify's parsers, router and limits raise,
// and what Node's HTTP parser refuses before a request object exists. Adapters render the result.

import { STATUS_CODES } from 'node:http';
import { RuntimeError } from '../errors.js';
import type { WireError } from './http-app.js';

/** fastify's router refuses longer path segments with a 414; well above a path argument's own limit. */
export const MAX_ROUTER_PARAM = 4096;

/** Fastify's own errors (parsers, limits) → our catalogue, so every adapter reports them alike. */
export function fromFastifyError(err: unknown): RuntimeError {
  if (err instanceof RuntimeError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RuntimeError('NAF_ERR_BODY_TOO_LARGE', 'Request body is larger than the limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new RuntimeError('NAF_ERR_UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new RuntimeError('NAF_ERR_MALFORMED_REQUEST', 'Content-Length does not match the body');
    case 'FST_ERR_BAD_URL':
      return new RuntimeError('NAF_ERR_MALFORMED_REQUEST', 'The path is not valid percent-encoded UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new RuntimeError('NAF_ERR_URI_TOO_LONG', `A path segment is longer than ${MAX_ROUTER_PARAM} characters`);
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new RuntimeError('NAF_ERR_INVALID_ARGUMENT', e.message ?? 'Bad request');
  return new RuntimeError('NAF_ERR_INTERNAL', 'Internal error', {}, { cause: err });
}

/** Node's HTTP parser errors (bad framing, oversized headers, slow senders). */
export function fromClientError(err: Error & { code?: string }): RuntimeError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new RuntimeError('NAF_ERR_HEADERS_TOO_LARGE', 'Request line and headers are over the size limit (16 KiB)');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new RuntimeError('NAF_ERR_MALFORMED_REQUEST', 'The request was not received in time');
    default:
      return new RuntimeError('NAF_ERR_MALFORMED_REQUEST', `Malformed HTTP request (${err.code ?? 'parse error'})`);
  }
}

/** A whole response written straight to the socket: there is no request or reply object to use. */
export function rawResponse(wire: WireError, requestId: string): string {
  return (
    `HTTP/1.1 ${wire.status} ${STATUS_CODES[wire.status] ?? ''}\r\nContent-Type: ${wire.contentType}\r\n` +
    `Content-Length: ${Buffer.byteLength(wire.body)}\r\nConnection: close\r\nx-request-id: ${requestId}\r\n\r\n${wire.body}`
  );
}

/** RFC 9112 §3.2 allows one Host header; Node keeps the first of several. */
export function hostLines(raw: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === 'host') n++;
  return n;
}
