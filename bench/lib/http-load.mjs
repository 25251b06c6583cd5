// HTTP load: closed-loop throughput with autocannon, and an open-loop, evenly paced generator.
//
// autocannon's own latency histogram has 1 ms resolution (lowestDiscernibleValue 1), too coarse for a
// ~1 ms proxy, so every response time is also taken from its 'response' event (float ms) and the
// percentiles are ours. Its run only stops on a sampling tick, so sampleInt is short (100 ms) to make
// sub-second durations mean what they say.
//
// autocannon's -R (overallRate) sends each second's quota as fast as the connections allow, so the
// "paced" figures come from pacedLoad() instead: one request every 1/rate s on an undici Pool, latency
// measured from the moment each request is handed to the socket.

import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import autocannon from 'autocannon';
import { fetch, Pool } from 'undici';
import { Samples } from './stats.mjs';

/**
 * Closed loop: `connections` sockets, each sending its next request as soon as the last one answered.
 * @returns {Promise<{ requests: number, rps: number, p50: number, p99: number, non2xx: number, errors: number, timeouts: number, seconds: number, statusCodes: object }>}
 */
export async function closedLoop({ url, method = 'GET', headers = {}, body, connections, duration }) {
  const samples = new Samples();
  const instance = autocannon({
    url,
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    connections,
    duration,
    sampleInt: 100,
    timeout: 10,
  });
  instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms));
  const r = await instance;
  const { p50, p99 } = samples.summary();
  const requests = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  return {
    requests,
    rps: requests / r.duration,
    p50,
    p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
  };
}

/**
 * Open loop at an even `rate` (requests/s) for `duration` s. Requests that fall due while the timer was
 * late are sent together at the next wake-up; `maxLagMs` reports how late the worst one was sent.
 */
export async function pacedLoad({
  origin,
  path,
  method = 'GET',
  headers = {},
  body,
  rate,
  duration,
  connections = 32,
}) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const samples = new Samples(rate * duration + 16);
  const total = Math.round(rate * duration);
  const interval = 1000 / rate;
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  let maxLagMs = 0;
  const inflight = new Set();
  const one = async () => {
    const t0 = performance.now();
    try {
      const res = await pool.request({ path, method, headers, ...(body === undefined ? {} : { body }) });
      await res.body.dump();
      if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
      samples.push(performance.now() - t0);
    } catch {
      errors++;
    }
  };
  // Open the sockets first, so the first paced requests do not pay for connecting.
  await Promise.all(
    Array.from({ length: connections }, () =>
      pool.request({ path, method, headers, ...(body === undefined ? {} : { body }) }).then((r) => r.body.dump()),
    ),
  );
  const start = performance.now();
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) / interval) + 1);
    for (; sent < due; sent++) {
      maxLagMs = Math.max(maxLagMs, now - (start + sent * interval));
      const p = one();
      inflight.add(p);
      p.finally(() => inflight.delete(p));
    }
    const next = start + sent * interval;
    await delay(Math.max(0, next - performance.now()));
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  const { p50, p99 } = samples.summary();
  return { requests: sent, achievedRps: sent / seconds, p50, p99, non2xx, errors, maxLagMs };
}

/** One request, for the pre-flight checks: status, content type and text. */
export async function fetchOnce(url, init = {}) {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

export { delay };
