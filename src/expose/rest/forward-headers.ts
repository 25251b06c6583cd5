// Which headers cross a forward, each way. Up: only the resource's `trustedHeaders` (and the body's
// own media type), never a hop-by-hop one nor the adapter's inbound credential. Down: the upstream's
// headers minus hop-by-hop ones, framing we recompute, and cookies unless the caller's cookie is trusted.

import type { IncomingHttpHeaders } from 'node:http';
import { HOP_BY_HOP, NEVER_FORWARDED } from '../../binding/forward.js';
import type { InboundAuth } from '../inbound-auth.js';

/** Describe the entity a body carries; they travel with it as in the engine (the request's representation). */
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-length'];

/** Never passed back: connection-level, recomputed by us, or naming the upstream's own endpoints. */
const NOT_RETURNED = new Set<string>([...HOP_BY_HOP, 'content-length', 'x-request-id', 'alt-svc']);

/** Where this adapter's own inbound credential travels: it is ours, never the upstream's. */
export function inboundCredential(auth: InboundAuth | undefined): { header?: string; query?: string } {
  const s = auth?.securityScheme as { type?: string; in?: string; name?: string } | undefined;
  if (!s) return {};
  if (s.type === 'apiKey' && s.in === 'query' && s.name) return { query: s.name };
  if (s.type === 'apiKey' && s.name) return { header: s.name.toLowerCase() };
  return { header: 'authorization' };
}

export function callerHeaders(
  headers: IncomingHttpHeaders,
  trusted: readonly string[],
  inboundHeader: string | undefined,
  hasBody: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  const names = [...trusted, ...(hasBody ? BODY_HEADERS : [])];
  for (const name of names) {
    if (name === inboundHeader || (NEVER_FORWARDED.has(name) && name !== 'content-length')) continue;
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  }
  return out;
}

export function replyHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  opts: { cookies: boolean; head: boolean },
): Array<[string, string | string[]]> {
  const out: Array<[string, string | string[]]> = [];
  for (const [raw, value] of Object.entries(headers)) {
    const name = raw.toLowerCase();
    if (value === undefined) continue;
    // A HEAD answer has no body to measure: the upstream's length is the only one there is.
    if (name === 'content-length' && opts.head) {
      out.push([name, value]);
      continue;
    }
    if (NOT_RETURNED.has(name) || (name === 'set-cookie' && !opts.cookies)) continue;
    out.push([name, value]);
  }
  return out;
}
