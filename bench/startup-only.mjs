// Start to ready alone, without the rest of `npm run bench`: `node bench/startup-only.mjs [runs] [-- start args]`.
// Same method as bench/lib/startup.mjs (spawn → first 200 from /health/ready, RSS from /proc at that moment),
// one start at a time, plus the CPU it used until then; prints the median and min–max. Default args: the seed with --sandbox.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, groupCpuSeconds, memoryOf, spawnNode, stop, waitForHttp200 } from './lib/procs.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sep = process.argv.indexOf('--');
const runs = Number(process.argv[2] && process.argv[2] !== '--' ? process.argv[2] : 5);
const extra = sep >= 0 ? process.argv.slice(sep + 1) : ['capabilities/logto-one-time-tokens.yaml', '--sandbox'];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = [];
const rss = [];
const cpu = [];
for (let i = 0; i < runs; i++) {
  const rest = await freePort();
  const mcp = await freePort();
  const proc = spawnNode(
    `start-${i}`,
    [join(ROOT, 'dist/cli.js'), 'start', ...extra, '--rest-port', String(rest), '--mcp-port', String(mcp)],
    { cwd: ROOT, logFile: '/dev/null', env: { LOG_FORMAT: 'json', LOGTO_API_KEY: 'bench-api-key-0123456789' } },
  );
  const readyAt = await waitForHttp200(`http://127.0.0.1:${rest}/health/ready`, 30_000, proc);
  ms.push(readyAt - proc.startedAt);
  rss.push(memoryOf(proc.pid).rssMb);
  cpu.push(groupCpuSeconds(proc.pid) * 1000);
  await stop(proc);
}
const fmt = (xs, unit) =>
  `${median(xs).toFixed(0)} ${unit} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
// CPU time to ready is the figure a loaded machine disturbs least (wall time waits for other tenants).
console.log(
  `start to ready: ${fmt(ms, 'ms')}; CPU to ready: ${fmt(cpu, 'ms')}; RSS at ready: ${fmt(rss, 'MB')}; ${runs} runs`,
);
