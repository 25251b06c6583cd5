// One measurement = one load run plus what the server under test spent on it: CPU from /proc (its whole
// process group, user + system) and, for the proxies, how many requests really reached the upstream.

import { closedLoop, fetchOnce, pacedLoad } from './http-load.mjs';
import { callLoop } from './mcp-load.mjs';
import { delay } from './http-load.mjs';
import { groupCpuSeconds } from './procs.mjs';
import { requestOf } from './scenarios.mjs';

/** Requests the upstream has answered so far (its /__stats is not counted). */
export async function upstreamTotal(upstream) {
  const r = await fetchOnce(`${upstream.origin}/__stats`);
  return JSON.parse(r.text).total;
}

/**
 * Waits until the upstream's count stops moving: a proxy that fell behind may still be working through
 * requests whose callers already gave up, and that work must neither steal CPU from the next run nor
 * count as its upstream hits. (The peer MCP server keeps calling the upstream after a misrouted answer
 * has already reached some other client, see bench/README.md.)
 */
export async function quiesce(upstream, ms = 10_000) {
  const until = Date.now() + ms;
  let last = await upstreamTotal(upstream);
  let still = 0;
  while (still < 2 && Date.now() < until) {
    await delay(25);
    const now = await upstreamTotal(upstream);
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

/** Runs `load()` and adds cpuUs (server CPU µs per completed request) and upstreamHits. */
async function withCost(pid, upstream, load, completed) {
  const hits0 = await quiesce(upstream);
  const cpu0 = groupCpuSeconds(pid);
  const r = await load();
  const cpu1 = groupCpuSeconds(pid);
  const hits1 = await upstreamTotal(upstream);
  const n = completed(r);
  return { ...r, cpuUs: n > 0 ? ((cpu1 - cpu0) * 1e6) / n : NaN, upstreamHits: hits1 - hits0 };
}

export function restRun(target, route, connections, duration, upstream) {
  const req = requestOf(target, route);
  return withCost(
    target.pid,
    upstream,
    () => closedLoop({ ...req, connections, duration }),
    (r) => r.requests,
  );
}

export function pacedRun(target, route, rate, duration, upstream) {
  const { url, method, headers, body } = requestOf(target, route);
  const u = new URL(url);
  return withCost(
    target.pid,
    upstream,
    () => pacedLoad({ origin: u.origin, path: u.pathname + u.search, method, headers, body, rate, duration }),
    (r) => r.requests,
  );
}

export function mcpRun(pid, clients, tool, duration, check, upstream) {
  return withCost(
    pid,
    upstream,
    () => callLoop(clients, { ...tool, duration, check }),
    (r) => r.ok,
  );
}

export function rawRun(pid, url, request, connections, duration, upstream) {
  return withCost(
    pid,
    upstream,
    () => closedLoop({ url, ...request, connections, duration }),
    (r) => r.requests,
  );
}

/**
 * Flags what should not happen under load: errors, timeouts, non-2xx answers, or a proxy whose completed
 * requests do not match the upstream's hits (beyond the requests still in flight when the run stopped).
 */
export function problemsOf(label, r, inflight) {
  const out = [];
  if (r.errors) out.push(`${label}: ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}`);
  if (r.timeouts) out.push(`${label}: ${r.timeouts} timeouts`);
  if (r.non2xx) out.push(`${label}: ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes ?? {})})`);
  const done = r.requests ?? r.ok;
  if (done !== undefined && r.upstreamHits !== undefined) {
    const slack = inflight + Math.ceil(done * 0.01);
    if (r.upstreamHits < done - slack || r.upstreamHits > done + slack)
      out.push(`${label}: ${done} answers but ${r.upstreamHits} upstream hits`);
  }
  return out;
}
