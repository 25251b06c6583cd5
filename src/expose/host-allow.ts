// Which `Host` names an HTTP adapter answers to: loopback names, the address it listens on (every local
// interface address when that is a wildcard), and each `--allowed-host`. The REST adapter writes the
// Host into OpenAPI `servers` and rewritten `Link`s, and MCP, skill and control pages can be read through
// a DNS-rebinding page: a forged Host must be refused before it is reflected or served.

import { hostname, networkInterfaces } from 'node:os';
import { localhostAllowedHostnames, validateHostHeader } from '@modelcontextprotocol/server';
import type { FastifyInstance } from 'fastify';
import { RuntimeError } from '../errors.js';
import { hostnameOf } from './mcp/guards.js';

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** The names a listener on `listen` is reached by without a proxy, for the allow-list. */
export function listenHostnames(listen: string | undefined): string[] {
  if (listen === undefined) return [];
  if (!WILDCARDS.has(listen)) return [listen];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .map((i) => i?.address)
    .filter((a): a is string => Boolean(a));
  return [...addresses, hostname()];
}

/** Loopback names, the listen address's and the extra ones, in the form the SDK's check compares. */
export function allowedHostnames(listen: string | undefined, extra: readonly string[] = []): string[] {
  return [...new Set([...localhostAllowedHostnames(), ...[...listenHostnames(listen), ...extra].map(hostnameOf)])];
}

/**
 * Refuse (403 NAF_ERR_FORBIDDEN_HOST, in the adapter's error form) a request whose Host is not allowed.
 * Health probes are exempt, so a probe that reaches the pod by an address not listed still works.
 */
export function installHostGuard(app: FastifyInstance, allowed: readonly string[]): void {
  const hosts = [...allowed];
  // Host values already found allowed: a caller sends the same one on every request, and the SDK's check
  // parses it as a URL each time. Bounded, so a flood of distinct (allowed) spellings cannot grow it.
  const seen = new Set<string>();
  app.addHook('onRequest', (req, _reply, done) => {
    const host = req.headers.host;
    if ((host !== undefined && seen.has(host)) || req.url.startsWith('/health/')) return done();
    const result = validateHostHeader(host, hosts);
    if (!result.ok)
      return done(
        new RuntimeError('NAF_ERR_FORBIDDEN_HOST', `${result.message} (add it with --allowed-host to serve it)`),
      );
    if (host !== undefined && seen.size < 64) seen.add(host);
    done();
  });
}
