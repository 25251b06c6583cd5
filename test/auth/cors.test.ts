// CORS (issue 16 item 6): off by default; with --cors-origin, preflights for /mcp and REST routes are
// answered for the listed origin (before auth: a preflight carries no credentials) and refused for any
// other; the headers an MCP browser client must read are exposed. A headless-Chromium page served from an
// allowed origin calls tools/list with a bearer token. Unknown routes and methods on the MCP port answer as
// JSON-RPC errors.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { MODERN } from '../mcp/wire.js';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { startTestIssuer, type TestIssuer } from './test-issuer.js';

const available = chromiumAvailable('cors.test.ts: the browser case');

const FILE = resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml');
const SEED = resolve(import.meta.dirname, '../../capabilities/logto-one-time-tokens.yaml');
const LIST = '/v1/api/one-time-tokens';

function preflight(url: string, origin: string, headers = 'authorization, content-type, mcp-protocol-version') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });
}

describe('CORS on (--cors-origin), adapters behind OAuth', () => {
  let issuer: TestIssuer;
  let up: RecordingUpstream;
  let rt: TestRuntime;
  let page: Server;
  let origin: string;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // The page's own server: its origin is the allowed one.
    page = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>mcp client</title>');
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    issuer = await startTestIssuer();
    up = await startRecordingUpstream();
    up.respond(() => ({ body: [] }));
    rt = await startTestRuntime({
      file: FILE,
      baseUris: { 'logto-one-time-tokens': up.url },
      inboundOAuth: { issuer: issuer.issuer, cors: [{ origin }] },
    });
    if (available) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rt?.close();
    await up?.close();
    await issuer?.close();
    page?.closeAllConnections();
    await new Promise((r) => page?.close(r));
  });

  it('a preflight from the allowed origin succeeds on /mcp and on a REST route, without a token', async () => {
    for (const url of [rt.mcpUrl, `${rt.restUrl}${LIST}`]) {
      const res = await preflight(url, origin);
      expect(res.status, url).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('mcp-protocol-version');
      expect(res.headers.get('access-control-max-age')).toBe('600');
    }
  });

  it('a preflight from another origin is refused (403, JSON-RPC error on MCP, problem on REST)', async () => {
    const mcp = await preflight(rt.mcpUrl, 'https://evil.example.com');
    expect(mcp.status).toBe(403);
    expect(mcp.headers.get('access-control-allow-origin')).toBeNull();
    expect(await mcp.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringContaining('not allowed (CORS)') },
    });
    const rest = await preflight(`${rt.restUrl}${LIST}`, 'https://evil.example.com');
    expect(rest.status).toBe(403);
    expect(rest.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a 401 carries the CORS headers, so the page can read WWW-Authenticate', async () => {
    const res = await fetch(rt.mcpUrl, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const h of ['mcp-session-id', 'mcp-protocol-version', 'www-authenticate']) expect(exposed).toContain(h);
    const rest = await fetch(`${rt.restUrl}${LIST}`, { headers: { origin } });
    expect(rest.status).toBe(401);
    expect(rest.headers.get('access-control-allow-origin')).toBe(origin);
    expect(rest.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it.skipIf(!available)('a headless-Chromium page from the allowed origin calls tools/list with fetch', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.mint({
      iss: issuer.issuer,
      aud: 'https://mcp.example.com/mcp',
      exp: now + 300,
      sub: 'web',
    });
    const tab = await (browser as Browser).newPage();
    try {
      await tab.goto(origin);
      const answer = await tab.evaluate(
        async ({ url, token, version }) => {
          const call = (auth?: string) =>
            fetch(url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                accept: 'application/json, text/event-stream',
                'mcp-protocol-version': version,
                'mcp-method': 'tools/list',
                ...(auth ? { authorization: auth } : {}),
              },
              body: JSON.stringify({
                jsonrpc: '2.0',
                id: 1,
                method: 'tools/list',
                params: {
                  _meta: {
                    'io.modelcontextprotocol/protocolVersion': version,
                    'io.modelcontextprotocol/clientInfo': { name: 'browser', version: '1' },
                    'io.modelcontextprotocol/clientCapabilities': {},
                  },
                },
              }),
            });
          const denied = await call();
          const ok = await call(`Bearer ${token}`);
          const body = (await ok.json()) as { result?: { tools?: Array<{ name: string }> } };
          return {
            deniedStatus: denied.status,
            challenge: denied.headers.get('www-authenticate'),
            status: ok.status,
            tools: (body.result?.tools ?? []).map((t) => t.name),
          };
        },
        { url: rt.mcpUrl, token, version: MODERN },
      );
      expect(answer.deniedStatus).toBe(401);
      expect(answer.challenge).toContain('resource_metadata=');
      expect(answer.status).toBe(200);
      expect(answer.tools).toContain('get-one-time-tokens');
    } finally {
      await tab.close();
    }
  });
});

describe('CORS off (the default)', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ file: SEED, sandbox: true });
  });
  afterAll(async () => rt?.close());

  it('a preflight gets no CORS headers; on /mcp it is a JSON-RPC 405, not fastify’s 404', async () => {
    const res = await preflight(rt.mcpUrl, 'http://127.0.0.1:1');
    expect(res.status).toBe(405);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
  });

  it('an unknown path on the MCP port is a JSON-RPC error', async () => {
    const res = await fetch(new URL('/nope', rt.mcpUrl));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringContaining('MCP is served at /mcp') },
      id: null,
    });
  });
});
