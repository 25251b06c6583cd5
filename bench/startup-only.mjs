// Start to ready alone, without the rest of `npm run bench`:
//   node bench/startup-only.mjs [runs] [--bench-upstream] [--compare <checkout>]… [-- start args]
// Same method as bench/lib/startup.mjs (spawn → first 200 from /health/ready, RSS from /proc at that moment),
// one start at a time, plus the CPU it used until then; prints the median and min–max. Default args: the seed with
// --sandbox. --bench-upstream: the seed against bench/servers/upstream.mjs (--base-uri), as `npm run bench` starts
// it. --compare: also start <checkout>/dist/cli.js (a built copy of another commit), alternating with this one
// start by start so that both see the same machine; one line per checkout.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  groupCpuSeconds,
  installCleanup,
  memoryOf,
  spawnNode,
  stop,
  waitForHttp200,
  waitForLog,
} from './lib/procs.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const own = sep >= 0 ? argv.slice(0, sep) : argv;
const runs = own[0] && /^\d+$/.test(own[0]) ? Number(own[0]) : 5;
const checkouts = [ROOT, ...own.flatMap((a, i) => (a === '--compare' && own[i + 1] ? [resolve(own[i + 1])] : []))];
const benchUpstream = own.includes('--bench-upstream');
let extra = sep >= 0 ? argv.slice(sep + 1) : ['capabilities/logto-one-time-tokens.yaml', '--sandbox'];

installCleanup();
let upstream;
if (benchUpstream) {
  const logFile = join(tmpdir(), `startup-only-upstream-${process.pid}.log`);
  upstream = spawnNode('upstream', [join(ROOT, 'bench/servers/upstream.mjs')], { cwd: ROOT, logFile });
  const [, port] = await waitForLog(upstream, /"port":(\d+)/);
  extra = ['capabilities/logto-one-time-tokens.yaml', '--base-uri', `logto-one-time-tokens=http://127.0.0.1:${port}`];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(checkouts.map((c) => [c, { ms: [], rss: [], cpu: [] }]));
for (let i = 0; i < runs; i++) {
  for (const checkout of i % 2 ? [...checkouts].reverse() : checkouts) {
    const rest = await freePort();
    const mcp = await freePort();
    const proc = spawnNode(
      `start-${i}`,
      [join(checkout, 'dist/cli.js'), 'start', ...extra, '--rest-port', String(rest), '--mcp-port', String(mcp)],
      { cwd: ROOT, logFile: '/dev/null', env: { LOG_FORMAT: 'json', LOGTO_API_KEY: 'bench-api-key-0123456789' } },
    );
    const readyAt = await waitForHttp200(`http://127.0.0.1:${rest}/health/ready`, 30_000, proc);
    const r = results.get(checkout);
    r.ms.push(readyAt - proc.startedAt);
    r.rss.push(memoryOf(proc.pid).rssMb);
    r.cpu.push(groupCpuSeconds(proc.pid) * 1000);
    await stop(proc);
  }
}
if (upstream) {
  await stop(upstream);
  rmSync(upstream.logFile, { force: true });
}
const fmt = (xs, unit) =>
  `${median(xs).toFixed(0)} ${unit} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
// CPU time to ready is the figure a loaded machine disturbs least (wall time waits for other tenants).
for (const [checkout, r] of results)
  console.log(
    `${checkouts.length > 1 ? `${checkout}: ` : ''}start to ready: ${fmt(r.ms, 'ms')}; CPU to ready: ${fmt(r.cpu, 'ms')}; RSS at ready: ${fmt(r.rss, 'MB')}; ${runs} runs`,
  );
