// Upstream contracts against a recording upstream: a wrongly typed body never reaches it (REST 400 naming
// the field, MCP tool error naming it), and the list tool's pagination is the upstream's own headers.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectBoth, type McpClient } from '../interpreter/mcp-clients.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { json, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { OPENAPI } from './contract-files.js';

let up: RecordingUpstream;
let rt: TestRuntime;
let clients: McpClient[];

beforeAll(async () => {
  up = await startRecordingUpstream();
  rt = await startTestRuntime({
    baseUris: { 'logto-one-time-tokens': up.url },
    contracts: [{ namespace: 'logto-one-time-tokens', location: OPENAPI, from: '--openapi' }],
  });
  clients = await connectBoth(rt.mcpUrl);
});
afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.close()));
  await rt?.close();
  await up?.close();
});
beforeEach(() => up.reset());

const text = (r: { content: ReadonlyArray<{ text?: string }> }) => r.content.map((c) => c.text ?? '').join('\n');

describe('a wrongly typed body', () => {
  it('REST: 400 problem+json naming body.expiresIn, no upstream request', async () => {
    const res = await rt.rest('/v1/api/one-time-tokens', {
      method: 'POST',
      ...json({ email: 'ada@example.com', expiresIn: '10m' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; errors: Array<{ argument: string; message: string }> };
    expect(problem.code).toBe('NAF_ERR_INVALID_ARGUMENT');
    expect(problem.errors).toContainEqual({ argument: 'body.expiresIn', message: 'must be number' });
    expect(up.requests).toHaveLength(0);
  });

  it('REST: a missing required field is named too', async () => {
    const res = await rt.rest('/v1/api/one-time-tokens/verify', { method: 'POST', ...json({ email: 'a@b.co' }) });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: Array<{ argument: string }> };
    expect(problem.errors.map((e) => e.argument)).toEqual(['body.token']);
    expect(up.requests).toHaveLength(0);
  });

  it('MCP (both client generations): a tool error naming body.expiresIn, no upstream request', async () => {
    for (const c of clients) {
      const r = await c.call({
        tool: 'create-one-time-token',
        args: { body: { email: 'ada@example.com', expiresIn: '10m' } },
      });
      expect(r.isError, c.label).toBe(true);
      expect(text(r)).toContain("'body.expiresIn' must be number");
    }
    expect(up.requests).toHaveLength(0);
  });

  it('a well-typed body goes upstream unchanged', async () => {
    up.script({ status: 201, body: token('t1') });
    const res = await rt.rest('/v1/api/one-time-tokens', {
      method: 'POST',
      ...json({ email: 'ada@example.com', expiresIn: 600, context: { interactionEvent: 'ForgotPassword' } }),
    });
    expect(res.status).toBe(201);
    expect(up.requests[0]?.json).toEqual({
      email: 'ada@example.com',
      expiresIn: 600,
      context: { interactionEvent: 'ForgotPassword' },
    });
  });
});

describe('list pagination for agents', () => {
  const headers = {
    'total-number': '45',
    link: [
      `<${'http://logto.invalid'}/one-time-tokens?status=active&page_size=20&page=1>; rel="first"`,
      `<${'http://logto.invalid'}/one-time-tokens?status=active&page_size=20&page=1>; rel="prev"`,
      `<${'http://logto.invalid'}/one-time-tokens?status=active&page_size=20&page=3>; rel="last"`,
      `<${'http://logto.invalid'}/one-time-tokens?status=active&page_size=20&page=3>; rel="next"`,
    ],
  };

  it('structuredContent and text carry Total-Number and the next page arguments (both generations)', async () => {
    for (const c of clients) {
      up.script({ headers, body: [token('a'), token('b')] });
      const r = await c.call({ tool: 'get-one-time-tokens', args: { status: 'active', page: 2, page_size: 20 } });
      expect(r.isError, text(r)).toBeFalsy();
      expect(r.structuredContent).toEqual({
        result: [token('a'), token('b')],
        pagination: {
          total: 45,
          first: { status: 'active', page_size: 20, page: 1 },
          prev: { status: 'active', page_size: 20, page: 1 },
          last: { status: 'active', page_size: 20, page: 3 },
          next: { status: 'active', page_size: 20, page: 3 },
        },
      });
      expect(text(r)).toContain('2 of 45 entries');
      expect(text(r)).toContain('call get-one-time-tokens with {"status":"active","page_size":20,"page":3}');
    }
    expect(up.requests.map((q) => q.query)).toEqual([
      'status=active&page=2&page_size=20',
      'status=active&page=2&page_size=20',
    ]);
  });

  it('the last page says so; an unpaginated list has no pagination member', async () => {
    const [c] = clients;
    up.script({ headers: { 'total-number': '2', link: '<http://x/one-time-tokens?page=1>; rel="first"' }, body: [] });
    const last = await c!.call({ tool: 'get-one-time-tokens', args: { page: 1 } });
    expect(last.structuredContent).toEqual({ result: [], pagination: { total: 2, first: { page: 1 } } });
    expect(text(last)).toContain('This is the last page.');
    up.script({ body: [token('a')] });
    const all = await c!.call({ tool: 'get-one-time-tokens', args: {} });
    expect(all.structuredContent).toEqual({ result: [token('a')] });
  });

  it('REST passes the same headers, Link rewritten to its route', async () => {
    up.script({ headers, body: [] });
    const res = await rt.rest('/v1/api/one-time-tokens?status=active&page=2&page_size=20');
    expect(res.headers.get('total-number')).toBe('45');
    expect(res.headers.get('link')).toContain(
      `<${rt.restUrl}/v1/api/one-time-tokens?status=active&page_size=20&page=3>; rel="next"`,
    );
  });

  it('an upstream answer outside its contract is a tool error that still shows the data', async () => {
    const [c] = clients;
    up.script({ body: { not: 'a list' } });
    const r = await c!.call({ tool: 'get-one-time-tokens', args: {} });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toBeUndefined();
    expect(text(r)).toMatch(/does not match the response schema .*\/result must be array/);
    expect(text(r)).toContain('{"not":"a list"}');
  });
});

function token(id: string) {
  return {
    tenantId: 'default',
    id,
    email: 'ada@example.com',
    token: `tok-${id}`,
    context: {},
    status: 'active',
    createdAt: 1767225600000,
    expiresAt: 1767226200000,
  };
}
