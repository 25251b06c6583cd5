// A reload with a control adapter beside REST and MCP: /status reports the new table, /metrics keeps the
// business adapters' series, and /traces keeps recording calls served by the new apps.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { capabilityYaml, tempCapability, type TempCapability } from './capability.js';

const CONTROL = `  - type: control
    port: 19199
    management:
      health: true
      info: true
    observability:
      traces:
        local:
          buffer-size: 50
`;

let up: RecordingUpstream;
let cap: TempCapability;
let rt: TestRuntime;

const yaml = (ops: Array<{ name: string; path: string }>) => capabilityYaml({ upstream: up.url, ops }) + CONTROL;

beforeAll(async () => {
  up = await startRecordingUpstream();
  up.respond((r) => ({ body: { path: r.path } }));
  cap = await tempCapability('');
  await cap.write(yaml([{ name: 'list-items', path: '/items' }]));
  rt = await startTestRuntime({ file: cap.file, controlPort: 0 });
});
afterAll(async () => {
  await rt?.close();
  await cap?.remove();
  await up?.close();
});

describe('reload with a control adapter', () => {
  it('serves the new table through /status, /metrics and /traces', async () => {
    const control = Object.entries(rt.urls).find(([ns]) => ns !== 'api' && ns !== 'tools')?.[1] ?? '';
    const api = rt.urls['api'] ?? '';
    expect((await fetch(`${api}/items`)).status).toBe(200);
    await cap.write(
      yaml([
        { name: 'list-items', path: '/items' },
        { name: 'list-things', path: '/things' },
      ]),
    );
    expect(await rt.reload()).toMatchObject({ ok: true, added: ['api.list-things', 'tools.list-things'] });
    expect((await fetch(`${api}/things`)).status).toBe(200);

    const status = (await (await fetch(`${control}/status`)).json()) as { capability: { bindings: number } };
    expect(status.capability.bindings).toBe(4);
    const metrics = await (await fetch(`${control}/metrics`)).text();
    expect(metrics).toMatch(/runtime_requests_total\{adapter="rest",binding="api\.list-items",status="200"\} 1/);
    expect(metrics).toMatch(/runtime_requests_total\{adapter="rest",binding="api\.list-things",status="200"\} 1/);
    const traces = JSON.stringify(await (await fetch(`${control}/traces`)).json());
    expect(traces).toContain('list-things');
  });
});
