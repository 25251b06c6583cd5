// The last N calls the business adapters served, most recent first, for `/traces`. Not OpenTelemetry:
// a "trace" here is one served request, its id the request id (the `x-request-id` header and the
// access line's `reqId`), with one SERVER span. Upstream calls are not separate spans.

import { randomBytes } from 'node:crypto';
import type { Observation } from '../metrics.js';

export interface SpanSummary {
  readonly spanId: string;
  readonly name: string;
  readonly kind: 'SERVER';
  readonly durationMs: number;
  readonly status: 'OK' | 'ERROR';
}

export interface TraceSummary {
  readonly traceId: string;
  /** The binding id; `<adapter> (no binding)` for a request no route took (404, 401 …). */
  readonly operation: string;
  readonly adapter: string;
  readonly durationMs: number;
  /** ERROR when the answer was a 5xx, as OpenTelemetry marks server spans. */
  readonly status: 'OK' | 'ERROR';
  readonly httpStatus: number;
  readonly upstreamStatus?: number;
  readonly error?: string;
  readonly timestamp: string;
  readonly spanCount: number;
  readonly spans: readonly SpanSummary[];
}

export class TraceBuffer {
  readonly #items: Array<TraceSummary | undefined>;
  #head = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`trace buffer capacity must be an integer of at least 1, got ${capacity}`);
    this.#items = new Array<TraceSummary | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  add(trace: TraceSummary): void {
    this.#items[this.#head] = trace;
    this.#head = (this.#head + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size += 1;
  }

  /** Most recent first. */
  all(): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (let i = 0; i < this.#size; i++)
      out.push(this.#items[(this.#head - 1 - i + this.capacity) % this.capacity] as TraceSummary);
    return out;
  }

  find(traceId: string): TraceSummary | undefined {
    return this.all().find((t) => t.traceId === traceId);
  }
}

/** A served call as a trace summary; undefined for what is not a call (health probes, /metrics scrapes). */
export function traceOf(adapter: string, o: Observation, now = new Date()): TraceSummary | undefined {
  if (o.binding === undefined && o.errorCode === undefined) return undefined;
  const durationMs = Math.round(o.durationMs * 10) / 10;
  const status = o.status >= 500 ? 'ERROR' : 'OK';
  const operation = o.binding ?? `${adapter} (no binding)`;
  return {
    traceId: o.requestId ?? randomBytes(16).toString('hex'),
    operation,
    adapter,
    durationMs,
    status,
    httpStatus: o.status,
    ...(o.upstreamStatus !== undefined ? { upstreamStatus: o.upstreamStatus } : {}),
    ...(o.errorCode !== undefined ? { error: o.errorCode } : {}),
    timestamp: new Date(now.getTime() - o.durationMs).toISOString(),
    spanCount: 1,
    spans: [{ spanId: randomBytes(8).toString('hex'), name: operation, kind: 'SERVER', durationMs, status }],
  };
}
