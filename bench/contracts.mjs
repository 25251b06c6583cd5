#!/usr/bin/env node
// What the upstream contract costs REST (docs/contracts.md): our runtime with and without Logto's OpenAPI
// document (`--openapi`: typed body and parameter validation), same upstream, same routes, alternating in
// each round so a slow moment hits both. Writes its own section of bench/RESULTS.md (between markers, which a
// full `npm run bench` keeps) and prints it.
//
//   node bench/contracts.mjs [--quick] [--rounds N] [--duration S] [--connections N]

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { installCleanup, loadAverage, stop } from './lib/procs.mjs';
import { restRun } from './lib/measure.mjs';
import { ROUTES, requestOf } from './lib/scenarios.mjs';
import { startOurs, startUpstream } from './lib/servers.mjs';
import { fetchOnce } from './lib/http-load.mjs';
import { describeRun } from './lib/report.mjs';
import { spliceSection, CONTRACTS_BEGIN, CONTRACTS_END } from './lib/sections.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
  },
});
const cfg = {
  quick: opt.quick,
  rounds: Number(opt.rounds ?? (opt.quick ? 2 : 5)),
  duration: Number(opt.duration ?? (opt.quick ? 2 : 5)),
  connections: Number(opt.connections ?? 10),
};
const ROUTE_NAMES = ['create', 'get', 'list20'];
const routes = ROUTES.filter((r) => ROUTE_NAMES.includes(r.name));
const logDir = mkdtempSync(join(tmpdir(), 'runtime-bench-contracts-'));
installCleanup(() => console.error(`stopping (logs in ${logDir})`));

const servers = {};
const rows = [];
try {
  const load = loadAverage();
  servers.upstream = await startUpstream(ROOT, logDir);
  const upstream = servers.upstream.origin;
  servers.plain = await startOurs(ROOT, logDir, { upstream, name: 'plain' });
  servers.typed = await startOurs(ROOT, logDir, {
    upstream,
    name: 'typed',
    extraArgs: ['--openapi', 'capabilities/logto-one-time-tokens.openapi.json'],
  });
  const targets = ['plain', 'typed'].map((name) => ({
    name,
    pid: servers[name].pid,
    url: (route) => `${servers[name].rest}/v1${route.path}`,
    headers: {},
  }));
  // A typed instance that let a bad body through would measure nothing: check it refuses one first.
  const bad = await fetchOnce(`${servers.typed.rest}/v1/api/one-time-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@example.com', expiresIn: '10m' }),
  });
  if (bad.status !== 400 || !bad.text.includes('body.expiresIn'))
    throw new Error(`the typed instance did not refuse a wrongly typed body: ${bad.status} ${bad.text}`);
  for (const target of targets)
    for (const route of routes) {
      const r = await fetchOnce(requestOf(target, route).url, requestOf(target, route));
      if (r.status !== route.status) throw new Error(`${target.name} ${route.name}: ${r.status} ${r.text}`);
      await restRun(target, route, cfg.connections, 1, servers.upstream); // warm-up, not recorded
    }
  for (let round = 0; round < cfg.rounds; round++) {
    const order = round % 2 ? [...targets].reverse() : targets;
    for (const route of routes)
      for (const target of order) {
        const r = await restRun(target, route, cfg.connections, cfg.duration, servers.upstream);
        rows.push({ round, route: route.name, target: target.name, ...r });
        if (r.errors || r.non2xx)
          console.error(`${target.name} ${route.name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      }
  }
  const micro = await validatorCost();
  const md = report(rows, micro, cfg, load, describeRun(ROOT, process.argv.slice(2)));
  const file = join(ROOT, 'bench/RESULTS.md');
  writeFileSync(file, spliceSection(readFileSync(file, 'utf8'), md));
  console.log(md);
} finally {
  await Promise.allSettled(Object.values(servers).map((s) => stop(s)));
  rmSync(logDir, { recursive: true, force: true });
}

/** µs per `input.validate` of the bench's own arguments, with and without the contract (best of 5 batches). */
async function validatorCost() {
  const { loadCapability } = await import(join(ROOT, 'dist/spec/load.js'));
  const { compileTable } = await import(join(ROOT, 'dist/binding/compile.js'));
  const { loadContracts } = await import(join(ROOT, 'dist/contracts/index.js'));
  const doc = (await loadCapability(join(ROOT, 'capabilities/logto-one-time-tokens.yaml'))).doc;
  const contracts = await loadContracts(
    doc,
    [{ location: join(ROOT, 'capabilities/logto-one-time-tokens.openapi.json'), from: '--openapi' }],
    {},
  );
  const tables = { plain: compileTable(doc), typed: compileTable(doc, { contracts: contracts.index }) };
  const create = ROUTES.find((r) => r.name === 'create');
  const cases = [
    ['create (POST body)', 'logto-one-time-tokens-rest.addonetimetokens', { body: JSON.parse(create.body) }],
    ['list (query)', 'logto-one-time-tokens-rest.listonetimetokens', { page: '2', page_size: '20', status: 'active' }],
  ];
  return cases.map(([name, id, args]) => {
    const per = {};
    for (const [kind, table] of Object.entries(tables)) {
      const b = table.bindings.find((x) => x.id === id);
      if (!b.input.validate(args).ok) throw new Error(`${kind} ${name}: the bench's arguments do not validate`);
      let best = Infinity;
      for (let batch = 0; batch < 5; batch++) {
        const n = 20_000;
        const t = process.hrtime.bigint();
        for (let i = 0; i < n; i++) b.input.validate(args);
        best = Math.min(best, Number(process.hrtime.bigint() - t) / 1000 / n);
      }
      per[kind] = best;
    }
    return { name, ...per };
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function report(rows, micro, cfg, load, meta) {
  const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    CONTRACTS_BEGIN,
    '## Upstream contracts: REST with and without the OpenAPI document',
    '',
    `Written by \`node bench/contracts.mjs${cfg.quick ? ' --quick' : ''}\` on ${meta.date} (${meta.commit}); load average before ${load.one}. ` +
      `${cfg.rounds} alternating rounds of ${cfg.duration} s closed-loop runs, ${cfg.connections} connections, against the bench upstream. ` +
      '`typed` is started with `--openapi capabilities/logto-one-time-tokens.openapi.json` (typed body and parameter validation); `plain` without it. ' +
      'Ratios are medians of same-round ratios.',
    '',
    '| route | plain rps | typed rps | typed / plain rps | plain CPU µs/req | typed CPU µs/req | typed / plain CPU |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const route of ROUTE_NAMES) {
    const of = (t) => rows.filter((r) => r.route === route && r.target === t);
    const plain = of('plain');
    const typed = of('typed');
    const rps = plain.map((p, i) => typed[i].rps / p.rps);
    const cpu = plain.map((p, i) => typed[i].cpuUs / p.cpuUs);
    lines.push(
      `| ${route} | ${fmt(median(plain.map((r) => r.rps)))} | ${fmt(median(typed.map((r) => r.rps)))} | ${fmt(median(rps), 3)} | ${fmt(median(plain.map((r) => r.cpuUs)))} | ${fmt(median(typed.map((r) => r.cpuUs)))} | ${fmt(median(cpu), 3)} |`,
    );
  }
  lines.push(
    '',
    "The validator alone, in process (the compiled binding table from dist/, one argument check of the bench's create body; " +
      'it does not depend on the load of the machine the way the figures above do):',
    '',
    '| binding | plain µs/check | typed µs/check |',
    '|---|---|---|',
    ...micro.map((m) => `| ${m.name} | ${fmt(m.plain, 2)} | ${fmt(m.typed, 2)} |`),
    '',
    CONTRACTS_END,
  );
  return lines.join('\n');
}
