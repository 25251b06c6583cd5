#!/usr/bin/env node
// `npm run bench`: our runtime side by side with the peers a user would pick instead, on loopback, in
// alternating rounds, with same-round ratios (DESIGN §9, issue 14). Writes bench/RESULTS.md and prints a
// summary. See bench/README.md for what each figure means.
//
//   npm run bench [-- --quick] [--rounds N] [--duration S] [--out FILE] [--keep-logs]
//
// --quick: one round of 1 s runs, 3 spawns, a 5 s settle: a smoke test of the harness, not figures.

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { cpuAccounting, installCleanup, loadAverage, memoryOf, stop } from './lib/procs.mjs';
import { describeRun, writeResults } from './lib/report.mjs';
import { checkAsShipped, runMcpRound, runRestRound, preflight, warmUp, connectPools } from './lib/rounds.mjs';
import { startIvotoby, startOurs, startReplyFrom, startUpstream } from './lib/servers.mjs';
import { startupPhase, toolsPhase } from './lib/startup.mjs';
import { scanLog } from './lib/logs.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    out: { type: 'string' },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const quick = opt.quick;
const cfg = {
  quick,
  rounds: Number(opt.rounds ?? (quick ? 1 : 3)),
  duration: Number(opt.duration ?? (quick ? 1 : 1.5)),
  pacedRate: 1000,
  pacedSeconds: quick ? 1 : 3,
  connections: [10, 50],
  rawConnections: 10,
  mcpClients: [1, 16, 64],
  spawns: quick ? 3 : 10,
  spawns100: quick ? 1 : 3,
  settleSeconds: quick ? 5 : 30,
  // Enough for the JIT (thousands of requests per target and scenario); longer only lengthens the run.
  warmup: 0.5,
  out: resolve(opt.out ?? join(ROOT, 'bench/RESULTS.md')),
};

const logDir = mkdtempSync(join(tmpdir(), 'runtime-bench-'));
let interrupted;
installCleanup((sig) => {
  interrupted = sig;
  console.error(`\n${sig}: stopping every process the bench started (logs in ${logDir})`);
});

const log = (msg) => console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${msg}`);
const t0 = performance.now();
const results = {
  cfg,
  meta: describeRun(ROOT, process.argv.slice(2)),
  loadBefore: loadAverage(),
  cpuBefore: cpuAccounting(),
  rest: [],
  paced: [],
  mcp: [],
  raw: [],
  memory: {},
  problems: [],
};

const servers = {};
let ok = false;
let stopping = false;
try {
  log(
    `logs in ${logDir}; load average ${results.loadBefore.one} ${results.loadBefore.five} ${results.loadBefore.fifteen}`,
  );
  servers.upstream = await startUpstream(ROOT, logDir);
  servers.replyFrom = await startReplyFrom(ROOT, logDir, servers.upstream.origin);
  servers.ours = await startOurs(ROOT, logDir, { upstream: servers.upstream.origin });
  servers.ivotoby = await startIvotoby(ROOT, logDir, servers.upstream.origin);
  // A server that dies mid-run would only show up as errors in every later figure: stop the bench at once.
  for (const s of Object.values(servers))
    s.exited.then((code) => {
      if (stopping) return;
      console.error(`bench failed: ${s.label} exited (${code}) during the run; its log: ${s.logFile}`);
      console.error(`logs kept in ${logDir}`);
      process.exit(1); // the 'exit' handler kills every process still running
    });
  results.sizes = servers.upstream.sizes;
  // Ours and the peer as measured the moment they answered ready; the others a moment later.
  results.memory.ready = {
    ...memorySnapshot(servers),
    ours: servers.ours.memoryAtReady,
    ivotoby: servers.ivotoby.memoryAtReady,
  };
  log(
    `servers up: upstream ${servers.upstream.origin}, reply-from ${servers.replyFrom.origin}, ours ${servers.ours.rest} + ${servers.ours.mcp}, ivotoby ${servers.ivotoby.mcp}`,
  );

  const pools = await connectPools(servers, Math.max(...cfg.mcpClients));
  await preflight(servers, pools);
  results.asShipped = await checkAsShipped(servers);
  log('pre-flight: every target gives the right answer to every scenario');
  await warmUp(servers, pools, cfg);

  for (let round = 0; round < cfg.rounds; round++) {
    log(`round ${round + 1}/${cfg.rounds}: REST`);
    await runRestRound(servers, cfg, round, results);
    log(`round ${round + 1}/${cfg.rounds}: MCP`);
    await runMcpRound(servers, pools, cfg, round, results);
    results.memory[`after round ${round + 1}`] = memorySnapshot(servers);
  }
  await pools.close();

  log('100-tool capability');
  results.startup = {};
  // "RSS 30 s after load" is read by a timer at that moment, set when the seed instance was last loaded
  // (in the 100-tool phase) and left to fire while the rest of that phase and the start-up spawns run (they
  // load the machine, not the idle seed instance).
  const settled = settleTimer(cfg.settleSeconds * 1000, () => {
    results.memory.settled = memorySnapshot(servers);
  });
  results.tools100 = await toolsPhase(ROOT, logDir, servers, cfg, results.startup, settled.restart);
  log(`start to ready (RSS of the idle servers read ${cfg.settleSeconds} s after their last load, meanwhile)`);
  Object.assign(results.startup, await startupPhase(ROOT, logDir, servers.upstream.origin, cfg));
  results.memory.settledAfterSeconds = await settled.done();
  results.memory.peak = memorySnapshot(servers);
  results.logs = scanLog(servers.ours.logFile);
  ok = true;
} catch (err) {
  console.error(`bench failed: ${err?.stack ?? err}`);
  process.exitCode = 1;
} finally {
  stopping = true;
  await Promise.allSettled(Object.values(servers).map((s) => stop(s)));
}

if (ok && !interrupted) {
  results.loadAfter = loadAverage();
  // Every child has been stopped and reaped by now, so its CPU is in our cutime/cstime.
  const cpuAfter = cpuAccounting();
  const machine = cpuAfter.machineBusy - results.cpuBefore.machineBusy;
  const ours = cpuAfter.ours - results.cpuBefore.ours;
  const capacity = ((cpuAfter.at - results.cpuBefore.at) / 1000) * cpus().length;
  results.foreignCpu = {
    seconds: Math.max(0, machine - ours),
    capacity,
    ours,
    share: Math.max(0, machine - ours) / capacity,
  };
  results.meta.seconds = (performance.now() - t0) / 1000;
  const summary = writeResults(cfg.out, results);
  console.log(`\n${summary}\nwrote ${cfg.out} in ${results.meta.seconds.toFixed(0)} s`);
  if (!opt['keep-logs']) rmSync(logDir, { recursive: true, force: true });
  else console.log(`logs kept in ${logDir}`);
} else {
  console.error(`logs kept in ${logDir}`);
  // Nothing left to wait for (a pending timer of the failed phase must not hold the exit up).
  process.exit(1);
}

/**
 * Runs `read` `ms` after the last `restart()`. `done()` resolves once it has run, with the seconds from that
 * restart to the read (a busy event loop can make it a little later than `ms`).
 */
function settleTimer(ms, read) {
  let timer;
  let since;
  let fired;
  const done = new Promise((resolve) => (fired = resolve));
  return {
    restart() {
      clearTimeout(timer);
      since = performance.now();
      timer = setTimeout(() => {
        read();
        fired((performance.now() - since) / 1000);
      }, ms);
    },
    done: () => {
      if (since === undefined) throw new Error('the seed instance was never loaded in the 100-tool phase');
      return done;
    },
  };
}

/** RSS now and the high-water mark of each long-lived server. */
function memorySnapshot(s) {
  const out = {};
  for (const [name, proc] of Object.entries(s)) {
    try {
      out[name] = memoryOf(proc.pid);
    } catch {
      out[name] = { rssMb: NaN, hwmMb: NaN };
    }
  }
  return out;
}
