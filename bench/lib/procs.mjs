// Child processes of the benchmark, and what /proc says about them.
//
// Every child is spawned `detached`, so it leads its own process group, and is remembered until it is
// stopped: `killAll()` signals each whole group (a server that forks cannot leave an orphan behind) and
// runs on normal exit, on SIGINT/SIGTERM/SIGHUP and on an uncaught error. A child's stdout/stderr go to a
// file, not a pipe: an unread pipe fills up and stalls a server that logs every request, and reading it
// would spend the load generator's CPU.

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * The Node that runs the servers: BENCH_NODE when set, else the newest Node 22 from `scripts/node.sh 22`
 * (the lowest line engines allows; the system Node may be older, and `npm run` does not change it), else
 * this process's own when it is 22 or newer. `SERVER_NODE_SOURCE` says which, for RESULTS.md.
 */
export const [SERVER_NODE, SERVER_NODE_SOURCE] = (() => {
  if (process.env.BENCH_NODE) return [process.env.BENCH_NODE, 'BENCH_NODE'];
  try {
    const script = join(import.meta.dirname, '../../scripts/node.sh');
    const bin = execFileSync('bash', [script, '22'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    const candidate = join(bin, 'node');
    if (existsSync(candidate)) return [candidate, '`scripts/node.sh 22`'];
  } catch {
    // No registry and nothing cached: fall through to this process's Node if it is supported.
  }
  if (Number(process.versions.node.split('.')[0]) >= 22) return [process.execPath, 'the Node running the bench'];
  throw new Error('no Node >= 22 for the servers: set BENCH_NODE=/path/to/node or make `scripts/node.sh 22` work');
})();

export const SERVER_NODE_VERSION = execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim();

/** Every child still running: pid → label. */
const live = new Map();

/** Clock ticks per second for utime/stime in /proc/<pid>/stat (100 on Linux x86-64). */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Starts `args` under SERVER_NODE in its own process group, output to `logFile`. Resolves once spawned.
 * @returns {{ pid: number, label: string, logFile: string, startedAt: number, exited: Promise<number|null> }}
 */
export function spawnNode(label, args, { env = {}, logFile, cwd } = {}) {
  const fd = openSync(logFile, 'a');
  const startedAt = performance.now();
  const child = spawn(SERVER_NODE, args, {
    cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  closeSync(fd);
  live.set(child.pid, label);
  const exited = new Promise((done) =>
    child.once('exit', (code, signal) => {
      live.delete(child.pid);
      done(code ?? signal);
    }),
  );
  return { pid: child.pid, label, logFile, startedAt, exited };
}

/** SIGTERM to the group, then SIGKILL if it is still there after `graceMs`. */
export async function stop(proc, graceMs = 3000) {
  if (!live.has(proc.pid)) return;
  signalGroup(proc.pid, 'SIGTERM');
  const done = await Promise.race([proc.exited.then(() => true), delay(graceMs).then(() => false)]);
  if (!done) signalGroup(proc.pid, 'SIGKILL');
  await Promise.race([proc.exited, delay(1000)]);
  live.delete(proc.pid);
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous, so it also works from an 'exit' handler. */
export function killAll() {
  for (const pid of live.keys()) signalGroup(pid, 'SIGKILL');
  live.clear();
}

let installed = false;
/** Cleans up children however this process ends. `onSignal` runs first (e.g. to note the interruption). */
export function installCleanup(onSignal = () => {}) {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      onSignal(sig);
      killAll();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (err) => {
    console.error(err);
    killAll();
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error(err);
    killAll();
    process.exit(1);
  });
}

/** Waits until `pattern` appears in the file; returns the match. Fails if the process exits first. */
export async function waitForLog(proc, pattern, ms = 30_000) {
  const until = Date.now() + ms;
  let exited = false;
  proc.exited.then(() => (exited = true));
  while (Date.now() < until) {
    const text = readFileSync(proc.logFile, 'utf8');
    const m = pattern.exec(text);
    if (m) return m;
    if (exited) throw new Error(`${proc.label} exited before printing ${pattern}:\n${text.slice(-2000)}`);
    await delay(10);
  }
  throw new Error(
    `${proc.label}: timed out waiting for ${pattern}:\n${readFileSync(proc.logFile, 'utf8').slice(-2000)}`,
  );
}

/** GET `url` until it answers 200; resolves with the time it first did (performance.now()). */
export async function waitForHttp200(url, ms = 30_000, proc) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const status = await new Promise((done) => {
      const req = get(url, { agent: false }, (res) => {
        res.resume();
        done(res.statusCode);
      });
      req.on('error', () => done(0));
      req.setTimeout(1000, () => req.destroy());
    });
    if (status === 200) return performance.now();
    if (proc && !live.has(proc.pid)) throw new Error(`${proc.label} exited before ${url} answered`);
    await delay(5);
  }
  throw new Error(`timed out waiting for ${url}`);
}

/** A port free right now on 127.0.0.1 (for a child whose port we must know before it logs anything). */
export async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds (user + system) used so far by every process in the group led by `pgid`. Threads count
 * with their process; a child that exited and was reaped counts in its parent's cutime, which we add.
 */
export function groupCpuSeconds(pgid) {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57) continue;
    try {
      const f = statFields(name);
      // After the name: [0] state, [2] pgrp, [11] utime, [12] stime, [13] cutime, [14] cstime.
      if (Number(f[2]) !== pgid) continue;
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // The process ended while we read.
    }
  }
  return ticks / CLK_TCK;
}

/** Resident set now and its high-water mark, in MB, from /proc/<pid>/status. */
export function memoryOf(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/**
 * CPU seconds the whole machine has been busy (user, nice, system, irq, softirq, steal: /proc/stat) and
 * those this process tree used (its own plus every child it has reaped: utime + stime + cutime + cstime).
 * Across a run whose children have all been stopped, the difference is what other tenants took.
 */
export function cpuAccounting() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  const f = statFields('self');
  return {
    machineBusy: (user + nice + system + irq + softirq + steal) / CLK_TCK,
    ours: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK,
    at: performance.now(),
  };
}

export function loadAverage() {
  const [one, five, fifteen, running] = readFileSync('/proc/loadavg', 'utf8').trim().split(' ');
  return { one: Number(one), five: Number(five), fifteen: Number(fifteen), running };
}
