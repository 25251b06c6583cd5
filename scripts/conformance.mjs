#!/usr/bin/env node
// `npm run conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance) against the
// runtime as a user starts it (`node dist/cli.js start …`), once per spec revision, each judged against its
// checked-in baseline in scripts/conformance/. The capability is the suite's fixtures written as a capability
// file (test/fixtures/capabilities/mcp-conformance/: test://static-text, test_simple_prompt, …); its dynamic
// resource calls a small fixture upstream this script serves. Exit 0 only when every failing check is a
// baselined one and no baselined check passes (a stale entry).
//
//   node scripts/conformance.mjs [--url <mcp url>] [--out <dir>] [--revision <rev>]… [--baselines <dir>]
//
// --url tests a server that is already running instead of starting one (e.g. the Docker image).
// --baselines reads expected-failures-<revision>.yml from another directory (the test of this script).
// The suite needs Node >= 22 (fs.globSync): it runs on the Node running this script, which engines requires to be.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..');
const SUITE = join(ROOT, 'node_modules/@modelcontextprotocol/conformance');
const NODE = process.execPath;
const CAPABILITY = 'test/fixtures/capabilities/mcp-conformance/capability.yaml';
const FIXTURE_UPSTREAM = 'conformance-fixtures';
const REVISIONS = ['2025-11-25', '2026-07-28'];
const FAILING = new Set(['FAILURE', 'WARNING']);

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'conformance-results') },
    revision: { type: 'string', multiple: true },
    baselines: { type: 'string', default: join(ROOT, 'scripts/conformance') },
  },
});
const revisions = opts.revision ?? REVISIONS;
const out = resolve(opts.out);
// A proxy in the environment would swallow the suite's loopback requests.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|all)_proxy$/i.test(k)));

const started = performance.now();
let runtime;
let upstream;
let ok = true;
try {
  mkdirSync(out, { recursive: true });
  if (opts.url === undefined) {
    upstream = await startFixtureUpstream();
    runtime = await startRuntime(upstream.url);
  }
  const url = opts.url ?? runtime.url;
  for (const revision of revisions) {
    const report = await runRevision(revision, url);
    print(report);
    ok &&= report.ok;
  }
} catch (err) {
  console.error(`conformance: ${err instanceof Error ? err.message : String(err)}`);
  ok = false;
} finally {
  if (runtime) {
    const code = await runtime.stop();
    if (code !== 0) {
      console.error(`conformance: the runtime exited with ${code} on SIGTERM (log: ${rel(runtime.logFile)})`);
      ok = false;
    }
  }
  await upstream?.close();
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`conformance: ${ok ? 'PASS' : 'FAIL'} (${revisions.join(', ')}) in ${seconds} s; results in ${rel(out)}/`);
process.exitCode = ok ? 0 : 1;

/**
 * The upstream behind the fixture capability's dynamic resource: `GET /template/<id>` answers the data the
 * suite's resources-templates-read scenario describes, so the read goes through the real pipeline.
 */
async function startFixtureUpstream() {
  const server = createServer((req, res) => {
    const m = /^\/template\/([^/?]+)$/.exec(req.url ?? '');
    const id = m ? decodeURIComponent(m[1]) : undefined;
    const body = id === undefined ? { message: 'not found' } : { id, templateTest: true, data: `Data for ID: ${id}` };
    res.writeHead(id === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/** `runtime start` in a child process; resolves with the MCP URL from its JSON banner. */
async function startRuntime(upstreamUrl) {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) {
    const build = await run('npm', ['run', 'build'], { stdio: 'inherit' });
    if (build.code !== 0) throw new Error(`npm run build failed (${build.code})`);
  }
  const args = [
    'dist/cli.js',
    'start',
    CAPABILITY,
    '--mcp-port',
    '0',
    '--base-uri',
    `${FIXTURE_UPSTREAM}=${upstreamUrl}`,
  ];
  const child = spawn(process.execPath, [...args, '--log-format', 'json'], { cwd: ROOT, env });
  const logFile = join(out, 'runtime.log');
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  const stop = async () => {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, delay(10_000, 'timeout', { ref: false })]);
    if (code === 'timeout') child.kill('SIGKILL');
    writeFileSync(logFile, log);
    return code;
  };
  let waiting = true;
  const url = await Promise.race([
    (async () => {
      while (waiting) {
        const m = /"msg":"MCP adapter '[^']+' listening on (http:\/\/[^ "]+\/mcp)/.exec(log);
        if (m) return m[1];
        await delay(25);
      }
    })(),
    exited.then((code) => Promise.reject(new Error(`the runtime exited with ${code} before listening:\n${log}`))),
    delay(30_000, undefined, { ref: false }).then(() => Promise.reject(new Error(`no MCP banner in 30 s:\n${log}`))),
  ])
    .catch(async (err) => {
      await stop();
      throw err;
    })
    .finally(() => (waiting = false));
  return { url, logFile, stop };
}

/** One suite run at one revision's wire, judged by the suite and, for the unscored scenarios too, by us. */
async function runRevision(revision, url) {
  const dir = join(out, revision);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const baselineFile = resolve(opts.baselines, `expected-failures-${revision}.yml`);
  const args = [join(SUITE, 'dist/index.js'), 'server', '--url', url, '--requirements', revision];
  args.push('--expected-failures', baselineFile, '-o', dir);
  const suite = await run(NODE, args, { env: { ...env, NO_COLOR: '1' } });
  writeFileSync(join(dir, 'suite.log'), suite.output);

  const scored = new Set(parse(readFileSync(join(SUITE, 'requirements', `${revision}.yaml`), 'utf8')).server);
  const baseline = parseBaseline(parse(readFileSync(baselineFile, 'utf8'))?.server ?? []);
  const results = readResults(dir);
  if (results.length === 0) throw new Error(`the suite produced no results for ${revision}:\n${suite.output}`);
  const judged = (filter) => judge(results.filter(filter), baseline);
  const main = judged((r) => scored.has(r.scenario));
  const extra = judged((r) => !scored.has(r.scenario));
  const clean = main.unexpected.length + main.stale.length + extra.unexpected.length + extra.stale.length === 0;
  return { revision, url, suite, main, extra, ok: suite.code === 0 && clean };
}

/** `-o` writes one `server-<scenario>-<timestamp>/checks.json` per scenario. */
function readResults(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'checks.json')))
    .map((e) => ({
      scenario: e.name.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, ''),
      checks: JSON.parse(readFileSync(join(dir, e.name, 'checks.json'), 'utf8')),
    }));
}

/** Entries are `<scenario>` (whole scenario may fail) or `<scenario>:<check-id>`, as the suite reads them. */
function parseBaseline(entries) {
  const whole = new Set();
  const checks = new Set();
  for (const e of entries) (String(e).includes(':') ? checks : whole).add(String(e));
  return { whole, checks };
}

/**
 * The suite's own rules, applied to every scenario it ran: a check fails on FAILURE or WARNING; repeated
 * ids collapse to their worst status; a baselined check that passes is stale; absent or skipped is fine.
 */
function judge(results, baseline) {
  const r = { scenarios: results.length, passed: 0, expectedScenarios: 0, checksPassed: 0 };
  Object.assign(r, { expected: [], unexpected: [], stale: [] });
  for (const { scenario, checks } of results) {
    r.checksPassed += checks.filter((c) => c.status === 'SUCCESS').length;
    const worst = new Map();
    for (const c of checks) if (rank(c.status) > rank(worst.get(c.id))) worst.set(c.id, c.status);
    const failing = [...worst].filter(([, s]) => FAILING.has(s)).map(([id]) => `${scenario}:${id}`);
    if (failing.length === 0) r.passed += 1;
    const excused = (key) => baseline.whole.has(scenario) || baseline.checks.has(key);
    if (failing.length > 0 && failing.every(excused)) r.expectedScenarios += 1;
    for (const key of failing) (excused(key) ? r.expected : r.unexpected).push(key);
    for (const [id, status] of worst)
      if (status === 'SUCCESS' && baseline.checks.has(`${scenario}:${id}`)) r.stale.push(`${scenario}:${id}`);
    if (baseline.whole.has(scenario) && failing.length === 0) r.stale.push(scenario);
  }
  return r;
}

function rank(status) {
  return ['INFO', 'SKIPPED', 'SUCCESS', 'WARNING', 'FAILURE'].indexOf(status ?? 'INFO');
}

function print({ revision, url, suite, main, extra, ok }) {
  const line = (label, j) =>
    `  ${label.padEnd(11)}${String(j.scenarios).padStart(3)} scenarios: ${j.passed} passed, ` +
    `${j.expectedScenarios} failing as expected, ${j.scenarios - j.passed - j.expectedScenarios} unexpected | ` +
    `checks: ${j.checksPassed} passed, ${j.expected.length} expected failures, ` +
    `${j.unexpected.length} unexpected, ${j.stale.length} stale`;
  console.log(`conformance ${revision} against ${url}: ${ok ? 'ok' : 'FAILED'}`);
  console.log(line('scored', main));
  console.log(line('not scored', extra));
  for (const key of [...main.unexpected, ...extra.unexpected]) console.log(`  unexpected failure: ${key}`);
  for (const key of [...main.stale, ...extra.stale]) console.log(`  stale baseline entry (now passes): ${key}`);
  if (suite.code !== 0)
    console.log(`  the suite exited with ${suite.code}; its output: ${rel(join(out, revision))}/suite.log`);
}

function run(command, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env, ...options });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.once('error', fail);
    child.once('exit', (code, signal) => done({ code: code ?? signal, output }));
  });
}

function rel(path) {
  return relative(process.cwd(), path) || '.';
}
