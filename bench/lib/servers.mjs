// Starting the servers under test, each as its own process group, with its output in the run's log folder.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, groupCpuSeconds, memoryOf, spawnNode, waitForHttp200, waitForLog } from './procs.mjs';

export const API_KEY = 'bench-api-key-0123456789';
export const SEED = 'capabilities/logto-one-time-tokens.yaml';
export const NAMESPACE = 'logto-one-time-tokens';

function logOf(dir, name) {
  return join(dir, `${name}.log`);
}

/** The fast fixed-body upstream (bench/servers/upstream.mjs). */
export async function startUpstream(root, dir) {
  const proc = spawnNode('upstream', [join(root, 'bench/servers/upstream.mjs')], { logFile: logOf(dir, 'upstream') });
  const m = await waitForLog(proc, /^(\{"port".*\})$/m);
  const info = JSON.parse(m[1]);
  return { ...proc, origin: `http://127.0.0.1:${info.port}`, sizes: info.sizes };
}

/** fastify + @fastify/reply-from as a bare proxy in front of `upstream`. */
export async function startReplyFrom(root, dir, upstream) {
  const proc = spawnNode('reply-from', [join(root, 'bench/servers/proxy.mjs')], {
    logFile: logOf(dir, 'reply-from'),
    env: { UPSTREAM: upstream, LOGTO_API_KEY: API_KEY },
  });
  const m = await waitForLog(proc, /^\{"port":(\d+)\}$/m);
  return { ...proc, origin: `http://127.0.0.1:${m[1]}` };
}

/**
 * Our runtime as a user starts it: `node dist/cli.js start <file>`, the consumed namespace pointed at the
 * upstream with --base-uri, JSON logs at the default level (access lines on). Ready means the REST
 * adapter's /health/ready answered 200. With `ports` the ports are given and readiness is polled at once
 * (for start-up timing); without, the OS picks them and they are read back from the log.
 */
export async function startOurs(
  root,
  dir,
  { file = SEED, namespace = NAMESPACE, upstream, name = 'ours', ports, extraArgs = [] },
) {
  const cli = join(root, 'dist/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const [restPort, mcpPort] = ports ? [ports.rest, ports.mcp] : [0, 0];
  const proc = spawnNode(
    name,
    [
      cli,
      'start',
      file,
      '--rest-port',
      String(restPort),
      '--mcp-port',
      String(mcpPort),
      '--base-uri',
      `${namespace}=${upstream}`,
      ...extraArgs,
    ],
    { cwd: root, logFile: logOf(dir, name), env: { LOG_FORMAT: 'json', LOGTO_API_KEY: API_KEY } },
  );
  let rest = `http://127.0.0.1:${restPort}`;
  let mcp = `http://127.0.0.1:${mcpPort}/mcp`;
  if (!ports) {
    rest = (await waitForLog(proc, /"msg":"REST adapter [^"]* listening on (http:\/\/[0-9.:]+)/))[1];
    mcp = (await waitForLog(proc, /"msg":"MCP adapter [^"]* listening on (http:\/\/[0-9.:]+\/mcp)/))[1];
  }
  const readyAt = await waitForHttp200(`${rest}/health/ready`, 30_000, proc);
  const memoryAtReady = memoryOf(proc.pid);
  // CPU to ready: the start-up figure a loaded machine disturbs least (wall time also waits for other tenants).
  const cpuToReadyMs = groupCpuSeconds(proc.pid) * 1000;
  return { ...proc, rest, mcp, readyMs: readyAt - proc.startedAt, memoryAtReady, cpuToReadyMs };
}

/** @ivotoby/openapi-mcp-server over Streamable HTTP, from the vendored Logto OpenAPI fragment. */
export async function startIvotoby(root, dir, upstream) {
  const bin = join(root, 'node_modules/@ivotoby/openapi-mcp-server/bin/mcp-server.js');
  const port = await freePort();
  const proc = spawnNode(
    'ivotoby',
    [
      bin,
      '--transport',
      'http',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--path',
      '/mcp',
      '--api-base-url',
      upstream,
      '--openapi-spec',
      join(root, 'bench/logto-one-time-tokens.openapi.json'),
      '--name',
      'ivotoby',
      '--headers',
      `Authorization:Bearer ${API_KEY}`,
    ],
    { cwd: root, logFile: logOf(dir, 'ivotoby') },
  );
  await waitForLog(proc, /running on http/);
  await waitForHttp200(`http://127.0.0.1:${port}/health`, 30_000, proc);
  return { ...proc, mcp: `http://127.0.0.1:${port}/mcp`, memoryAtReady: memoryOf(proc.pid) };
}
