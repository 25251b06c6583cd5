// CORS for browser clients (MCP web clients, API explorers), off unless origins are configured. Preflights
// are answered by @fastify/cors before authentication (a preflight carries no credentials); a preflight from
// an origin not on the list is refused with a 403 in the adapter's own error format. The headers MCP
// clients must read (session, protocol version, the auth challenge) are exposed.

import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { RuntimeError } from '../../errors.js';
import { isPreflight } from './hook.js';

export const CORS_EXPOSED_HEADERS = [
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
  'WWW-Authenticate',
  'X-Request-Id',
  'Retry-After',
  'Link',
  'Total-Number',
  'ETag',
];

export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** `https://App.example.com:443/` → `https://app.example.com` (the form a browser sends in Origin). */
export function normalizeOrigin(text: string): string {
  if (text === '*') return text;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`'${text}' is not an http(s) origin`);
  return url.origin;
}

/** Registers the plugin; `then` runs once its hook is in place, so hooks added there run after it. */
export function installCors(app: FastifyInstance, origins: readonly string[], then: () => void): void {
  const allowed = new Set(origins.map(normalizeOrigin));
  const allows = (origin: string | undefined): boolean =>
    origin !== undefined && (allowed.has('*') || allowed.has(origin.toLowerCase()));
  void app.register(cors, {
    origin: (origin, cb) => cb(null, allows(origin) ? (origin as string) : false),
    methods: CORS_METHODS,
    // Reflects the requested headers (MCP adds Mcp-Method, Mcp-Name and x-mcp-header parameters): the
    // origin is already on the list, and no cookie is ever honoured (credentials: false).
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
  app.after(() => {
    app.addHook('onRequest', async (req) => {
      if (isPreflight(req) && !allows(req.headers.origin))
        throw new RuntimeError('NAF_ERR_FORBIDDEN_HOST', `Origin ${req.headers.origin ?? ''} is not allowed (CORS)`);
    });
    then();
  });
}
