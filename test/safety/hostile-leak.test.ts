// A hostile upstream (or a proxy in front of it) that echoes the Management API key and the
// Authorization header it was sent into every response header and body: nothing a caller receives —
// REST headers and bodies, problem+json, MCP results on both protocol eras, SSE frames — nor any log
// line may carry the key. Issue 13, "key leak through headers".

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordedRequest, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { connectBoth, type McpClient } from '../interpreter/mcp-clients.js';
import { legacy, modern } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { BASE } from './faults-support.js';

const KEY = canary('logto-api-key');
const NAMESPACE = 'logto-one-time-tokens';

let up: RecordingUpstream;
let rt: TestRuntime;

/** Everything the upstream was sent that could be a secret, folded into every header and body. */
function echo(req: RecordedRequest, status: number) {
  const auth = String(req.headers.authorization ?? '');
  const both = `${auth} ${KEY}`;
  return {
    status,
    headers: {
      etag: `"${KEY}"`,
      'total-number': both,
      'retry-after': both,
      link: `<http://upstream.invalid/api/one-time-tokens?page=2&k=${KEY}>; rel="next"; x="${auth}"`,
      'x-echo': both,
      'www-authenticate': auth,
    },
    body: { id: KEY, code: auth, message: `you sent ${both}`, nested: [{ auth }] },
  };
}

beforeAll(async () => {
  up = await startRecordingUpstream();
  up.respond((req) => {
    // The caller's request id is forwarded upstream: it says which status to answer with.
    const status = Number(/^status-(\d{3})/.exec(String(req.headers['x-request-id']))?.[1] ?? 200);
    return echo(req, status);
  });
  rt = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { [NAMESPACE]: up.url } });
});
afterAll(async () => {
  await rt?.close();
  await up?.close();
});

function rawText(res: Response, body: string): string {
  return `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`;
}

describe('a hostile upstream echoing the key', () => {
  it('was really sent the key (the test is live)', async () => {
    await rt.rest(`${BASE}/tok1`);
    expect(String(up.requests.at(-1)?.headers.authorization)).toContain(KEY);
  });

  for (const status of [200, 404, 429, 503]) {
    it(`REST: no header or body of a ${status} carries it`, async () => {
      for (const [method, path] of [
        ['GET', `${BASE}/tok1`],
        ['GET', `${BASE}?email=a%40b.co`],
        ['DELETE', `${BASE}/tok1`],
      ] as const) {
        const res = await rt.rest(path, { method, headers: { 'x-request-id': `status-${status}` } });
        const text = rawText(res, await res.text());
        expect(res.status).toBe(status);
        expect(text, `${method} ${path}`).not.toContain(KEY);
        expect(text).toContain('[REDACTED]');
      }
    });
  }

  it('REST: the pass-through headers still arrive, scrubbed', async () => {
    const res = await rt.rest(`${BASE}?email=a%40b.co`, { headers: { 'x-request-id': 'status-503' } });
    await res.text();
    expect(res.headers.get('retry-after')).toMatch(/\[REDACTED\]/);
    expect(res.headers.get('etag')).toBe('"[REDACTED]"');
  });

  for (const status of [200, 503]) {
    it(`MCP 2026-07-28 raw: the ${status} result (text, structuredContent, error text) carries no key`, async () => {
      const r = await modern(
        rt.mcpUrl,
        'tools/call',
        { name: 'get-one-time-token-id', arguments: { id: 'tok1' } },
        { 'x-request-id': `status-${status}` },
      );
      expect(r.status).toBe(200);
      expect(rawText(new Response(null, { headers: r.headers }), r.text)).not.toContain(KEY);
      expect(r.text).toContain('[REDACTED]');
    });

    it(`MCP 2025-11-25 raw (SSE frames): the ${status} result carries no key`, async () => {
      const res = await fetch(rt.mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
          'x-request-id': `status-${status}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'get-one-time-token-id', arguments: { id: 'tok1' } },
        }),
      });
      const text = await res.text();
      expect(text).toMatch(/^(event|data):/m);
      expect(rawText(res, text)).not.toContain(KEY);
      expect(text).toContain('[REDACTED]');
    });
  }

  it('MCP SDK clients of both eras see a 503 tool error whose Retry-After is scrubbed', async () => {
    const clients: McpClient[] = await connectBoth(rt.mcpUrl, { 'x-request-id': 'status-503' });
    try {
      for (const c of clients) {
        const result = await c.call({ tool: 'get-one-time-token-id', args: { id: 'tok1' } });
        const text = JSON.stringify(result);
        expect(result.isError, c.label).toBe(true);
        expect(text, c.label).not.toContain(KEY);
        expect(text, c.label).toMatch(/Retry after .*\[REDACTED\]/);
      }
    } finally {
      for (const c of clients) await c.close();
    }
  });

  it('a legacy tools/list and a 404 route stay clean too', async () => {
    const r = await legacy(rt.mcpUrl, 'tools/list');
    expect(r.text).not.toContain(KEY);
  });

  it('no log line carries the key or the Authorization value', async () => {
    expect(rt.logs.length).toBeGreaterThan(0);
    const auth = String(up.requests.at(-1)?.headers.authorization);
    for (const line of rt.logs) {
      expect(line).not.toContain(KEY);
      expect(line).not.toContain(auth);
    }
  });
});

describe('a forward pass-through to a hostile upstream (streamed bodies, upstream headers passed on)', () => {
  const TOKEN = canary('notion-token');
  let fwd: TestRuntime;
  let echoing: RecordingUpstream;
  beforeAll(async () => {
    echoing = await startRecordingUpstream();
    echoing.respond((req) => {
      const auth = String(req.headers.authorization ?? '');
      return {
        chunked: true,
        headers: { etag: `"${TOKEN}"`, 'x-echo': auth, link: `<http://u.invalid/?t=${TOKEN}>; rel="next"` },
        body: { echoed: auth, pad: 'p'.repeat(200_000), again: TOKEN },
      };
    });
    fwd = await startTestRuntime({
      file: resolve(import.meta.dirname, '../../capabilities/examples/forward.yaml'),
      env: { NOTION_TOKEN: TOKEN },
      baseUris: { notion: `${echoing.url}/v1` },
    });
  });
  afterAll(async () => {
    await fwd?.close();
    await echoing?.close();
  });

  it('nothing of the token reaches the caller, in headers or the streamed body', async () => {
    const res = await fetch(`${fwd.urls['notion-proxy']}/notion/users?page_size=10`);
    const text = rawText(res, await res.text());
    expect(String(echoing.requests.at(-1)?.headers.authorization)).toContain(TOKEN);
    expect(res.status).toBe(200);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('"echoed":"Bearer [REDACTED]"');
    expect(text).toContain('"again":"[REDACTED]"');
    // Passed on, so it would have carried the token: scrubbed, not dropped.
    expect(res.headers.get('etag')).toBe('"[REDACTED]"');
  });
});
