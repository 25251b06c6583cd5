// capabilities/examples/forward.yaml and the engine's own forward fixture load and serve, pointed at
// a recording upstream through the `baseUris` runtime option.
// Engine fixture: src/test/resources/http/http-forward-value-capability.yaml (ForwardValueFieldTest,
// naftiko/ikanos v1.0.0-alpha2): both adapter-level `value` headers reach the upstream in forward mode.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { spectralLint } from '../support/spectral.js';

const EXAMPLE = resolve(import.meta.dirname, '../../capabilities/examples/forward.yaml');
const ENGINE = resolve(import.meta.dirname, '../fixtures/engine/http/http-forward-value-capability.yaml');
const TOKEN = canary('notion-token');
let up: RecordingUpstream;

beforeAll(async () => {
  up = await startRecordingUpstream();
});
afterAll(async () => {
  await up?.close();
});

describe('capabilities/examples/forward.yaml', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ file: EXAMPLE, env: { NOTION_TOKEN: TOKEN }, baseUris: { notion: `${up.url}/v1` } });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('forwards /notion/{path} with the server token and Notion-Version; the curated operation stays an operation', async () => {
    up.reset();
    up.script({ body: { results: [] } }, { body: { object: 'user' } });
    const url = rt.urls['notion-proxy'];
    const list = await fetch(`${url}/notion/users?page_size=10`, {
      headers: { 'X-Correlation-Id': '42', Cookie: 'x=1' },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ results: [] });
    const me = await fetch(`${url}/notion/me`);
    expect(await me.json()).toEqual({ object: 'user' });
    const [fwd, op] = up.requests;
    expect([fwd?.method, fwd?.path, fwd?.query]).toEqual(['GET', '/v1/users', 'page_size=10']);
    expect(fwd?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(fwd?.headers['notion-version']).toBe('2022-06-28');
    expect(fwd?.headers['x-correlation-id']).toBe('42');
    expect(fwd?.headers['cookie']).toBeUndefined();
    expect(op?.path).toBe('/v1/users/me');
  });

  it('lists the forward route in /openapi.json, which Spectral (spectral:oas) passes with no errors', async () => {
    const doc = (await (await fetch(`${rt.urls['notion-proxy']}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
    };
    const item = doc.paths['/notion/{path}'] ?? {};
    expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'head', 'options', 'patch', 'post', 'put']);
    expect(item['get']?.parameters?.map((p) => p.name)).toEqual(['path']);
    expect(Object.keys(doc.paths['/notion/me'] ?? {})).toEqual(['get']);
    const results = await spectralLint(doc);
    expect(results.filter((r) => r.severity === 0)).toEqual([]);
  }, 60_000);
});

describe('engine fixture http-forward-value-capability.yaml', () => {
  it('applies both adapter-level value headers to the forwarded request', async () => {
    const rt = await startTestRuntime({ file: ENGINE, baseUris: { external: `${up.url}/v1` } });
    try {
      up.reset();
      const res = await fetch(`${rt.urls['sample']}/forward/test`);
      expect(res.status).toBe(200);
      expect(up.requests).toHaveLength(1);
      const r = up.requests[0]!;
      expect(r.path).toBe('/v1/test');
      expect(r.headers['x-api-version']).toBe('2026-03-03');
      expect(r.headers['x-api-key']).toBe('secret-key-123');
    } finally {
      await rt.close();
    }
  });
});
