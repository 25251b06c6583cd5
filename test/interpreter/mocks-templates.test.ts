// Mocks (no call, no steps: outputs' values rendered from the arguments, no upstream) and the one parameter map
// every template renders against. Scenarios ported from the reference engine (ikanos v1.0.0-alpha2):
// ToolHandlerTest (mock mode), ResourceRestletTest (mock fallback when the consumes namespace is absent),
// Step1ShipyardMcpClientIntegrationTest, HttpBodyIntegrationTest (http/http-body-capability.yaml),
// HeaderQueryIntegrationTest (http/http-header-query-capability.yaml), ToolHandler with Mustache
// (mcp/mcp-tool-handler-with-mustache-capability.yaml), NestedObjectOutputMappingIntegrationTest
// (nested-object-output-capability.yaml) and OutputMappingExtensionTest (maxLength, values).

import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileOutput } from '../../src/binding/output.js';
import type { OutputParameter } from '../../src/spec/types.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/capabilities/mocks-and-templates.yaml');
const ENGINE = resolve(import.meta.dirname, '../fixtures/engine');
const TUTORIAL = resolve(import.meta.dirname, '../spec/fixtures/corpus');

describe('mocks and with-only template names (mocks-and-templates.yaml)', () => {
  let up: RecordingUpstream;
  let served: Served;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    served = await serveCapability(FIXTURE, { baseUris: { notes: up.url } });
  });
  afterAll(async () => {
    await served.close();
    await up.close();
  });
  beforeEach(() => up.reset());

  it('a mock tool renders its values from the arguments, typed as declared, and calls nothing', async () => {
    for (const r of await served.tool('notes-tools', 'whoami', { user: 'Ada' }))
      expect(dataOf(r)).toEqual({ greeting: 'Hi Ada', level: 3, admin: false });
    expect(up.requests).toEqual([]);
  });

  it('a REST call whose consumes namespace is absent answers its output values (the engine’s fallback)', async () => {
    const res = await fetch(`${served.url('notes-api')}/status`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ value: 'offline' });
    expect(up.requests).toEqual([]);
    // Its access line says no upstream answered (there was none).
    const line = served.runtime.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['binding'] === 'notes-api.status' && l['msg'] === 'request');
    expect(line?.['status']).toBe(200);
    expect(line).not.toHaveProperty('upstreamStatus');
  });

  it('with values that name no consumed parameter feed the path, header and body templates', async () => {
    up.respond(() => ({ status: 201, body: { id: 'n1' } }));
    const [v2] = await served.tool('notes-tools', 'add-note', { text: 'hello' });
    expect(dataOf(v2!)).toEqual({ id: 'n1' });
    const [req] = up.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/books/handbook/notes');
    expect(req?.headers['x-trace']).toBe('trace-hello');
    expect(req?.json).toEqual({ text: 'hello', by: 'notes-bot', tag: 'hello' });
  });
});

describe('engine fixtures: request bodies, headers and queries from the exposed inputs', () => {
  let up: RecordingUpstream;
  beforeAll(async () => {
    up = await startRecordingUpstream();
  });
  afterAll(() => up.close());
  beforeEach(() => up.reset());

  it('inputs with `value: $.user.id` are read from the request body into the body template', async () => {
    const served = await serveCapability(resolve(ENGINE, 'http/http-body-capability.yaml'), {
      baseUris: { testns: up.url },
    });
    try {
      const res = await fetch(`${served.url('test-http-body')}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: 'u-42', name: 'Ada' } }),
      });
      expect(res.status).toBe(200);
      expect(up.requests[0]?.path).toBe('/create');
      expect(up.requests[0]?.json).toEqual({ id: 'u-42', name: 'Ada' });
    } finally {
      await served.close();
    }
  });

  it('a consumes-level header constant and a query templated from a body value', async () => {
    const served = await serveCapability(resolve(ENGINE, 'http/http-header-query-capability.yaml'), {
      baseUris: { testns: up.url },
    });
    try {
      const res = await fetch(`${served.url('test-http')}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: { id: 'u-7' } }),
      });
      expect(res.status).toBe(200);
      const [req] = up.requests;
      expect(req?.method).toBe('POST');
      expect(req?.url).toBe('/items?q=u-7');
      expect(req?.headers['x-api-key']).toBe('ABC123');
    } finally {
      await served.close();
    }
  });

  it('`imo_number: "{{imo}}"` renames the argument into the consumed path', async () => {
    const served = await serveCapability(resolve(ENGINE, 'mcp/mcp-tool-handler-with-mustache-capability.yaml'), {
      baseUris: { registry: up.url },
    });
    try {
      up.respond(() => ({ body: { imo_number: 'IMO-1', vessel_name: 'Aurora' } }));
      for (const r of await served.tool('shipyard-tools', 'get-ship', { imo: 'IMO-1' }))
        expect(dataOf(r)).toEqual({ imo_number: 'IMO-1', vessel_name: 'Aurora' });
      expect(up.requests.map((r) => r.path)).toEqual(['/ships/IMO-1', '/ships/IMO-1']);
    } finally {
      await served.close();
    }
  });

  it('nested object outputs without a mapping of their own read from the root', async () => {
    const served = await serveCapability(resolve(ENGINE, 'nested-object-output-capability.yaml'), {
      baseUris: { registry: up.url },
    });
    try {
      up.respond(() => ({
        body: {
          imo_number: 'IMO-9',
          vessel_name: 'Borealis',
          operational_status: 'active',
          year_built: 2011,
          gross_tonnage: 52000,
          dimensions: { length_overall: 229 },
        },
      }));
      const [v2] = await served.tool('test-tools', 'get-ship', { imo: 'IMO-9' });
      expect(dataOf(v2!)).toEqual({
        imo: 'IMO-9',
        name: 'Borealis',
        status: 'active',
        specs: { yearBuilt: 2011, tonnage: 52000, length: 229 },
      });
    } finally {
      await served.close();
    }
  });
});

describe('tutorial step 1: a mock server', () => {
  it('get-ship answers the mock ship with the caller’s IMO', async () => {
    const served = await serveCapability(resolve(TUTORIAL, 'step-1-shipyard-mock.yml'));
    try {
      for (const r of await served.tool('shipyard-tools', 'get-ship', { imo_number: 'IMO-9321483' }))
        expect(dataOf(r)).toEqual({
          imo: 'IMO-9321483',
          name: 'Northern Star',
          type: 'cargo',
          flag: 'NO',
          status: 'active',
        });
    } finally {
      await served.close();
    }
  });
});

describe('output mapping extensions (maxLength, values)', () => {
  it('maxLength truncates strings only', () => {
    const project = compileOutput([
      {
        type: 'object',
        properties: {
          title: { type: 'string', mapping: '$.title', maxLength: 5 },
          pages: { type: 'number', mapping: '$.pages', maxLength: 1 },
        },
      } as unknown as OutputParameter,
    ]);
    expect(project({ title: 'Moby Dick', pages: 635 })).toEqual({ title: 'Moby ', pages: 635 });
  });

  it('values maps every entry of the selected object, keys kept (even __proto__ as data)', () => {
    const project = compileOutput([
      {
        type: 'object',
        mapping: '$.byAuthor',
        values: { type: 'number', mapping: '$.count' },
      } as unknown as OutputParameter,
    ]);
    const body = JSON.parse('{"byAuthor": {"ada": {"count": 2}, "__proto__": {"count": 1}, "bob": {}}}') as unknown;
    const out = project(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.entries(out)).toEqual([
      ['ada', 2],
      ['__proto__', 1],
      ['bob', null],
    ]);
  });
});
