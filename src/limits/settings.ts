// Every bound the runtime keeps under load, with its default (docs/safety.md, "Limits"). One object, resolved
// once at start-up from flags and environment (src/cli/limits-options.ts); the servers, the call gate, the
// response byte budget and the rate limiter each read their part.

/** `quota` calls per `windowMs`, per key. */
export interface RateSpec {
  readonly quota: number;
  readonly windowMs: number;
}

export interface Limits {
  /** Open connections per adapter; past it the oldest idle one is closed, or the new one refused with 503. */
  readonly maxConnections: number;
  /** A connection that sends no byte for this long after it opens is closed. */
  readonly firstByteTimeoutMs: number;
  /** From a request's first byte (or the connection's start) to its last header line. */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly idleTimeoutMs: number;
  /** A response the client stops reading (its bytes stuck in our send buffer) is cut after this. */
  readonly sendTimeoutMs: number;
  /** Calls running at once, all adapters together (forwards included). */
  readonly maxInflight: number;
  /** Upstream exchanges running at once per consumed namespace; also its undici pool's connection count. */
  readonly maxInflightPerUpstream: number;
  /** Calls that may wait for a slot (per gate); past it a call is shed at once. */
  readonly maxQueue: number;
  /** The longest a queued call waits for a slot before it is shed. */
  readonly queueTimeoutMs: number;
  /** Messages in one JSON-RPC batch (the MCP 2025-03-26 era). */
  readonly maxBatch: number;
  /** Upstream response bytes held in memory at once, all calls together. */
  readonly bufferBudget: number;
  /** Per caller and per REST route / MCP tool; absent: off. */
  readonly rateLimit?: RateSpec;
  /** Per caller across every route or tool of an adapter; absent: off. */
  readonly rateLimitCaller?: RateSpec;
}

export const DEFAULT_LIMITS: Limits = {
  maxConnections: 1024,
  firstByteTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  // Above the 60 s idle timeout of common load balancers (AWS ALB), so they never reuse a socket we close.
  idleTimeoutMs: 72_000,
  sendTimeoutMs: 30_000,
  maxInflight: 256,
  maxInflightPerUpstream: 64,
  maxQueue: 256,
  queueTimeoutMs: 5_000,
  maxBatch: 50,
  bufferBudget: 256 * 1024 * 1024,
};

export function resolveLimits(given: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...given };
}
