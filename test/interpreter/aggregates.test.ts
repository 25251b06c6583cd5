// Aggregate functions and `ref`, ported from the reference engine's scenarios (ikanos v1.0.0-alpha2):
// AggregateIntegrationTest, AggregateRefResolverTest and AggregateSharedMockIntegrationTest with the fixtures
// src/test/resources/aggregates/aggregate-{basic,hints-override,shared-mock}.yaml (copied to test/fixtures/engine).

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../src/binding/compile.js';
import type { Binding, McpExposure } from '../../src/binding/table.js';
import { loadCapabilityOrThrow } from '../../src/spec/load.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';

const AGG = resolve(import.meta.dirname, '../fixtures/engine/aggregates');

async function table(name: string) {
  const { doc } = await loadCapabilityOrThrow(resolve(AGG, name));
  return compileTable(doc);
}
const tool = (bindings: readonly Binding[], name: string) => {
  const b = bindings.find((x) => x.expose.kind === 'mcp' && x.expose.name === name);
  if (!b) throw new Error(`no tool ${name}`);
  return b as Binding & { expose: McpExposure };
};

describe('ref resolution at compile time (aggregate-basic.yaml)', () => {
  it('a tool with ref runs the function’s call and takes its inputs', async () => {
    const t = await table('aggregate-basic.yaml');
    const forecast = tool(t.bindings, 'get-forecast');
    expect(forecast.plan.kind).toBe('call');
    expect(forecast.request?.upstream).toBe('weather-api');
    expect(forecast.input.args.map((a) => a.name)).toEqual(['location']);
    // Its own description wins; the inherited tool takes the function's.
    expect(forecast.expose.description).toBe('Get the weather forecast.');
    expect(tool(t.bindings, 'get-forecast-inherited').expose.description).toBe(
      'Fetch current weather forecast for a location.',
    );
  });

  it('a REST operation with ref and no name takes the function’s name and description', async () => {
    const t = await table('aggregate-basic.yaml');
    const post = t.bindings.find((b) => b.expose.kind === 'rest' && b.expose.method === 'POST');
    expect(post?.expose).toMatchObject({ operationName: 'get-forecast' });
    expect(post?.description).toBe('Fetch current weather forecast for a location.');
    expect(t.unsupported).toEqual([]);
  });

  it('safe + idempotent semantics derive readOnly, not destructive, idempotent — and make the call retriable', async () => {
    const t = await table('aggregate-basic.yaml');
    const forecast = tool(t.bindings, 'get-forecast');
    expect(forecast.expose.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(forecast.idempotent).toBe(true);
  });
});

describe('derived hints and written hints (aggregate-hints-override.yaml)', () => {
  it('no written hints: the full derivation', async () => {
    const t = await table('aggregate-hints-override.yaml');
    expect(tool(t.bindings, 'read-items').expose.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
  });

  it('a partial written hint merges key by key', async () => {
    const t = await table('aggregate-hints-override.yaml');
    expect(tool(t.bindings, 'read-items-open').expose.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
  });

  it('written hints override the derived ones; idempotent still comes from semantics', async () => {
    const t = await table('aggregate-hints-override.yaml');
    const del = tool(t.bindings, 'delete-item');
    expect(del.expose.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
  });
});

describe('one aggregate mock shared by MCP and REST (aggregate-shared-mock.yaml)', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveCapability(resolve(AGG, 'aggregate-shared-mock.yaml'));
  });
  afterAll(() => served.close());

  it('MCP and REST answer the same payload, rendered from the argument', async () => {
    const [v2, v1] = await served.tool('greeting-mcp', 'hello', { name: 'Nina' });
    const expected = { message: 'Hello, Nina!', source: 'aggregate-mock' };
    for (const r of [v2, v1]) {
      expect(r?.isError).toBeFalsy();
      expect(dataOf(r!)).toEqual(expected);
    }
    const res = await fetch(`${served.url('greeting-rest')}/hello?name=Nina`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(expected);
  });

  it('a mock tool is annotated as calling nothing outside', async () => {
    const b = served.runtime.table.bindings.find((x) => x.id === 'greeting-mcp.hello');
    expect((b?.expose as McpExposure).annotations.openWorldHint).toBe(false);
  });
});

describe('a ref call end to end (aggregate-basic.yaml against a recording upstream)', () => {
  let up: RecordingUpstream;
  let served: Served;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    served = await serveCapability(resolve(AGG, 'aggregate-basic.yaml'), {
      baseUris: { 'weather-api': `${up.url}/v1` },
    });
  });
  afterAll(async () => {
    await served.close();
    await up.close();
  });

  it('REST and both MCP generations project $.forecast from the same upstream request', async () => {
    up.respond(() => ({ body: { forecast: 'sunny', temperature: 21 } }));
    const rest = await fetch(`${served.url('forecast-rest')}/forecast/Paris`);
    expect(rest.status).toBe(200);
    expect(await rest.json()).toBe('sunny');
    const results = await served.tool('forecast-mcp', 'get-forecast', { location: 'Paris' });
    for (const r of results) expect(r.content[0]?.text).toBe('"sunny"');
    // The consumed path `forecast` has no leading slash: joined as written, like the engine (`/v1forecast`).
    expect(up.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1forecast',
      'GET /v1forecast',
      'GET /v1forecast',
    ]);
  });
});

describe('a consumed path without a leading slash on a bare origin', () => {
  it('is sent as /path (an HTTP request target starts with /)', async () => {
    const up = await startRecordingUpstream();
    const served = await serveCapability(resolve(AGG, 'aggregate-basic.yaml'), { baseUris: { 'weather-api': up.url } });
    try {
      up.respond(() => ({ body: { forecast: 'rain' } }));
      const res = await fetch(`${served.url('forecast-rest')}/forecast/Oslo`);
      expect(await res.json()).toBe('rain');
      expect(up.requests[0]?.path).toBe('/forecast');
    } finally {
      await served.close();
      await up.close();
    }
  });
});
