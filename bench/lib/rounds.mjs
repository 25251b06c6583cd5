// One round of each workload. Within a scenario the targets run back to back, their order rotated by
// round, so a slow moment of the machine (other tenants, a GC, thermal) hits each target as often and a
// same-round ratio compares like with like.

import { readFileSync } from 'node:fs';
import { fetchOnce } from './http-load.mjs';
import { closeAll, connectMany } from './mcp-load.mjs';
import { mcpRun, pacedRun, problemsOf, rawRun, restRun } from './measure.mjs';
import { MCP_TOOLS, ROUTES, rawCall, requestOf, restTargets, resultHas, rpcMessage } from './scenarios.mjs';

export const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

export const RAW_VERSIONS = ['2025-11-25', '2026-07-28'];

/** MCP clients, connected once: ours over both generations, the peer over the 1.x SDK (its only one). */
export async function connectPools(servers, n) {
  const pools = {
    'ours-v2': { pid: servers.ours.pid, clients: await connectMany('v2', servers.ours.mcp, n), tool: 'ours' },
    'ours-v1': { pid: servers.ours.pid, clients: await connectMany('v1', servers.ours.mcp, n), tool: 'ours' },
    ivotoby: { pid: servers.ivotoby.pid, clients: await connectMany('v1', servers.ivotoby.mcp, n), tool: 'peer' },
  };
  return {
    entries: Object.entries(pools),
    close: () => Promise.all(Object.values(pools).map((p) => closeAll(p.clients))),
  };
}

/** One request per scenario and target, checked: a benchmark of wrong answers measures nothing. */
export async function preflight(servers, pools) {
  const wrong = [];
  for (const target of restTargets(servers)) {
    for (const route of ROUTES) {
      const { url, method, headers, body } = requestOf(target, route);
      const r = await fetchOnce(url, { method, headers, body });
      if (r.status !== route.status || !r.text.includes(route.expect))
        wrong.push(`REST ${route.name} via ${target.name}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  for (const [name, pool] of pools.entries) {
    for (const tool of MCP_TOOLS) {
      const r = await pool.clients[0].callTool({ name: tool[pool.tool], arguments: tool.args }).catch((e) => e);
      if (r instanceof Error || r.isError || !resultHas(tool.expect)(r))
        wrong.push(`MCP ${tool.name} via ${name}: ${String(r?.message ?? JSON.stringify(r)).slice(0, 200)}`);
    }
  }
  for (const version of RAW_VERSIONS) {
    for (const tool of MCP_TOOLS) {
      const r = await fetchOnce(servers.ours.mcp, rawCall(version, tool));
      const msg = rpcMessage(r.text);
      if (r.status !== 200 || !msg?.result || msg.result.isError || !resultHas(tool.expect)(msg.result))
        wrong.push(`raw ${version} ${tool.name}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  if (wrong.length) throw new Error(`pre-flight found wrong answers:\n  ${wrong.join('\n  ')}`);
}

/** A request our input validation must refuse (`page` is declared an integer); scanLog counts it apart. */
export const BAD_INPUT_PATH = '/v1/api/one-time-tokens?page=not-a-number';

/**
 * The targets hold "with input validation, metrics and access lines on": check that ours, as started, has all
 * three (after preflight, which sent it a get), so that the figures cannot come from a stripped-down setup.
 */
export async function checkAsShipped(servers) {
  const bad = await fetchOnce(`${servers.ours.rest}${BAD_INPUT_PATH}`);
  const metrics = await fetchOnce(`${servers.ours.rest}/metrics`);
  const log = readFileSync(servers.ours.logFile, 'utf8');
  const off = [];
  if (bad.status !== 400 || !bad.text.includes('page'))
    off.push(`input validation (got ${bad.status} for page=not-a-number)`);
  if (
    metrics.status !== 200 ||
    !/runtime_requests_total\{[^}]*getonetimetoken[^}]*status="200"\} [1-9]/.test(metrics.text)
  )
    off.push(`metrics (/metrics: ${metrics.status} ${metrics.text.slice(0, 120)})`);
  if (!log.includes('"url":"/v1/api/one-time-tokens/tok000000000000000007","status":200'))
    off.push('access lines (no line for the pre-flight get in its log)');
  if (off.length) throw new Error(`ours is not running as shipped: ${off.join('; ')} are off`);
  return 'input validation (a non-integer `page` got 400), metrics (`/metrics` counted the pre-flight get) and access lines (one per request, JSON, default level) checked on before the load';
}

/** JIT and connection warm-up, not recorded. */
export async function warmUp(servers, pools, cfg) {
  for (const target of restTargets(servers))
    for (const route of ROUTES) await restRun(target, route, 10, cfg.warmup, servers.upstream);
  for (const [, pool] of pools.entries)
    for (const tool of MCP_TOOLS)
      await mcpRun(
        pool.pid,
        pool.clients.slice(0, 16),
        { tool: tool[pool.tool], args: tool.args },
        cfg.warmup,
        undefined,
        servers.upstream,
      );
}

export async function runRestRound(servers, cfg, round, results) {
  const targets = rotate(restTargets(servers), round);
  for (const route of ROUTES) {
    for (const connections of cfg.connections) {
      for (const target of targets) {
        const r = await restRun(target, route, connections, cfg.duration, servers.upstream);
        results.rest.push({ round, route: route.name, connections, target: target.name, ...r });
        results.problems.push(
          ...problemsOf(`REST ${route.name} c=${connections} ${target.name} round ${round + 1}`, r, connections),
        );
      }
    }
  }
  const get = ROUTES.find((r) => r.name === 'get');
  for (const target of targets) {
    const r = await pacedRun(target, get, cfg.pacedRate, cfg.pacedSeconds, servers.upstream);
    results.paced.push({ round, route: 'get', target: target.name, ...r });
    results.problems.push(...problemsOf(`paced get ${target.name} round ${round + 1}`, r, 64));
  }
}

export async function runMcpRound(servers, pools, cfg, round, results) {
  const entries = rotate(pools.entries, round);
  for (const tool of MCP_TOOLS) {
    for (const n of cfg.mcpClients) {
      for (const [name, pool] of entries) {
        const call = { tool: tool[pool.tool], args: tool.args };
        const r = await mcpRun(
          pool.pid,
          pool.clients.slice(0, n),
          call,
          cfg.duration,
          resultHas(tool.expect),
          servers.upstream,
        );
        results.mcp.push({ round, tool: tool.name, clients: n, target: name, ...r });
        results.problems.push(...problemsOf(`MCP ${tool.name} ×${n} ${name} round ${round + 1}`, r, n));
      }
    }
  }
  for (const version of RAW_VERSIONS) {
    for (const tool of MCP_TOOLS) {
      const c = cfg.rawConnections;
      const r = await rawRun(
        servers.ours.pid,
        servers.ours.mcp,
        rawCall(version, tool),
        c,
        cfg.duration,
        servers.upstream,
      );
      results.raw.push({ round, version, tool: tool.name, connections: c, ...r });
      results.problems.push(...problemsOf(`raw ${version} ${tool.name} c=${c} round ${round + 1}`, r, c));
    }
  }
}
