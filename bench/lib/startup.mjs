// Start to ready (spawn → first 200 from /health/ready), with the CPU used and the RSS at that moment, and
// the 100-tool capability.

import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { writeCapability100, NAMESPACE as NS100, toolName, TOOL_COUNT } from './capability-100.mjs';
import { fetchOnce } from './http-load.mjs';
import { closeAll, connectMany } from './mcp-load.mjs';
import { mcpRun, problemsOf, rawRun } from './measure.mjs';
import { freePort, groupCpuSeconds, memoryOf, spawnNode, stop, waitForHttp200 } from './procs.mjs';
import { rawList, resultHas, rpcMessage } from './scenarios.mjs';
import { startOurs } from './servers.mjs';

const TOKEN = 'tok000000000000000007';
const LIST_VERSION = '2026-07-28';

async function spawnOurs(root, dir, upstream, name, extra = {}) {
  const ports = { rest: await freePort(), mcp: await freePort() };
  const s = await startOurs(root, dir, { upstream, name, ports, ...extra });
  await stop(s);
  return { ms: s.readyMs, cpuMs: s.cpuToReadyMs, rssMb: s.memoryAtReady.rssMb };
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
    const rssMb = memoryOf(proc.pid).rssMb;
    bare.push({ ms: readyAt - proc.startedAt, cpuMs: groupCpuSeconds(proc.pid) * 1000, rssMb });
    await stop(proc);
  }
  return { ours, bare };
}

/** A raw tools/list, checked: it must list `count` tools. Returns the answer's size in bytes. */
async function checkedList(url, count) {
  const r = await fetchOnce(url, rawList(LIST_VERSION));
  const tools = rpcMessage(r.text)?.result?.tools;
  if (r.status !== 200 || !Array.isArray(tools) || tools.length !== count)
    throw new Error(`tools/list at ${url}: expected ${count} tools, got ${r.status} ${r.text.slice(0, 200)}`);
  return Buffer.byteLength(r.text);
}

/**
 * The generated 100-tool capability beside the seed (6 tools), in one phase: tools/call (16 v2 clients) and
 * REST get (10 connections) on its first and last tool and on the seed's get, and tools/list (raw 2026-07-28
 * POSTs, 10 connections) on each capability; then its start to ready. `onOursIdle()` is called each time the
 * seed instance has been loaded here; after the last call it is not loaded again (the clock of "RSS 30 s after
 * load" starts then).
 */
export async function toolsPhase(root, dir, servers, cfg, startup, onOursIdle = () => {}) {
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
        list: { url: servers.ours.mcp, count: 6 },
      },
      {
        name: `${TOOL_COUNT} tools, first`,
        pid: big.pid,
        clients: bigClients,
        tool: toolName(1),
        rest: `${big.rest}/v1/bench-1/one-time-tokens/${TOKEN}`,
        list: { url: big.mcp, count: TOOL_COUNT },
      },
      {
        name: `${TOOL_COUNT} tools, last`,
        pid: big.pid,
        clients: bigClients,
        tool: toolName(TOOL_COUNT),
        rest: `${big.rest}/v1/bench-${TOOL_COUNT}/one-time-tokens/${TOKEN}`,
      },
    ];
    for (const c of cases) if (c.list) c.list.bytes = await checkedList(c.list.url, c.list.count);
    // Two passes over the cases, the first unrecorded (and 1 s long): the 100-tool instance has
    // only just started, and a single warm-up before each case would leave whichever runs first the least
    // warmed up.
    for (const pass of [0, 1]) {
      const seconds = pass === 0 ? Math.min(1, cfg.duration) : cfg.duration;
      for (const c of cases) {
        const call = { tool: c.tool, args: { id: TOKEN } };
        const mcp = await mcpRun(c.pid, c.clients, call, seconds, resultHas(TOKEN), servers.upstream);
        const rest = await rawRun(c.pid, c.rest, { method: 'GET' }, 10, seconds, servers.upstream);
        // tools/list never reaches the upstream: no hit count to compare with.
        const list = c.list
          ? {
              ...(await rawRun(c.pid, c.list.url, rawList(LIST_VERSION), 10, seconds, servers.upstream)),
              upstreamHits: undefined,
              bytes: c.list.bytes,
              tools: c.list.count,
            }
          : undefined;
        if (c.pid === servers.ours.pid) onOursIdle();
        if (pass === 0) continue;
        out.runs.push({ name: c.name, mcp, rest, list });
        out.problems.push(
          ...problemsOf(`100-tool phase MCP tools/call ${c.name}`, mcp, 16),
          ...problemsOf(`100-tool phase REST ${c.name}`, rest, 10),
          ...(list ? problemsOf(`100-tool phase MCP tools/list ${c.name}`, list, 10) : []),
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
