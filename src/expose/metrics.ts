// Prometheus metrics for one adapter, in the text exposition format (version 0.0.4). Fed by the same
// hook that writes the access log line, so both always agree. Labels are bounded by construction:
// binding ids come from the table, statuses and error codes from closed sets; never a URL or an id.

import { ERRORS, type ErrorCode } from '../errors.js';

export interface Observation {
  readonly binding?: string | undefined;
  readonly status: number;
  readonly durationMs: number;
  readonly upstreamStatus?: number | undefined;
  readonly errorCode?: string | undefined;
  /** The request id (not a label: for listeners such as the control adapter's recent-calls buffer). */
  readonly requestId?: string | undefined;
}

// Upstream calls take tens of milliseconds to seconds; the call deadline is 30 s by default.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

interface LabelKeys {
  /** `adapter="…",binding="…"` */
  readonly binding: string;
  /** `adapter="…",binding="…",status="…"` */
  readonly status: (status: number) => string;
}

export class AdapterMetrics {
  readonly #adapter: string;
  readonly #requests = new Map<string, number>();
  readonly #durations = new Map<string, Histogram>();
  readonly #upstream = new Map<string, number>();
  readonly #errors = new Map<string, number>();
  readonly #listeners = new Set<(o: Observation) => void>();
  readonly #keys = new Map<string, LabelKeys>();
  /** Set when a reload replaced this adapter's app: the old app's last calls count in the new one's series. */
  #successor: AdapterMetrics | undefined;

  constructor(adapter: string) {
    this.#adapter = adapter;
  }

  get adapter(): string {
    return this.#adapter;
  }

  /** Calls `listener` after each observation; returns the unsubscribe function. */
  subscribe(listener: (o: Observation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes over `previous`'s counters (a reload swapped the app), so series never reset at a reload. */
  continueFrom(previous: AdapterMetrics): void {
    for (const [k, n] of previous.#requests) this.#requests.set(k, n);
    for (const [k, h] of previous.#durations) this.#durations.set(k, h);
    for (const [k, n] of previous.#upstream) this.#upstream.set(k, n);
    for (const [k, n] of previous.#errors) this.#errors.set(k, n);
    previous.#successor = this;
  }

  observe(o: Observation): void {
    if (this.#successor) return this.#successor.observe(o);
    for (const listener of this.#listeners) listener(o);
    const binding = o.binding ?? '';
    const keys = this.#keysOf(binding);
    bump(this.#requests, keys.status(o.status));
    let h = this.#durations.get(keys.binding);
    if (!h) this.#durations.set(keys.binding, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    const seconds = o.durationMs / 1000;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) h.counts[i]! += 1;
    h.sum += seconds;
    h.count += 1;
    if (o.upstreamStatus !== undefined) bump(this.#upstream, keys.status(o.upstreamStatus));
    if (o.errorCode !== undefined) {
      const kind = ERRORS[o.errorCode as ErrorCode]?.kind ?? 'internal';
      bump(this.#errors, labels({ adapter: this.#adapter, binding, code: o.errorCode, kind }));
    }
  }

  /**
   * The label strings of one binding, built once: escaping and joining them on every request cost more than
   * the rest of the observation. Bounded like the labels themselves (bindings from the table, HTTP statuses).
   */
  #keysOf(binding: string): LabelKeys {
    let keys = this.#keys.get(binding);
    if (!keys) {
      const adapter = this.#adapter;
      const byStatus = new Map<number, string>();
      keys = {
        binding: labels({ adapter, binding }),
        status: (status) => {
          let key = byStatus.get(status);
          if (key === undefined) byStatus.set(status, (key = labels({ adapter, binding, status: String(status) })));
          return key;
        },
      };
      this.#keys.set(binding, keys);
    }
    return keys;
  }

  render(): string {
    return AdapterMetrics.renderAll([this]);
  }

  /** Several adapters in one exposition (the control adapter's /metrics): each family once, their series together. */
  static renderAll(all: readonly AdapterMetrics[]): string {
    // Two adapters of one kind share label sets (the unrouted binding ''): their series add up.
    const merged = (pick: (m: AdapterMetrics) => Map<string, number>) => {
      const sum = new Map<string, number>();
      for (const m of all) for (const [k, n] of pick(m)) sum.set(k, (sum.get(k) ?? 0) + n);
      return sum;
    };
    const durations = new Map<string, Histogram>();
    for (const m of all)
      for (const [k, h] of m.#durations) {
        const into = durations.get(k) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
        h.counts.forEach((n, i) => (into.counts[i]! += n));
        into.sum += h.sum;
        into.count += h.count;
        durations.set(k, into);
      }
    const out: string[] = [];
    counter(
      out,
      'runtime_requests_total',
      'Requests served, by binding and HTTP status.',
      merged((m) => m.#requests),
    );
    out.push(
      '# HELP runtime_request_duration_seconds Time from request received to response sent.',
      '# TYPE runtime_request_duration_seconds histogram',
    );
    for (const [key, h] of durations) {
      BUCKETS.forEach((le, i) => out.push(`runtime_request_duration_seconds_bucket{${key},le="${le}"} ${h.counts[i]}`));
      out.push(`runtime_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`);
      out.push(`runtime_request_duration_seconds_sum{${key}} ${h.sum}`);
      out.push(`runtime_request_duration_seconds_count{${key}} ${h.count}`);
    }
    counter(
      out,
      'runtime_upstream_responses_total',
      'Upstream responses, by binding and status.',
      merged((m) => m.#upstream),
    );
    counter(
      out,
      'runtime_errors_total',
      'Requests the runtime answered with an error of its own, by binding, code and kind.',
      merged((m) => m.#errors),
    );
    const mem = process.memoryUsage();
    out.push(
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use, in bytes.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
      '# HELP process_start_time_seconds Start time of the process since the Unix epoch, in seconds.',
      '# TYPE process_start_time_seconds gauge',
      `process_start_time_seconds ${Math.round(Date.now() / 1000 - process.uptime())}`,
    );
    return `${out.join('\n')}\n`;
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function counter(out: string[], name: string, help: string, values: Map<string, number>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
  for (const [key, n] of values) out.push(`${name}{${key}} ${n}`);
}

function labels(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}
