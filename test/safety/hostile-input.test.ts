// The input contract holds to the bottom (issue 13, "crashes of the contract" and the smaller findings):
// a message nested 100,000 levels deep, a lone UTF-16 surrogate in any argument, bytes that are not UTF-8,
// JSON with a key given twice, a JSON-RPC batch repeating an id — each is a 4xx (REST problem+json,
// MCP JSON-RPC error or tool error naming the argument), never a 500, never NAF_ERR_INTERNAL, never an
// error-level stack, and never runs anything upstream it should not. An upstream answering with a header
// block past the limit is an invalid response (502), sent once.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { LEGACY, MODERN, post, rpcError, rpcResult } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { BASE } from './faults-support.js';

const NAMESPACE = 'logto-one-time-tokens';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const MODERN_HEADERS = { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' };

let up: RecordingUpstream;
let rt: TestRuntime;

beforeAll(async () => {
  up = await startRecordingUpstream();
  rt = await startTestRuntime({
    env: { LOGTO_API_KEY: canary('logto-api-key') },
    baseUris: { [NAMESPACE]: up.url },
  });
});
afterAll(async () => {
  await rt?.close();
  await up?.close();
});
beforeEach(() => up.reset());

/** A 2026-07-28 tools/call as raw text, so the test can put in what JSON.stringify never writes. */
function toolCall(name: string, argsJson: string): string {
  return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":${JSON.stringify(name)},"arguments":${argsJson},"_meta":${JSON.stringify(ENVELOPE)}}}`;
}

function noCrashLogged(): void {
  for (const line of rt.logs) {
    const entry = JSON.parse(line) as { level: number; msg?: string };
    expect(entry.level, line).toBeLessThan(50);
    expect(line).not.toContain('NAF_ERR_INTERNAL');
    expect(line).not.toMatch(/RangeError|Maximum call stack|URIError/);
  }
}

async function restJson(method: string, path: string, body: string | Buffer): Promise<Response> {
  return rt.rest(path, { method, headers: { 'content-type': 'application/json' }, body });
}

describe('nesting 100,000 levels deep', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('MCP 2026-07-28: a JSON-RPC parse error with a 4xx, not a 500', async () => {
    const r = await post(rt.mcpUrl, toolCall('get-one-time-token-id', `{"id":${deep(100_000)}}`), MODERN_HEADERS);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect([-32700, -32600]).toContain(rpcError(r)?.code);
    expect(rpcError(r)?.message).toMatch(/nested more than \d+ levels/);
  });

  it('MCP 2025-11-25: the same', async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":${deep(100_000)}}}}`;
    const r = await post(rt.mcpUrl, body, { 'mcp-protocol-version': LEGACY });
    expect(r.status).toBe(400);
    expect([-32700, -32600]).toContain(rpcError(r)?.code);
  });

  it('REST: a 400 problem naming the argument', async () => {
    const res = await restJson('POST', BASE, `{"email":${deep(400_000)}}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/nested more than \d+ levels/);
    expect(up.requests).toHaveLength(0);
    noCrashLogged();
  });
});

describe('a lone UTF-16 surrogate in an argument', () => {
  it('MCP path argument: a tool error naming it, nothing sent upstream', async () => {
    const r = await post(rt.mcpUrl, toolCall('get-one-time-token-id', '{"id":"tok\\ud800"}'), {
      ...MODERN_HEADERS,
      'mcp-name': 'get-one-time-token-id',
    });
    expect(r.status).toBe(200);
    const result = rpcResult(r) as { isError?: boolean; content: Array<{ text: string }> };
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/id.*not valid Unicode/);
    expect(r.text).not.toContain('NAF_ERR_INTERNAL');
    expect(up.requests).toHaveLength(0);
    noCrashLogged();
  });

  it('MCP body argument (2025-11-25): a tool error naming it', async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create-one-time-token","arguments":{"body":{"email":"a\\udc00@b.co"}}}}`;
    const r = await post(rt.mcpUrl, body, { 'mcp-protocol-version': LEGACY });
    const result = rpcResult(r) as { isError?: boolean; content: Array<{ text: string }> };
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/body\.email.*not valid Unicode/);
    expect(up.requests).toHaveLength(0);
  });

  it('elsewhere in an MCP message: an Invalid Request', async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-one-time-token-id\\ud800","arguments":{}}}`;
    const r = await post(rt.mcpUrl, body, { 'mcp-protocol-version': LEGACY });
    expect(r.status).toBe(400);
    expect(rpcError(r)?.code).toBe(-32600);
    expect(rpcError(r)?.message).toMatch(/params\.name is not valid Unicode/);
  });

  it('REST body: a 400 naming it', async () => {
    const res = await restJson('POST', BASE, '{"email":"a\\ud800@b.co"}');
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/email.*not valid Unicode/);
    expect(up.requests).toHaveLength(0);
  });

  it('REST path and query (a CESU-8 surrogate, percent-encoded): a 400, never a 500', async () => {
    for (const path of [`${BASE}/tok%ED%A0%80`, `${BASE}?email=a%ED%A0%80%40b.co`, `${BASE}?email=%ff`]) {
      const res = await rt.rest(path);
      expect(res.status, path).toBe(400);
      expect(await res.text()).not.toContain('NAF_ERR_INTERNAL');
    }
    expect(up.requests).toHaveLength(0);
    noCrashLogged();
  });

  it('a body that is not UTF-8: a 400 saying so, on both adapters', async () => {
    const bytes = Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('@b.co"}')]);
    const res = await restJson('POST', BASE, bytes);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/not valid UTF-8/);
    const r = await post(rt.mcpUrl, bytes.toString('latin1').replace('\u00ff\u00fe', '\u00ff'), MODERN_HEADERS);
    expect(r.status).toBe(400);
  });
});

describe('a key given twice', () => {
  it('MCP: "name" get then delete is refused, nothing deleted', async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-one-time-token-id","name":"delete-one-time-token-id","arguments":{"id":"tok1"},"_meta":${JSON.stringify(ENVELOPE)}}}`;
    const r = await post(rt.mcpUrl, body, { ...MODERN_HEADERS, 'mcp-name': 'get-one-time-token-id' });
    expect(r.status).toBe(400);
    expect(rpcError(r)?.code).toBe(-32700);
    expect(rpcError(r)?.message).toMatch(/"name" appears twice/);
    expect(up.requests).toHaveLength(0);
  });

  it('REST body: a 400, escaped spellings of one key count as the same key', async () => {
    for (const body of ['{"email":"a@b.co","email":"c@d.co"}', '{"email":"a@b.co","\\u0065mail":"c@d.co"}']) {
      const res = await restJson('POST', BASE, body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('NAF_ERR_INVALID_JSON');
    }
    const nested = await restJson('POST', `${BASE}/verify`, '{"token":"t","email":"a@b.co","x":{"a":1,"a":2}}');
    expect(nested.status).toBe(400);
    expect(up.requests).toHaveLength(0);
  });

  it('the same key in sibling objects is fine', async () => {
    up.respond(() => ({ status: 201, body: { id: 'n' } }));
    const res = await restJson('POST', BASE, '{"email":"a@b.co","context":{"email":1}}');
    expect(res.status).not.toBe(500);
    expect(((await res.json()) as { code?: string }).code).not.toBe('NAF_ERR_INVALID_JSON');
  });
});

describe('a JSON-RPC batch with two calls of one id', () => {
  it('is refused as a whole: neither call runs upstream', async () => {
    const call = (name: string) => ({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name, arguments: { id: 'tok1' } },
    });
    const r = await post(rt.mcpUrl, [call('get-one-time-token-id'), call('delete-one-time-token-id')], {
      'mcp-protocol-version': '2025-03-26',
    });
    expect(r.status).toBe(400);
    expect(rpcError(r)?.code).toBe(-32600);
    expect(rpcError(r)?.message).toMatch(/more than one request with id 7/);
    expect(up.requests).toHaveLength(0);
  });
});

describe('an upstream header block past the limit', () => {
  it('is an invalid upstream response (502), and a GET is not sent again', async () => {
    up.respond(() => ({ status: 200, headers: { 'x-huge': 'h'.repeat(64 * 1024) }, body: { id: 'x' } }));
    const res = await rt.rest(`${BASE}/tok1`);
    expect(res.status).toBe(502);
    const problem = (await res.json()) as { code: string };
    expect(problem.code).toBe('NAF_ERR_UPSTREAM_INVALID_RESPONSE');
    expect(up.requests).toHaveLength(1);
  });
});
