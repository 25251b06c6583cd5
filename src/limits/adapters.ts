// Where the limits meet the adapters: the REST rate limit as an onRequest hook (per route, with the RateLimit
// header fields on every answer it counts), the MCP one per tools/call (a batch of ten calls is ten), and the
// MCP batch size.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import { RuntimeError } from '../errors.js';
import type { Invoke } from '../invoke.js';
import { callerKey, rateHeaders, rateLimited, type RateLimiter } from './rate.js';

/** Never counted: probes and scrapes must answer however busy a caller is. */
const EXEMPT = /^\/(health\/|metrics(\?|$)|\.well-known\/)/;

export function installRestRateLimit(app: FastifyInstance, limiter: RateLimiter): void {
  if (!limiter.enabled) return;
  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route || EXEMPT.test(req.url)) return;
    const target = `${req.method} ${route}`;
    const verdict = limiter.hit(callerKey(req.headers, req.ip), target);
    if (!verdict) return;
    reply.headers(rateHeaders(verdict));
    if (!verdict.ok) throw rateLimited(verdict, target);
  });
}

/** The MCP side: who sent the HTTP request a tools/call arrived in, for the per-call rate limit. */
export class McpCallers {
  readonly #scope = new AsyncLocalStorage<string>();

  constructor(readonly limiter: RateLimiter) {}

  /** Runs the SDK's handling of one HTTP request as that caller's. */
  run<T>(headers: Parameters<typeof callerKey>[0], ip: string, fn: () => T): T {
    return this.#scope.run(callerKey(headers, ip), fn);
  }

  /** Each tools/call counts against the caller's quota for that tool (and overall). */
  wrap(invoke: Invoke): Invoke {
    if (!this.limiter.enabled) return invoke;
    return async (binding, raw, ctx) => {
      const caller = this.#scope.getStore();
      const tool = binding.expose.kind === 'mcp' ? binding.expose.name : binding.id;
      const verdict = caller === undefined ? undefined : this.limiter.hit(caller, tool);
      if (verdict && !verdict.ok) throw rateLimited(verdict, `tool '${tool}'`);
      return invoke(binding, raw, ctx);
    };
  }
}

/** A JSON-RPC batch past the limit is refused whole, before any of it runs. */
export function checkBatch(body: unknown, maxBatch: number): void {
  if (Array.isArray(body) && body.length > maxBatch)
    throw new RuntimeError(
      'NAF_ERR_MALFORMED_REQUEST',
      `The JSON-RPC batch has ${body.length} messages; at most ${maxBatch} are accepted in one batch`,
    );
}
