#!/usr/bin/env node
// Two builds of our runtime side by side: server CPU per request (and rps, p50) on the same upstream, in
// alternating rounds, with the median of same-round ratios b ÷ a. For checking an optimisation before and
// after it, on a loaded machine (CPU per request moves far less with other tenants than throughput does).
//
//   node bench/compare.mjs [--a REV|DIR] [--b REV|DIR] [--only LIST] [--rounds N] [--duration S] [--connections N]
//
// A and B are each a directory holding a built runtime (dist/cli.js; its capabilities/ are used) or a git
// revision of this checkout, which is extracted with `git archive` and built like `npm run build` (tsc, then the
// CLI bundle where the revision has scripts/build-bundle.mjs) into
// <tmpdir>/runtime-bench-builds/<commit> (kept, so the next comparison with it starts at once; node_modules
// is this checkout's, so a revision with other dependencies is measured with these). Defaults: --a HEAD,
// --b . (this checkout's dist/ as it is now: run `npm run build` first).
//
// Scenarios (--only, comma-separated; default all): rest-get, rest-list20, rest-list100, rest-create (REST
// closed loop), mcp-get, mcp-list (raw 2026-07-28 tools/call POSTs), mcp-get-2025 (raw 2025-11-25), startup
// (spawn to ready, CPU to ready, RSS at ready; one start of each per round).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fetchOnce } from './lib/http-load.mjs';
import { rawRun, restRun } from './lib/measure.mjs';
import { freePort, installCleanup, SERVER_NODE, SERVER_NODE_VERSION, stop } from './lib/procs.mjs';
import { MCP_TOOLS, rawCall, requestOf, resultHas, ROUTES, rpcMessage } from './lib/scenarios.mjs';
import { startOurs, startUpstream } from './lib/servers.mjs';
import { spread } from './lib/stats.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    a: { type: 'string', default: 'HEAD' },
    b: { type: 'string', default: '.' },
    only: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(opt.rounds);
const duration = Number(opt.duration);
const connections = Number(opt.connections);

const tool = (name) => MCP_TOOLS.find((t) => t.name === name);
const SCENARIOS = {
  ...Object.fromEntries(ROUTES.map((route) => [`rest-${route.name}`, { kind: 'rest', route }])),
  'mcp-get': { kind: 'raw', version: '2026-07-28', tool: tool('get') },
  'mcp-list': { kind: 'raw', version: '2026-07-28', tool: tool('list') },
  'mcp-get-2025': { kind: 'raw', version: '2025-11-25', tool: tool('get') },
  startup: { kind: 'startup' },
};
const chosen = opt.only ? opt.only.split(',').map((s) => s.trim()) : Object.keys(SCENARIOS);
const unknown = chosen.filter((s) => !SCENARIOS[s]);
if (unknown.length) {
  console.error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

const logDir = mkdtempSync(join(tmpdir(), 'runtime-bench-compare-'));
installCleanup(() => console.error(`stopping every process the comparison started (logs in ${logDir})`));

/** A directory with dist/cli.js for `spec`: the directory itself, or a git revision built into the cache. */
function buildOf(spec) {
  const dir = resolve(spec);
  if (existsSync(join(dir, 'dist/cli.js'))) {
    const built = statSync(join(dir, 'dist/cli.js')).mtime.toISOString();
    return { label: `${dir === ROOT ? "this checkout's" : dir} dist/ (built ${built})`, root: dir };
  }
  if (existsSync(dir) && existsSync(join(dir, 'package.json')))
    throw new Error(`${dir} has no dist/cli.js: build it first (npm run build)`);
  let commit;
  try {
    commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--verify', `${spec}^{commit}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    throw new Error(`${spec} is neither a directory with dist/cli.js nor a git revision`);
  }
  const root = join(tmpdir(), 'runtime-bench-builds', `${commit}-bundled`);
  if (!existsSync(join(root, 'dist/cli.js'))) {
    console.log(`building ${spec} (${commit.slice(0, 10)}) into ${root}`);
    const work = `${root}.partial`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    execFileSync('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', ROOT, commit, work]);
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
    execFileSync(SERVER_NODE, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: work,
      stdio: 'inherit',
    });
    // The second step of `npm run build` where the revision has it: the bundled CLI is what ships.
    if (existsSync(join(work, 'scripts/build-bundle.mjs')))
      execFileSync(SERVER_NODE, [join(work, 'scripts/build-bundle.mjs')], { cwd: work, stdio: 'inherit' });
    rmSync(root, { recursive: true, force: true });
    renameSync(work, root);
  }
  return { label: `${spec} (${commit.slice(0, 10)})`, root };
}

function targetOf(name, s) {
  return { name, pid: s.pid, url: (route) => `${s.rest}/v1${route.path}`, headers: {} };
}

/** One check per scenario and build before any load: wrong answers must not count as throughput. */
async function preflight(name, s) {
  for (const key of chosen) {
    const sc = SCENARIOS[key];
    if (sc.kind === 'rest') {
      const req = requestOf(targetOf(name, s), sc.route);
      const r = await fetchOnce(req.url, req);
      if (r.status !== sc.route.status || !r.text.includes(sc.route.expect))
        throw new Error(`${name} ${key}: ${r.status} ${r.text.slice(0, 200)}`);
    } else if (sc.kind === 'raw') {
      const r = await fetchOnce(s.mcp, rawCall(sc.version, sc.tool));
      const msg = rpcMessage(r.text);
      if (r.status !== 200 || !msg?.result || msg.result.isError || !resultHas(sc.tool.expect)(msg.result))
        throw new Error(`${name} ${key}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
}

async function measure(key, name, s, upstream) {
  const sc = SCENARIOS[key];
  if (sc.kind === 'rest') return restRun(targetOf(name, s), sc.route, connections, duration, upstream);
  if (sc.kind === 'raw') return rawRun(s.pid, s.mcp, rawCall(sc.version, sc.tool), connections, duration, upstream);
  const ports = { rest: await freePort(), mcp: await freePort() };
  const one = await startOurs(s.root, logDir, { upstream: upstream.origin, name: `${name}-start`, ports });
  await stop(one);
  return { readyMs: one.readyMs, cpuMs: one.cpuToReadyMs, rssMb: one.memoryAtReady.rssMb };
}

const servers = {};
const rows = [];
let failed = false;
try {
  const builds = { a: buildOf(opt.a), b: buildOf(opt.b) };
  servers.upstream = await startUpstream(ROOT, logDir);
  const upstream = servers.upstream;
  for (const name of ['a', 'b']) {
    servers[name] = {
      ...(await startOurs(builds[name].root, logDir, { upstream: upstream.origin, name })),
      root: builds[name].root,
    };
    await preflight(name, servers[name]);
  }
  console.log(
    `a = ${builds.a.label}\nb = ${builds.b.label}\nservers on Node ${SERVER_NODE_VERSION} (${SERVER_NODE}); ` +
      `${rounds} rounds of ${duration} s at ${connections} connections: ${chosen.join(', ')}`,
  );
  // Warm-up, not recorded: JIT and sockets.
  for (const key of chosen.filter((k) => SCENARIOS[k].kind !== 'startup'))
    for (const name of ['a', 'b']) await measure(key, name, servers[name], upstream);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['b', 'a'] : ['a', 'b'];
    for (const key of chosen)
      for (const name of order) {
        const r = await measure(key, name, servers[name], upstream);
        if (r.errors || r.non2xx || r.timeouts)
          console.error(
            `${name} ${key} round ${round + 1}: ${r.errors} errors, ${r.non2xx} non-2xx, ${r.timeouts} timeouts`,
          );
        rows.push({ round, key, name, ...r });
      }
    process.stdout.write(`round ${round + 1}/${rounds} done\n`);
  }
  console.log(`\n${report()}`);
} catch (err) {
  failed = true;
  console.error(`comparison failed: ${err?.stack ?? err}\nlogs kept in ${logDir}`);
} finally {
  await Promise.allSettled(Object.values(servers).map((s) => stop(s)));
}
if (!failed) rmSync(logDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

function report() {
  const f = (x, d = 0) =>
    Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–';
  const fmt = (xs, d = 0) => {
    const s = spread(xs);
    return `${f(s.median, d)} (${f(s.min, d)}–${f(s.max, d)})`;
  };
  const of = (key, name, field) => rows.filter((r) => r.key === key && r.name === name).map((r) => r[field]);
  const ratio = (key, field) => {
    const a = of(key, 'a', field);
    const b = of(key, 'b', field);
    return b.map((x, i) => x / a[i]);
  };
  const lines = [
    '| scenario | a CPU µs/req | b CPU µs/req | b ÷ a CPU | a rps | b rps | b ÷ a rps | a p50 ms | b p50 ms |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const key of chosen.filter((k) => SCENARIOS[k].kind !== 'startup'))
    lines.push(
      `| ${key} | ${fmt(of(key, 'a', 'cpuUs'))} | ${fmt(of(key, 'b', 'cpuUs'))} | **${fmt(ratio(key, 'cpuUs'), 2)}** | ` +
        `${fmt(of(key, 'a', 'rps'))} | ${fmt(of(key, 'b', 'rps'))} | ${fmt(ratio(key, 'rps'), 2)} | ` +
        `${fmt(of(key, 'a', 'p50'), 2)} | ${fmt(of(key, 'b', 'p50'), 2)} |`,
    );
  if (chosen.includes('startup'))
    lines.push(
      '',
      '| start-up | a | b | b ÷ a |',
      '|---|---|---|---|',
      ...[
        ['CPU to ready ms', 'cpuMs', 0],
        ['start to ready ms', 'readyMs', 0],
        ['RSS at ready MB', 'rssMb', 1],
      ].map(
        ([label, field, d]) =>
          `| ${label} | ${fmt(of('startup', 'a', field), d)} | ${fmt(of('startup', 'b', field), d)} | ${fmt(ratio('startup', field), 2)} |`,
      ),
    );
  lines.push('', 'median (min–max) over rounds; ratios are per round (b ÷ a in the same round), then their median.');
  return lines.join('\n');
}
