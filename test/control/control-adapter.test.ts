// The control adapter (`type: control`) over real HTTP. Scenarios from the reference engine (ikanos
// v1.0.0-alpha2) as facts: ControlIntegrationTest, ControlServerSpecTest, ControlServerAdapterTest,
// HealthLiveResourceTest, MetricsResourceTest, TracesResourceTest, ScriptingIntegrationTest and
// ObservabilitySpecIntegrationTest, on their fixtures under test/fixtures/engine/{control,observability}/.
// Then a control adapter beside the seed's REST and MCP adapters (status, readiness, metrics and recent
// calls of both), with inbound auth, and a control-only capability started through the real CLI.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { jsonLines, runCli } from '../support/cli.js';
import { SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/engine');
const fixture = (name: string) => join(FIXTURES, name);

const open: TestRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((rt) => rt.close()));
});

async function control(file: string, overrides: Parameters<typeof startTestRuntime>[0] = {}) {
  const rt = await startTestRuntime({ file, controlPort: 0, ...overrides });
  open.push(rt);
  const url = rt.urls['control'] ?? '';
  expect(url).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+$/);
  return { rt, get: (path: string, init?: RequestInit) => fetch(`${url}${path}`, init) };
}

async function problem(res: Response, status: number): Promise<{ code: string; detail: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { code: string; detail: string };
}

describe('control/control-capability.yaml (health and info on, traces buffer-size 50)', () => {
  it('/health/live answers UP as JSON (HealthLiveResourceTest)', async () => {
    const { get } = await control(fixture('control/control-capability.yaml'));
    const res = await get('/health/live');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'UP' });
  });

  it('/health/ready is UP when every adapter started, listing them', async () => {
    const { get, rt } = await control(fixture('control/control-capability.yaml'));
    const res = await get('/health/ready');
    expect(res.status).toBe(200);
    const port = Number(new URL(rt.urls['control'] ?? '').port);
    expect(await res.json()).toEqual({
      status: 'UP',
      adapters: [{ type: 'control', port, url: rt.urls['control'], transport: 'http', state: 'started' }],
    });
  });

  it('/status (info: true) names the capability, the spec version, the engine, the uptime and the adapters', async () => {
    const { get } = await control(fixture('control/control-capability.yaml'));
    const body = (await (await get('/status')).json()) as Record<string, unknown>;
    expect(body['capability']).toEqual({
      label: 'Control Port Test Capability',
      specVersion: '1.0.0-alpha2',
      version: '2026-06-01',
      bindings: 0,
    });
    expect(body['engine']).toMatchObject({ name: 'naftiko-runtime', node: process.version });
    expect(body['uptime']).toMatch(/^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$/);
    expect(body['otel']).toEqual({ status: 'inactive' });
    expect(body['adapters']).toEqual([expect.objectContaining({ type: 'control', state: 'started' })]);
  });

  it('/traces uses the configured capacity and starts empty; an unknown id is a 404 (TracesResourceTest)', async () => {
    const { get } = await control(fixture('control/control-capability.yaml'));
    expect(await (await get('/traces')).json()).toEqual({ traces: [], bufferSize: 50, bufferUsed: 0 });
    const p = await problem(await get('/traces/nonexistent'), 404);
    expect(p.detail).toContain("No trace 'nonexistent'");
  });

  it('/metrics is the Prometheus text exposition, counting the control requests themselves', async () => {
    const { get } = await control(fixture('control/control-capability.yaml'));
    await get('/health/live');
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE runtime_requests_total counter');
    expect(text).toContain('runtime_requests_total{adapter="control",binding="",status="200"} 1');
    expect(text).toContain('# TYPE runtime_request_duration_seconds histogram');
  });

  it('no scripting block: /scripting is not served, and says why (ScriptingIntegrationTest)', async () => {
    const { get } = await control(fixture('control/control-capability.yaml'));
    expect((await problem(await get('/scripting'), 404)).detail).toContain('management.scripting');
  });

  it('another method on a served route is a 405 with Allow; an unknown path lists what is served', async () => {
    const { get } = await control(fixture('control/control-capability.yaml'));
    const res = await get('/status', { method: 'POST' });
    expect((await problem(res, 405)).code).toBe('NAF_ERR_METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await problem(await get('/config'), 404)).detail).toBe(
      'No route /config; this control adapter serves /health/live, /health/ready, /status, /metrics, /traces, /traces/{id}',
    );
  });

  it('refuses a foreign Host on /status (DNS rebinding), not on the probes', async () => {
    const { rt } = await control(fixture('control/control-capability.yaml'));
    const port = new URL(rt.urls['control'] ?? '').port;
    const raw = (path: string) =>
      new Promise<number>((done, fail) => {
        // fetch cannot set Host: write the request by hand.
        import('node:http')
          .then(({ request }) =>
            request({ host: '127.0.0.1', port, path, headers: { host: 'attacker.example' } }, (res) => {
              res.resume();
              done(res.statusCode ?? 0);
            })
              .on('error', fail)
              .end(),
          )
          .catch(fail);
      });
    expect(await raw('/status')).toBe(403);
    expect(await raw('/traces')).toBe(403);
    expect(await raw('/health/live')).toBe(200);
    expect(await raw('/metrics')).toBe(200);
  });
});

describe('observability settings', () => {
  it('observability.enabled: false removes /metrics and /traces, saying which setting did (ControlIntegrationTest)', async () => {
    const { get } = await control(fixture('control/control-observability-disabled.yaml'));
    for (const path of ['/metrics', '/traces', '/traces/abc'])
      expect((await problem(await get(path), 404)).detail).toMatch(/is off \(observability\.enabled/);
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/status')).status).toBe(200);
  });

  it('observability/observability-disabled.yaml: no management block → info off: /status is a 404 naming management.info', async () => {
    const { get } = await control(fixture('observability/observability-disabled.yaml'));
    expect((await problem(await get('/status'), 404)).detail).toBe(
      '/status is off: set management.info: true on the control adapter',
    );
    expect((await get('/health/ready')).status).toBe(200); // health defaults to on (ControlServerSpecTest)
    expect((await get('/metrics')).status).toBe(404);
  });

  it('observability/observability-capability.yaml: default buffer of 100; OTLP export and propagation warned at load', async () => {
    const { get, rt } = await control(fixture('observability/observability-capability.yaml'));
    expect(await (await get('/traces')).json()).toMatchObject({ bufferSize: 100 });
    expect((await get('/metrics')).status).toBe(200);
    const warnings = rt.logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^not served: control observability\.exporters\.otlp: the file does not configure export; the OTEL_\* variables do/,
        ),
        expect.stringMatching(/^not served: control observability\.traces\.propagation/),
      ]),
    );
  });

  it('metrics.local.enabled: false alone removes /metrics; traces.local.enabled: false alone removes /traces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'control-'));
    const write = (name: string, observability: string) => {
      const file = join(dir, name);
      writeFileSync(
        file,
        `naftiko: "1.0.0-alpha2"\ninfo:\n  label: t\n  description: t\ncapability:\n  exposes:\n    - type: control\n      port: 9100\n      observability:\n${observability}`,
      );
      return file;
    };
    const m = await control(write('m.yaml', '        metrics:\n          local:\n            enabled: false\n'));
    expect((await m.get('/metrics')).status).toBe(404);
    expect((await m.get('/traces')).status).toBe(200);
    const t = await control(write('t.yaml', '        traces:\n          local:\n            enabled: false\n'));
    expect((await t.get('/traces')).status).toBe(404);
    expect((await t.get('/metrics')).status).toBe(200);
  });
});

describe('control/control-scripting-capability.yaml', () => {
  it('GET /scripting returns the block with the engine’s field names', async () => {
    const { get } = await control(fixture('control/control-scripting-capability.yaml'));
    expect(await (await get('/scripting')).json()).toMatchObject({
      enabled: true,
      defaultLocation: 'file:///app/scripts',
      defaultLanguage: 'javascript',
      timeout: 3000,
      statementLimit: 50000,
      allowedLanguages: ['javascript', 'python'],
    });
  });

  it('PUT /scripting is refused with 405 (settings are compiled at load) and changes nothing', async () => {
    const { get } = await control(fixture('control/control-scripting-capability.yaml'));
    const res = await get('/scripting', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false, timeout: 7000 }),
    });
    expect((await problem(res, 405)).detail).toContain('change management.scripting in the file and restart');
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await (await get('/scripting')).json()).toMatchObject({ enabled: true, timeout: 3000 });
  });
});

// The seed with a control adapter in front of its REST and MCP adapters.
function seedWithControl(extra = '', bindsExtra = ''): string {
  const seed = readFileSync(SEED, 'utf8');
  const entry = `  - type: control\n    port: 9199\n    management:\n      info: true\n    observability:\n      traces:\n        local:\n          buffer-size: 10\n${extra}`;
  const text = seed
    .replace('  exposes:\n', `  exposes:\n${entry}`)
    .replace('    LOGTO_API_KEY: LOGTO_API_KEY\n', `    LOGTO_API_KEY: LOGTO_API_KEY\n${bindsExtra}`);
  expect(text).not.toBe(seed);
  const file = join(mkdtempSync(join(tmpdir(), 'control-seed-')), 'capability.yaml');
  writeFileSync(file, text);
  return file;
}

describe('beside REST and MCP adapters', () => {
  let up: RecordingUpstream;
  let rt: TestRuntime;
  let get: (path: string) => Promise<Response>;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    rt = await startTestRuntime({
      file: seedWithControl(),
      controlPort: 0,
      baseUris: { 'logto-one-time-tokens': up.url },
    });
    get = (path) => fetch(`${rt.urls['control']}${path}`);
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
  });

  it('/status and /health/ready list every adapter with its URL and binding count', async () => {
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    const status = (await (await get('/status')).json()) as { adapters: unknown[]; capability: unknown };
    expect(status.capability).toMatchObject({ bindings: 12 });
    expect(status.adapters).toEqual([
      expect.objectContaining({ type: 'control', state: 'started' }),
      {
        type: 'rest',
        namespace: 'logto-one-time-tokens-rest',
        port: Number(new URL(rt.restUrl).port),
        url: rt.restUrl,
        transport: 'http',
        bindings: 6,
        state: 'started',
      },
      expect.objectContaining({
        type: 'mcp',
        namespace: 'logto-one-time-tokens-mcp',
        url: rt.urls['logto-one-time-tokens-mcp'],
        bindings: 6,
        state: 'started',
      }),
    ]);
  });

  it('/traces keeps the calls of both adapters (not their probes), newest first, filterable; /traces/{id} has the span', async () => {
    up.reset();
    up.respond((req) => (req.path.endsWith('/broken') ? { status: 503, body: { message: 'down' } } : { body: [] }));
    await rt.rest('/health/live'); // a probe: not a call
    const listed = await rt.rest('/v1/api/one-time-tokens', { headers: { 'x-request-id': 'call-rest-1' } });
    expect(listed.status).toBe(200);
    await rt.rest('/v1/api/one-time-tokens/broken');
    await modern(rt.mcpUrl, 'tools/call', { name: 'get-one-time-tokens', arguments: {} });

    const { traces, bufferUsed } = (await (await get('/traces')).json()) as {
      traces: Array<Record<string, unknown>>;
      bufferUsed: number;
    };
    expect(bufferUsed).toBe(3);
    expect(traces.map((t) => [t['adapter'], t['httpStatus'], t['upstreamStatus'], t['status']])).toEqual([
      ['mcp', 200, 200, 'OK'],
      ['rest', 503, 503, 'ERROR'],
      ['rest', 200, 200, 'OK'],
    ]);
    expect(traces[2]).toMatchObject({
      traceId: 'call-rest-1',
      operation: expect.stringContaining('logto-one-time-tokens-rest.'),
    });

    const errors = (await (await get('/traces?status=error')).json()) as { traces: unknown[] };
    expect(errors.traces).toEqual([expect.objectContaining({ httpStatus: 503 })]);
    const mcpOnly = (await (await get('/traces?operation=logto-one-time-tokens-mcp')).json()) as { traces: unknown[] };
    expect(mcpOnly.traces).toHaveLength(1);

    const one = (await (await get('/traces/call-rest-1')).json()) as { spans: unknown[]; spanCount: number };
    expect(one.spanCount).toBe(1);
    expect(one.spans).toEqual([
      expect.objectContaining({ kind: 'SERVER', status: 'OK', name: traces[2]?.['operation'] }),
    ]);
  });

  it('/metrics has every adapter’s series under one HELP/TYPE per family', async () => {
    const text = await (await get('/metrics')).text();
    expect(text.match(/^# TYPE runtime_requests_total counter$/gm)).toHaveLength(1);
    expect(text).toMatch(
      /^runtime_requests_total\{adapter="rest",binding="logto-one-time-tokens-rest\.[^"]+",status="200"\} \d+$/m,
    );
    expect(text).toMatch(/^runtime_requests_total\{adapter="mcp",binding="[^"]+",status="200"\} \d+$/m);
    expect(text).toMatch(/^runtime_requests_total\{adapter="control",/m);
  });
});

describe('with inbound authentication', () => {
  it('guards every route but health; the token never shows', async () => {
    const token = canary('control-token');
    const file = seedWithControl(
      "    authentication:\n      type: bearer\n      token: '{{env.CONTROL_TOKEN}}'\n",
      '    CONTROL_TOKEN: CONTROL_TOKEN\n',
    );
    const { get, rt } = await control(file, { sandbox: true, env: { CONTROL_TOKEN: token } });
    const refused = await get('/status');
    expect((await problem(refused, 401)).code).toBe('NAF_ERR_UNAUTHORIZED');
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/traces')).status).toBe(401);
    expect((await get('/health/live')).status).toBe(200);
    const ok = await get('/status', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    // The business adapters declare no authentication: the control adapter's token is its own.
    expect((await rt.rest('/v1/api/one-time-tokens')).status).toBe(200);
    expect(rt.logs.join('\n')).toMatch(/control adapter listening on \S+ \(inbound auth on\)/);
  });
});

describe('a control-only capability through the real CLI', () => {
  it('starts, says what it serves, answers, and stops on SIGTERM', async () => {
    const cli = runCli(['start', 'test/fixtures/engine/control/control-capability.yaml', '--control-port', '0']);
    const [, url] = await cli.waitFor(/control adapter listening on (http:\/\/\S+) — /, 30_000);
    expect(cli.out()).toContain('— /health/live, /health/ready, /status, /metrics, /traces, /traces/{id}');
    expect(await (await fetch(`${url}/health/live`)).json()).toEqual({ status: 'UP' });
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(jsonLines(cli.out()).at(-1)).toMatchObject({ msg: 'stopped' });
  });

  it('nothing to serve is a clear start-up error, not a silent exit', async () => {
    const cli = runCli(['start', 'test/fixtures/engine/control/control-capability.yaml', '--mcp-stdio']);
    expect(await cli.exit).toBe(1);
    expect(cli.err()).toMatch(
      /Nothing to serve: .*control-capability\.yaml declares no adapter this runtime serves on stdio/,
    );
  });
});

describe('capabilities/examples/control.yaml', () => {
  it('serves its mock greeting over REST and shows the call on the control port', async () => {
    const { get, rt } = await control(resolve(import.meta.dirname, '../../capabilities/examples/control.yaml'));
    const hello = await fetch(`${rt.urls['hello-rest']}/hello?name=Ada`);
    expect(await hello.json()).toEqual({ message: 'Hello, Ada!' });
    const { traces } = (await (await get('/traces')).json()) as { traces: Array<Record<string, unknown>> };
    expect(traces).toEqual([
      expect.objectContaining({
        operation: 'hello-rest.hello',
        httpStatus: 200,
        traceId: hello.headers.get('x-request-id'),
      }),
    ]);
    expect(await (await get('/status')).json()).toMatchObject({ capability: { label: 'Hello, with a control port' } });
  });
});
