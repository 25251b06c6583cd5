// The caller's W3C trace context, as each adapter receives it: REST in the `traceparent`/`tracestate`
// headers, MCP in `params._meta` (the MCP convention for trace context). The propagator checks the format.

import type { InboundTrace } from './types.js';

// W3C Trace Context: traceparent is 55 characters in version 00; tracestate at most 512.
const MAX = { traceparent: 128, tracestate: 512 } as const;

/** `{ trace }` to spread into an InvokeContext; nothing when the caller sent no trace context. */
export function inboundTrace(source: Readonly<Record<string, unknown>> | undefined): { trace?: InboundTrace } {
  const traceparent = pick(source?.['traceparent'], MAX.traceparent);
  if (!traceparent) return {};
  const tracestate = pick(source?.['tracestate'], MAX.tracestate);
  return { trace: { traceparent, ...(tracestate ? { tracestate } : {}) } };
}

function pick(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}
