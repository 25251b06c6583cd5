// What the pipeline and the consumer see of tracing: two hooks and a shutdown. Type-only, so importing it
// costs nothing when tracing is off (the OpenTelemetry SDK is loaded only when it is on: settings.ts).

import type { Invoke } from '../invoke.js';

/** The W3C trace context a caller sent: the REST `traceparent` header, or MCP `params._meta.traceparent`. */
export interface InboundTrace {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** One HTTP request to an upstream (one attempt of a call: a retry is another). */
export interface UpstreamExchange {
  readonly namespace: string;
  readonly method: string;
  /** Origin and path only: a query may carry an API key (auth in query) or an e-mail. */
  readonly url: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export interface CallTracer {
  /** The pipeline with one span per call (a REST route or an MCP tool) around it. */
  wrap(invoke: Invoke): Invoke;
  /** Runs one upstream request in a child span of the current call; `send` adds `headers` (traceparent). */
  upstream<T extends { readonly status: number }>(
    exchange: UpstreamExchange,
    send: (headers: Readonly<Record<string, string>>) => Promise<T>,
  ): Promise<T>;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}
