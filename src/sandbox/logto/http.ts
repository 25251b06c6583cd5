// How Logto's koa stack reads request bodies and writes JSON responses (koa-body, koa-body-etag;
// contract §1.3, §1.5), for fastify handlers.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { PlainError } from './errors.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

// co-body's strict mode: a JSON body must open with an object or an array.
const STRICT_JSON = /^[ \t\n\r]*[[{]/;

/**
 * The body as koa-body would hand it to the guard: parsed JSON, a flat form, a string for text/*,
 * and `{}` for no body or any other type. Malformed JSON is a 400 with only a message.
 */
export function readBody(request: FastifyRequest): unknown {
  const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  const type = mediaType(request.headers);
  if (type === 'application/json' || type.endsWith('+json') || type === 'application/csp-report') {
    if (raw === '') return {};
    if (!STRICT_JSON.test(raw)) throw new PlainError(400, 'invalid JSON, only supports object and array');
    try {
      return JSON.parse(raw) as unknown;
    } catch (error) {
      throw new PlainError(400, (error as Error).message);
    }
  }
  if (type === 'application/x-www-form-urlencoded') return { ...parseQueryString(raw) };
  if (type.startsWith('text/')) return raw;
  return {};
}

export function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The `etag` package's strong tag of a string body. */
export function etagOf(text: string): string {
  const hash = createHash('sha1').update(text, 'utf8').digest('base64').slice(0, 27);
  return `"${Buffer.byteLength(text).toString(16)}-${hash}"`;
}

/** The `fresh` package's rule, for a response that has an ETag and no Last-Modified. */
export function isFresh(headers: IncomingHttpHeaders, etag: string): boolean {
  const noneMatch = headers['if-none-match'];
  if (!noneMatch || headers['if-modified-since'] !== undefined) return false;
  if (/(?:^|,)\s*?no-cache\s*?(?:,|$)/.test(headers['cache-control'] ?? '')) return false;
  if (noneMatch.trim() === '*') return true;
  return noneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === etag || t === `W/${etag}` || `W/${t}` === etag;
  });
}

/** JSON reply; successful GETs get an ETag and honour If-None-Match with 304 (koa-body-etag). */
export function sendJson(request: FastifyRequest, reply: FastifyReply, status: number, value: unknown): FastifyReply {
  const text = JSON.stringify(value);
  if (request.method === 'GET' && status >= 200 && status < 300) {
    const etag = etagOf(text);
    reply.header('ETag', etag);
    if (isFresh(request.headers, etag)) return reply.code(304).send();
  }
  return reply.code(status).type(JSON_TYPE).send(text);
}

/** koa's `request.URL.origin`: protocol and Host header; empty (a relative link) without a Host. */
export function requestOrigin(request: FastifyRequest): string {
  const host = request.headers.host;
  return host ? `http://${host}` : '';
}
