// The limits as the composition root hands them out: one gate, one byte budget and one rate limiter per
// runtime (shared by every generation a reload builds), and what each adapter and server needs of them.

import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ConsumerLimits } from '../consume/http.js';
import { installRestRateLimit, McpCallers } from './adapters.js';
import { ByteBudget } from './budget.js';
import { Gate } from './gate.js';
import { RateLimiter } from './rate.js';
import { applyServerLimits } from './server.js';
import { resolveLimits, type Limits } from './settings.js';

export interface RuntimeLimits {
  readonly limits: Limits;
  readonly gate: Gate;
  readonly consumer: ConsumerLimits;
  /** Bounds an adapter's listening server (before it listens). */
  serve(server: Server, log: Logger): void;
  /** Adds the REST rate limit to a REST app. */
  rest(app: FastifyInstance, namespace: string): void;
  /** The MCP app's share: batch size and the per-call rate limit. */
  mcp(namespace: string): { readonly maxBatch: number; readonly callers?: McpCallers };
}

export function runtimeLimits(given: Partial<Limits> | undefined): RuntimeLimits {
  const limits = resolveLimits(given);
  const gate = new Gate(limits);
  const budget = new ByteBudget(limits.bufferBudget);
  const enabled = Boolean(limits.rateLimit || limits.rateLimitCaller);
  // One limiter per adapter, kept across reloads (a reload must not hand every caller a fresh quota).
  const limiters = new Map<string, RateLimiter>();
  const limiter = (namespace: string) => {
    let l = limiters.get(namespace);
    if (!l) limiters.set(namespace, (l = new RateLimiter(limits.rateLimit, limits.rateLimitCaller)));
    return l;
  };
  return {
    limits,
    gate,
    consumer: { gate, budget, connections: limits.maxInflightPerUpstream },
    serve: (server, log) => applyServerLimits(server, limits, log),
    rest: (app, namespace) => installRestRateLimit(app, limiter(namespace)),
    mcp: (namespace) => ({
      maxBatch: limits.maxBatch,
      ...(enabled ? { callers: new McpCallers(limiter(namespace)) } : {}),
    }),
  };
}
