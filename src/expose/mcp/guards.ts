// DNS-rebinding protection for /mcp: the Host and Origin headers must name an allowed host (403 otherwise).
// The SDK's handler does no such check by design (mcp-sdk-v2.md §5). Loopback names are always allowed;
// deployments behind a proxy add the public names it forwards. Health endpoints are not guarded, so a
// probe that reaches the pod by IP still works.

import {
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  validateHostHeader,
  validateOriginHeader,
} from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasLoneSurrogate } from '../../json-strict.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
type Check = (
  header: string | undefined,
  allowed: string[],
) => { ok: true } | { ok: false; errorCode: string; message: string };

/** onRequest hooks that refuse a Host or an Origin outside the allow-lists. */
export function hostAndOriginGuards(
  allowedHosts: readonly string[] = [],
  allowedOrigins: readonly string[] = [],
): Hook[] {
  const hosts = [...new Set([...localhostAllowedHostnames(), ...allowedHosts.map(hostnameOf)])];
  const origins = [...new Set([...localhostAllowedOrigins(), ...allowedOrigins.map(originHostnameOf)])];
  return [
    guard(validateHostHeader, (req) => req.headers.host, hosts),
    guard(validateOriginHeader, (req) => req.headers.origin, origins),
  ];
}

function guard(check: Check, header: (req: FastifyRequest) => string | undefined, allowed: string[]): Hook {
  return async (req, reply) => {
    const result = check(header(req), allowed);
    if (result.ok) return;
    req.errorCode = 'NAF_ERR_FORBIDDEN_HOST';
    await reply
      .code(403)
      .type('application/json')
      .send({ jsonrpc: '2.0', error: { code: -32000, message: result.message }, id: null });
  };
}

/**
 * The SDK compares the lower-cased hostname without port, IPv6 in brackets, no wildcards; accept
 * what people write (`MCP.example.com:443`, `::1`) and store it in that form.
 */
export function hostnameOf(entry: string): string {
  const e = entry.trim();
  const bracketed = !e.startsWith('[') && e.split(':').length > 2 ? `[${e}]` : e;
  try {
    return new URL(`http://${bracketed}`).hostname;
  } catch {
    return e.toLowerCase();
  }
}

/** Origins may be listed as `https://app.example.com` or as a hostname; `moz-extension://*` stays as is. */
export function originHostnameOf(entry: string): string {
  const e = entry.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\/\*$/i.test(e)) return e.toLowerCase();
  if (!e.includes('://')) return hostnameOf(e);
  try {
    return new URL(e).hostname;
  } catch {
    return e.toLowerCase();
  }
}

/**
 * What is wrong with a parsed JSON-RPC message before the SDK sees it, or undefined. Depth and duplicate
 * keys were refused by the body parser (json-strict.ts); here: a batch that repeats a request id (its
 * answers could not be told apart, and both calls would run), and invalid text anywhere outside the
 * tool arguments (those are checked per argument by the binding, so the tool error names the argument).
 */
export function messageProblem(message: unknown): string | undefined {
  const batch = Array.isArray(message) ? message : [message];
  const ids = new Set<string>();
  for (const m of batch) {
    const id = (m as { id?: unknown } | null)?.id;
    if (id === undefined || id === null) continue;
    const key = `${typeof id}:${String(id)}`;
    if (ids.has(key)) return `the batch has more than one request with id ${JSON.stringify(id)}`;
    ids.add(key);
  }
  const stack: Array<[value: unknown, at: string]> = batch.map((m, i) => [m, Array.isArray(message) ? `[${i}]` : '']);
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, at] = item;
    if (typeof v === 'string') {
      if (hasLoneSurrogate(v)) return `${at || 'the message'} is not valid Unicode (a lone UTF-16 surrogate)`;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v)) {
      const where = at ? `${at}.${k}` : k;
      if (hasLoneSurrogate(k)) return `a key in ${at || 'the message'} is not valid Unicode (a lone UTF-16 surrogate)`;
      if (/(^|\.)params\.arguments$/.test(where)) continue;
      stack.push([child, where]);
    }
  }
  return undefined;
}
