// Hot reload in-process: a valid file replaces the table (REST routes, OpenAPI, MCP tools/list) on the same
// sockets; a broken file or a moved port leaves the old table serving, with the reason logged.

import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern, rpcResult } from '../mcp/wire.js';
import type { RuntimeOptions } from '../../src/runtime.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { capabilityYaml, tempCapability, type Op, type TempCapability } from './capability.js';

const ITEMS: Op = { name: 'list-items', path: '/items' };
const STATS: Op = { name: 'get-stats', path: '/stats' };
const THINGS: Op = { name: 'list-things', path: '/things' };

let up: RecordingUpstream;
let cap: TempCapability | undefined;
let rt: TestRuntime | undefined;

beforeAll(async () => {
  up = await startRecordingUpstream();
  up.respond((r) => ({ body: { path: r.path } }));
});
afterEach(async () => {
  await rt?.close();
  await cap?.remove();
  rt = undefined;
  cap = undefined;
});
afterAll(async () => up.close());

async function start(ops: readonly Op[]): Promise<TestRuntime> {
  cap = await tempCapability(capabilityYaml({ upstream: up.url, ops }));
  rt = await startTestRuntime({ file: cap.file });
  return rt;
}

const api = (r: TestRuntime, path: string) => fetch(`${r.urls['api'] ?? ''}${path}`);
const mcp = (r: TestRuntime) => `${r.urls['tools'] ?? ''}/mcp`;

async function toolNames(r: TestRuntime): Promise<Array<{ name: string; description?: string }>> {
  const res = await modern(mcp(r), 'tools/list');
  const tools = rpcResult(res)['tools'] as Array<{ name: string; description?: string }>;
  return tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) }));
}

describe('reload with a valid file', () => {
  it('adds, removes and changes REST routes and MCP tools on the same ports', async () => {
    const r = await start([ITEMS, STATS]);
    const urls = { ...r.urls };
    expect((await api(r, '/items')).status).toBe(200);
    expect((await api(r, '/things')).status).toBe(404);

    await cap?.write(
      capabilityYaml({
        upstream: up.url,
        // list-items removed, list-things added, get-stats moved to another upstream path and re-described.
        ops: [THINGS, { name: 'get-stats', path: '/stats', description: 'Counters, now described.' }],
      }),
    );
    const outcome = await r.reload();
    expect(outcome).toEqual({
      ok: true,
      bindings: 4,
      added: ['api.list-things', 'tools.list-things'],
      removed: ['api.list-items', 'tools.list-items'],
    });
    expect(r.urls).toEqual(urls);

    expect((await api(r, '/items')).status).toBe(404);
    const things = await api(r, '/things');
    expect(things.status).toBe(200);
    expect(await things.json()).toEqual({ path: '/things' });
    const paths = Object.keys(((await (await api(r, '/openapi.json')).json()) as { paths: object }).paths);
    expect(paths.sort()).toEqual(['/stats', '/things']);

    expect(await toolNames(r)).toEqual([
      { name: 'list-things', description: 'Read list-things.' },
      { name: 'get-stats', description: 'Counters, now described.' },
    ]);
    const call = await modern(mcp(r), 'tools/call', { name: 'list-things', arguments: {} });
    expect(rpcResult(call)['structuredContent']).toEqual({ path: '/things' });
    const gone = await modern(mcp(r), 'tools/call', { name: 'list-items', arguments: {} });
    expect(gone.json?.['error']).toMatchObject({ message: expect.stringContaining('list-items') });
    expect(r.table.bindings.map((b) => b.id)).toContain('tools.list-things');
  });

  it('a call in flight when the table changes finishes on the old table', async () => {
    up.respond((req) => ({ delayMs: req.path === '/items' ? 600 : 0, body: { path: req.path } }));
    const r = await start([ITEMS]);
    const slowRest = api(r, '/items');
    const slowTool = modern(mcp(r), 'tools/call', { name: 'list-items', arguments: {} });
    await up.waitForRequests(2);
    await cap?.write(capabilityYaml({ upstream: up.url, ops: [THINGS] }));
    expect((await r.reload()).ok).toBe(true);
    expect((await api(r, '/items')).status).toBe(404);
    const rest = await slowRest;
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual({ path: '/items' });
    expect(rpcResult(await slowTool)['structuredContent']).toEqual({ path: '/items' });
    up.respond((req) => ({ body: { path: req.path } }));
  });

  it('keeps counting the same metric series across a reload', async () => {
    const r = await start([ITEMS]);
    await api(r, '/items');
    await api(r, '/items');
    expect((await r.reload()).ok).toBe(true);
    await api(r, '/items');
    const text = await (await api(r, '/metrics')).text();
    expect(text).toMatch(/runtime_requests_total\{adapter="rest",binding="api\.list-items",status="200"\} 3/);
  });
});

describe('reload refused', () => {
  it('a broken file: the old table keeps serving and each error is logged with file:line:col', async () => {
    const r = await start([ITEMS]);
    await cap?.write(
      capabilityYaml({ upstream: up.url, ops: [ITEMS] }).replace('call: up.list-items', 'call: up.nope'),
    );
    const outcome = await r.reload();
    expect(outcome.ok).toBe(false);
    const lines = r.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const diag = lines.find((l) => l['level'] === 50 && typeof l['at'] === 'string');
    expect(diag?.['at']).toMatch(new RegExp(`${cap?.file ?? ''}:\\d+:\\d+$`));
    expect(
      lines.some(
        (l) =>
          String(l['msg']).startsWith('reload refused:') &&
          String(l['msg']).includes('still serving the previous table'),
      ),
    ).toBe(true);
    expect((await api(r, '/items')).status).toBe(200);
    expect((await toolNames(r)).map((t) => t.name)).toEqual(['list-items']);

    await cap?.write('naftiko: 1.0.0-alpha2\ncapability: [unclosed\n');
    expect((await r.reload()).ok).toBe(false);
    expect((await api(r, '/items')).status).toBe(200);
  });

  it('a moved port: refused with a message naming the adapter and both ports', async () => {
    const port = await freePort();
    cap = await tempCapability(capabilityYaml({ upstream: up.url, ops: [ITEMS], restPort: port }));
    // No --rest-port: the file's port is the one listened on.
    rt = await startTestRuntime({ file: cap.file, restPort: undefined } as unknown as Partial<RuntimeOptions>);
    const r = rt;
    await cap.write(capabilityYaml({ upstream: up.url, ops: [ITEMS, THINGS], restPort: port + 1 }));
    const outcome = await r.reload();
    expect(outcome).toEqual({
      ok: false,
      reason: `adapter 'api' moved from port ${port} to ${port + 1}; a reload keeps the open sockets, restart to change them`,
    });
    expect(r.urls['api']).toBe(`http://127.0.0.1:${port}`);
    expect((await api(r, '/things')).status).toBe(404);
    expect((await api(r, '/items')).status).toBe(200);
  });
});

describe('reload and stop', () => {
  it('a stop waits for a reload in progress; a reload after the stop is refused', async () => {
    const r = await start([ITEMS]);
    await cap?.write(capabilityYaml({ upstream: up.url, ops: [THINGS] }));
    const reloading = r.reload();
    // Let the reload begin (it is reading the file) before the stop.
    await new Promise((done) => setImmediate(done));
    await r.close();
    rt = undefined;
    expect((await reloading).ok).toBe(true);
    expect(await r.reload()).toEqual({ ok: false, reason: 'the runtime is stopping' });
  });
});

describe('reload under load', () => {
  it('200 calls from 4 concurrent clients (REST and MCP) across 5 reloads: none fails', async () => {
    up.respond(async (req) => ({ delayMs: 15, body: { path: req.path } }));
    const r = await start([ITEMS, STATS]);
    const total = 200;
    let sent = 0;
    const failures: string[] = [];
    const client = async (kind: 'rest' | 'mcp') => {
      while (sent < total) {
        sent++;
        try {
          if (kind === 'rest') {
            const res = await api(r, '/items');
            if (res.status !== 200) failures.push(`rest ${res.status} ${await res.text()}`);
            else await res.arrayBuffer();
          } else {
            const res = await modern(mcp(r), 'tools/call', { name: 'list-items', arguments: {} });
            const result = rpcResult(res);
            if (res.status !== 200 || result['isError'] === true || result['structuredContent'] === undefined)
              failures.push(`mcp ${res.status} ${res.text.slice(0, 300)}`);
          }
        } catch (err) {
          failures.push(`${kind} ${String(err)}`);
        }
      }
    };
    const clients = Promise.all([client('rest'), client('rest'), client('mcp'), client('mcp')]);
    const outcomes = [];
    const sentAtFirst = sent;
    for (let i = 0; i < 5; i++) {
      // Each reload changes the table (a description) so every swap builds new apps.
      await cap?.write(capabilityYaml({ upstream: up.url, ops: [ITEMS, { ...STATS, description: `v${i}` }] }));
      outcomes.push((await r.reload()).ok);
    }
    // The reloads happened while calls were going: not before the first one, not after the last.
    expect([sentAtFirst < total, sent < total]).toEqual([true, true]);
    await clients;
    expect(outcomes).toEqual([true, true, true, true, true]);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(total);
    up.respond((req) => ({ body: { path: req.path } }));
  });
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => done(port));
    });
  });
}
