// The contract between adapters and the pipeline: what a call needs and what it returns.

import type { Logger } from 'pino';
import type { InboundTrace } from './telemetry/types.js';

export interface InvokeContext {
  /** Aborted when the caller goes away (closed REST connection, cancelled MCP call). */
  readonly signal?: AbortSignal;
  readonly log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  readonly requestId: string;
  /** The caller's W3C trace context (REST `traceparent` header, MCP `_meta.traceparent`), for the call's span. */
  readonly trace?: InboundTrace;
}

/** What the upstream answered, after output projection. Upstream 4xx/5xx are outcomes, not errors. */
export interface InvokeOutcome {
  readonly status: number;
  /** Pass-through headers (lower-case names): total-number, link, retry-after, etag. */
  readonly headers: Readonly<Record<string, string>>;
  /** Projected JSON body for 2xx; the upstream JSON error body for >= 400; undefined when empty (204). */
  readonly body: unknown;
  /**
   * The body as the upstream's JSON bytes, when it is passed on unchanged (an identity output of a 2xx answer
   * that plain-json.ts let through): an adapter may send these instead of serialising `body` (which parses
   * them when read). Not yet scrubbed of secrets: the adapter's scrubber must see them.
   */
  readonly json?: Buffer;
  /** What the (last) upstream answered; absent when the plan called none (a mock, a plan of lookups and scripts). */
  readonly upstreamStatus?: number;
}
