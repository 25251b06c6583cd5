// Start to ready (spawn → first 200 from /health/ready), RSS at ready, and the 100-tool capability.

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeCapability100, NAMESPACE as NS100, toolName, TOOL_COUNT } from './capability-100.mjs';
import { closeAll, connectMany } from './mcp-load.mjs';
import { mcpRun, problemsOf, rawRun } from './measure.mjs';
import { freePort, spawnNode, stop, waitForHttp200 } from './procs.mjs';
import { resultHas } from './scenarios.mjs';
import { startOurs } from './servers.mjs';

const TOKEN = 'tok000000000000000007';

async function spawnOurs(root, dir, upstream, name, extra = {}) {
  const ports = { rest: await freePort(), mcp: await freePort() };
  const s = await startOurs(root, dir, { upstream, name, ports, ...extra });
  await stop(s);
  return { ms: s.readyMs, rssMb: s.memoryAtReady.rssMb };
}

/** `spawns` sequential starts of ours and of a bare fastify listen (the floor), one at a time. */
export async function startupPhase(root, dir, upstream, cfg) {
  const ours = [];
  for (let i = 0; i < cfg.spawns; i++) ours.push(await spawnOurs(root, dir, upstream, `ours-start-${i}`));
  const bare = [];
  for (let i = 0; i < cfg.spawns; i++) {
    const port = await freePort();
    const proc = spawnNode(`bare-fastify-${i}`, [join(root, 'bench/servers/bare-fastify.mjs')], {
      cwd: root,
      logFile: join(dir, `bare-fastify-${i}.log`),
      env: { PORT: String(port) },
    });
    const readyAt = await waitForHttp200(`http://127.0.0.1:${port}/health/ready`, 30_000, proc);
    bare.push({ ms: readyAt - proc.startedAt });
    await stop(proc);
  }
  return { ours, bare };
}

/**
 * The generated 100-tool capability: tools/call (16 v2 clients) and REST get (10 connections) on its first
 * and last tool, beside the seed's 6-tool get measured just before; then its start to ready. Resolves
 * with `oursIdleSince`: the seed instance is not loaded again after that (the RSS-after-load clock).
 */
export async function toolsPhase(root, dir, servers, cfg, startup) {
  const file = writeCapability100(join(dir, 'capability-100.yaml'));
  const opts = { file, namespace: NS100 };
  const big = await startOurs(root, dir, { ...opts, upstream: servers.upstream.origin, name: 'ours100' });
  const out = { runs: [], problems: [], memory: big.memoryAtReady };
  const seedClients = await connectMany('v2', servers.ours.mcp, 16);
  const bigClients = await connectMany('v2', big.mcp, 16);
  try {
    const cases = [
      {
        name: 'seed (6 tools)',
        pid: servers.ours.pid,
        clients: seedClients,
        tool: 'get-one-time-token-id',
        rest: `${servers.ours.rest}/v1/api/one-time-tokens/${TOKEN}`,
      },
      {
        name: '100 tools, first',
        pid: big.pid,
        clients: bigClients,
        tool: toolName(1),
        rest: `${big.rest}/v1/bench-1/one-time-tokens/${TOKEN}`,
      },
      {
        name: `100 tools, last`,
        pid: big.pid,
        clients: bigClients,
        tool: toolName(TOOL_COUNT),
        rest: `${big.rest}/v1/bench-${TOOL_COUNT}/one-time-tokens/${TOKEN}`,
      },
    ];
    // Two passes over the cases, the first unrecorded: the 100-tool instance has only just started, and a
    // single warm-up before each case would leave whichever runs first the least warmed up.
    for (const pass of [0, 1]) {
      for (const c of cases) {
        const call = { tool: c.tool, args: { id: TOKEN } };
        const mcp = await mcpRun(c.pid, c.clients, call, cfg.duration, resultHas(TOKEN), servers.upstream);
        const rest = await rawRun(c.pid, c.rest, { method: 'GET' }, 10, cfg.duration, servers.upstream);
        if (c.pid === servers.ours.pid) out.oursIdleSince = performance.now();
        if (pass === 0) continue;
        out.runs.push({ name: c.name, mcp, rest });
        out.problems.push(
          ...problemsOf(`100-tool phase MCP ${c.name}`, mcp, 16),
          ...problemsOf(`100-tool phase REST ${c.name}`, rest, 10),
        );
      }
    }
  } finally {
    await closeAll([...seedClients, ...bigClients]);
    await stop(big);
  }
  startup.ours100 = [];
  for (let i = 0; i < cfg.spawns100; i++)
    startup.ours100.push(await spawnOurs(root, dir, servers.upstream.origin, `ours100-start-${i}`, opts));
  return out;
}
