// Small statistics over samples: percentiles of latencies within one run, and the median and range
// of a figure across rounds (what RESULTS.md prints as "median (min–max)").

/** The q-quantile (0..1) of an ascending array, nearest rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** p50/p99 (ms) of a Float64Array of latencies in ms, sorted in place. */
export function latencySummary(samples) {
  samples.sort();
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99), n: samples.length };
}

/** Median, min and max of the finite numbers in `values`. */
export function spread(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

/** A growable Float64Array for latency samples (no per-sample allocation during a run). */
export class Samples {
  constructor(capacity = 1 << 16) {
    this.data = new Float64Array(capacity);
    this.length = 0;
  }
  push(x) {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  summary() {
    return latencySummary(this.data.subarray(0, this.length));
  }
}
