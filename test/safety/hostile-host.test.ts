// A forged Host header (issue 13, "the REST adapter reflects any Host into OpenAPI servers and rewritten
// Links"): REST refuses a Host outside the allow-list with 403 NAF_ERR_FORBIDDEN_HOST, as MCP does, before
// anything is built from it or sent upstream. Allowed: loopback names, the listen address (every local
// interface address on a wildcard), and each --allowed-host. Health probes answer whatever the Host.

import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { rawHost } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { BASE } from './faults-support.js';

const NAMESPACE = 'logto-one-time-tokens';
const KEY = canary('logto-api-key');

let up: RecordingUpstream;
beforeAll(async () => {
  up = await startRecordingUpstream();
  up.respond(() => ({
    headers: { link: '<http://upstream.invalid/api/one-time-tokens?page=2>; rel="next"', 'total-number': '9' },
    body: [],
  }));
});
afterEach(() => up.requests.splice(0));
afterAll(async () => up?.close());

function get(url: string, host: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('REST with the default allow-list', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { [NAMESPACE]: up.url } });
  });
  afterAll(async () => rt?.close());

  it('/openapi.json with a forged Host: 403, the name never reflected', async () => {
    const res = await get(`${rt.restUrl}/openapi.json`, 'evil.example:8080');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'NAF_ERR_FORBIDDEN_HOST' });
    expect(res.text).not.toContain('"servers"');
  });

  it('a call with a forged Host: 403, nothing sent upstream, no Link built from it', async () => {
    const res = await get(`${rt.restUrl}${BASE}`, 'evil.example');
    expect(res.status).toBe(403);
    expect(res.headers['link']).toBeUndefined();
    expect(up.requests).toHaveLength(0);
  });

  it('loopback names are served, and servers / Link name them', async () => {
    const { port } = new URL(rt.restUrl);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const doc = await get(`${rt.restUrl}/openapi.json`, host);
      expect(doc.status, host).toBe(200);
      expect((JSON.parse(doc.text) as { servers: Array<{ url: string }> }).servers[0]?.url).toBe(`http://${host}`);
    }
    const res = await get(`${rt.restUrl}${BASE}`, `localhost:${port}`);
    expect(res.status).toBe(200);
    expect(String(res.headers['link'])).toMatch(new RegExp(`^<http://localhost:${port}${BASE}\\?page=2>`));
  });

  it('health answers whatever the Host', async () => {
    expect((await get(`${rt.restUrl}/health/live`, 'evil.example')).status).toBe(200);
  });
});

describe('--allowed-host and the listen address', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({
      env: { LOGTO_API_KEY: KEY },
      baseUris: { [NAMESPACE]: up.url },
      allowedHosts: ['API.example.com:443'],
      ...(external ? { host: '0.0.0.0' } : {}),
    });
  });
  afterAll(async () => rt?.close());

  it('an --allowed-host name is served on REST and MCP; others still are not', async () => {
    const port = new URL(rt.restUrl).port;
    const local = `http://127.0.0.1:${port}`;
    const doc = await get(`${local}/openapi.json`, 'api.example.com');
    expect(doc.status).toBe(200);
    expect((JSON.parse(doc.text) as { servers: Array<{ url: string }> }).servers[0]?.url).toBe(
      'http://api.example.com',
    );
    expect((await get(`${local}/openapi.json`, 'other.example.com')).status).toBe(403);
    const mcpPort = new URL(rt.mcpUrl.replace('0.0.0.0', '127.0.0.1')).port;
    expect((await rawHost(`http://127.0.0.1:${mcpPort}/mcp`, 'api.example.com')).status).toBe(200);
    expect((await rawHost(`http://127.0.0.1:${mcpPort}/mcp`, 'other.example.com')).status).toBe(403);
  });

  it.skipIf(!external)('on 0.0.0.0, a local interface address is served on REST and MCP', async () => {
    const port = new URL(rt.restUrl).port;
    const res = await get(`http://127.0.0.1:${port}/openapi.json`, `${external}:${port}`);
    expect(res.status).toBe(200);
    const mcpPort = new URL(rt.mcpUrl.replace('0.0.0.0', '127.0.0.1')).port;
    expect((await rawHost(`http://127.0.0.1:${mcpPort}/mcp`, `${external}:${mcpPort}`)).status).toBe(200);
  });
});
