// `forward` resources end to end: the exact upstream request on a recording upstream, the pass-through
// of status, headers and body, refused paths, upstream failures, limits and secrets.
// Engine scenarios (as facts): ForwardHeaderIntegrationTest (a namespace header `value` reaches the
// upstream in forward mode), ForwardValueFieldTest (adapter-level `value` parameters applied),
// ResourceRestletTest.handleShouldForwardRequestAndPropagateTrustedHeaders (a trusted header is copied
// and the upstream's text body comes back unchanged) — naftiko/ikanos v1.0.0-alpha2.

import { request } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const FILE = resolve(import.meta.dirname, '../fixtures/capabilities/forward-cases.yaml');
const API_KEY = canary('forward-api-key');
const BEARER = canary('forward-bearer');
const INBOUND = canary('forward-inbound');
let up: RecordingUpstream;
let rt: TestRuntime;
let base: string;
let guarded: string;

beforeAll(async () => {
  up = await startRecordingUpstream();
  rt = await startTestRuntime({
    file: FILE,
    env: { API_KEY, BEARER, INBOUND_TOKEN: INBOUND },
    baseUris: { external: `${up.url}/v1`, open: up.url, 'bearer-up': `${up.url}/b` },
    bodyLimit: 4096,
    timeouts: { headersTimeoutMs: 300, callTimeoutMs: 2_000, maxResponseBytes: 64 * 1024 },
  });
  base = rt.urls['cases'] ?? '';
  guarded = rt.urls['guarded'] ?? '';
});
afterAll(async () => {
  await rt?.close();
  await up?.close();
});
beforeEach(() => up.reset());

/** A request sent byte for byte (fetch would resolve `..` and re-encode the path). */
function raw(
  url: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(init.body);
  });
}

function only() {
  expect(up.requests).toHaveLength(1);
  return up.requests[0]!;
}

describe('the upstream request', () => {
  it('GET: base URI + the {path} wildcard, with the namespace value parameters (engine ForwardHeaderIntegrationTest)', async () => {
    up.script({ body: { ok: true } });
    const res = await fetch(`${base}/forward/pages`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ ok: true });
    const r = only();
    expect([r.method, r.path]).toEqual(['GET', '/v1/pages']);
    expect(r.headers['x-api-version']).toBe('2026-03-03');
    expect(r.headers['x-api-key']).toBe(API_KEY);
    expect(r.headers['not-placed']).toBeUndefined();
  });

  it('a trusted header is copied and the text body comes back unchanged (engine ResourceRestletTest)', async () => {
    up.respond((req) => ({ body: String(req.headers['x-trace'] ?? '') }));
    const res = await fetch(`${base}/forward/echo`, { headers: { 'X-Trace': 'abc-123' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('abc-123');
  });

  it('only trusted headers travel; ours win over the caller’s; hop-by-hop and Host never pass', async () => {
    await raw(base, '/forward/a%20b/c/', {
      headers: {
        'X-Trace': 't1',
        Authorization: 'Bearer caller-token',
        'X-API-Key': 'caller-key',
        'X-API-Version': '1999',
        'X-Internal': 'secret-internal',
        Cookie: 'session=1',
        Connection: 'keep-alive, X-Trace',
        Accept: 'text/html',
      },
    });
    const r = only();
    expect(r.path).toBe('/v1/a%20b/c/');
    expect(r.headers['x-trace']).toBe('t1');
    // Trusted, and the external namespace's credential is an API key header: the caller's own passes.
    expect(r.headers['authorization']).toBe('Bearer caller-token');
    expect(r.headers['x-api-key']).toBe(API_KEY);
    expect(r.headers['x-api-version']).toBe('2026-03-03');
    expect(r.headers['x-internal']).toBeUndefined();
    expect(r.headers['cookie']).toBeUndefined();
    expect(r.headers['host']).toBe(new URL(up.url).host);
    expect(r.headers['accept']).toBe('*/*');
    expect(r.headers['x-request-id']).toBeTruthy();
    expect(rt.logs.join('\n')).toContain("forward: trusted header 'Host' is never forwarded");
  });

  it('the query is kept byte for byte; a caller pair shadowing a namespace parameter is dropped', async () => {
    await raw(base, '/forward/search?q=a+b%2Fc&api-version=1&page=2');
    const r = only();
    expect(r.path).toBe('/v1/search');
    expect(r.query).toBe('q=a+b%2Fc&page=2&api-version=7');
  });

  it('POST: the body streams up byte for byte with its content type, whatever it is', async () => {
    up.script({ status: 201, body: { created: true } });
    const body = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x41]);
    const res = await fetch(`${base}/forward/upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
    expect(res.status).toBe(201);
    const r = only();
    expect(r.method).toBe('POST');
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.body.equals(body)).toBe(true);
  });

  it('chunked text, PUT/PATCH/DELETE/HEAD/OPTIONS go through with their method', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']) {
      up.reset();
      const res = await raw(base, `/forward/x/${method.toLowerCase()}`, {
        method,
        ...(method === 'PATCH' ? { headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } } : {}),
        ...(method === 'PATCH' ? { body: 'hello' } : {}),
      });
      expect(res.status).toBe(200);
      const r = only();
      expect([r.method, r.path]).toEqual([method, `/v1/x/${method.toLowerCase()}`]);
      if (method === 'PATCH') expect(r.text).toBe('hello');
    }
  });

  it('a wildcard with nothing in it is the base URI itself', async () => {
    await raw(base, '/forward/');
    expect(only().path).toBe('/v1');
  });

  it('bearer credentials replace a trusted Authorization from the caller', async () => {
    await fetch(`${base}/bearer/me`, { headers: { Authorization: 'Bearer caller-token' } });
    const r = only();
    expect(r.path).toBe('/b/me');
    expect(r.headers['authorization']).toBe(`Bearer ${BEARER}`);
  });

  it('without upstream credentials, trusted Authorization and Cookie pass; Set-Cookie comes back', async () => {
    up.script({ headers: { 'set-cookie': 'sid=9; Path=/' }, body: {} });
    const res = await fetch(`${base}/open/users/1`, { headers: { Authorization: 'Basic dTpw', Cookie: 'sid=8' } });
    const r = only();
    expect(r.path).toBe('/users/1');
    expect(r.headers['authorization']).toBe('Basic dTpw');
    expect(r.headers['cookie']).toBe('sid=8');
    expect(res.headers.get('set-cookie')).toBe('sid=9; Path=/');
  });
});

describe('operations first, then the forward', () => {
  it('GET runs the operation; POST on the same resource is forwarded to the bare base URI', async () => {
    up.script({ body: { op: true } }, { status: 202, body: { forwarded: true } });
    const got = await fetch(`${base}/mixed`);
    expect(await got.json()).toEqual({ op: true });
    const posted = await fetch(`${base}/mixed`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(posted.status).toBe(202);
    expect(await posted.json()).toEqual({ forwarded: true });
    expect(up.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/echo', 'POST /v1']);
  });

  it('a resource without forward keeps its 405 with Allow', async () => {
    const res = await fetch(`${base}/plain`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(up.requests).toHaveLength(0);
  });
});

describe('the answer passes through', () => {
  it.each([
    [404, { code: 'not_found' }],
    [418, 'short and stout'],
    [500, { message: 'boom' }],
    [503, { message: 'later' }],
  ])('status %i and its body, unchanged', async (status, body) => {
    up.script({ status, body });
    const res = await fetch(`${base}/forward/thing`);
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(typeof body === 'string' ? body : JSON.stringify(body));
  });

  it('end-to-end headers pass; hop-by-hop, cookies (untrusted) and the upstream request id do not', async () => {
    up.script({
      headers: {
        etag: '"v1"',
        'x-upstream': 'yes',
        'set-cookie': 'sid=1',
        'x-request-id': 'upstream-id',
        'alt-svc': 'h3=":443"',
        'keep-alive': 'timeout=5',
      },
      body: { ok: 1 },
    });
    const res = await fetch(`${base}/forward/h`, { headers: { 'x-request-id': 'mine-1' } });
    expect(res.headers.get('etag')).toBe('"v1"');
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('alt-svc')).toBeNull();
    expect(res.headers.get('x-request-id')).toBe('mine-1');
  });

  it('HEAD keeps the upstream length', async () => {
    up.script({ headers: { 'content-length': '42' } });
    const res = await raw(base, '/forward/h', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('42');
  });
});

describe('refused paths: 400 problem naming path, nothing sent', () => {
  it.each([
    '/forward/../admin',
    '/forward/a/../../admin',
    '/forward/%2e%2e/admin',
    '/forward/%2E%2E%2Fadmin',
    '/forward/a%0d%0aX-Injected:%201',
    '/forward/a%00',
    '/forward//evil.example/x',
    '/forward/%2F%2Fevil.example',
    '/forward/a%5c..%5cadmin',
    '/forward/http:%2F%2Fevil.example',
  ])('%s', async (path) => {
    const res = await raw(base, path);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.text) as { code: string; errors?: Array<{ argument: string }> };
    expect(problem.code).toBe('NAF_ERR_INVALID_ARGUMENT');
    expect(problem.errors?.[0]?.argument).toBe('path');
    expect(up.requests).toHaveLength(0);
  });
});

describe('upstream failures and limits', () => {
  it('a reset before the answer is a 502 problem', async () => {
    up.script({ reset: 'before-headers' });
    const res = await fetch(`${base}/forward/r`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { code: string }).code).toBe('NAF_ERR_UPSTREAM_RESET');
  });

  it('a reset mid-body is a 502 problem, not a truncated pass-through', async () => {
    up.script({ reset: 'mid-body', body: { data: 'x'.repeat(1000) } });
    const res = await fetch(`${base}/forward/r`);
    expect(res.status).toBe(502);
  });

  it('no answer in time is a 504 problem', async () => {
    up.script({ delayMs: 1_000 });
    const res = await fetch(`${base}/forward/slow`);
    expect(res.status).toBe(504);
    expect(((await res.json()) as { code: string }).code).toBe('NAF_ERR_UPSTREAM_TIMEOUT');
  });

  it('a POST is never retried, not on 503 nor on a reset; nor is a GET', async () => {
    const cases = [
      { method: 'POST', fault: { status: 503, headers: { 'retry-after': '0' }, body: {} }, status: 503 },
      { method: 'POST', fault: { reset: 'before-headers' as const }, status: 502 },
      { method: 'GET', fault: { reset: 'before-headers' as const }, status: 502 },
    ];
    for (const c of cases) {
      up.reset();
      // A retry would take the 200 queued behind the failure.
      up.script(c.fault, { body: {} });
      const res = await fetch(`${base}/forward/p`, { method: c.method, ...(c.method === 'POST' ? { body: 'a' } : {}) });
      expect(res.status).toBe(c.status);
      await new Promise((r) => setTimeout(r, 100));
      expect(up.requests.map((r) => r.method)).toEqual([c.method]);
    }
  });

  it('a caller who leaves aborts the upstream call, logged as 499', async () => {
    // Headers at once, the body late: only the caller leaving (no timeout of ours) can cut it short.
    up.script({ bodyDelayMs: 1_500, body: { late: true } });
    const controller = new AbortController();
    const pending = fetch(`${base}/forward/leave`, {
      signal: controller.signal,
      headers: { 'x-request-id': 'fwd-gone' },
    });
    await up.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => up.requests[0]?.aborted, { timeout: 1_000 }).toBe(true);
    await expect
      .poll(() => rt.logs.some((l) => l.includes('"reqId":"fwd-gone"') && l.includes('"status":499')), {
        timeout: 1_000,
      })
      .toBe(true);
  });

  it('a body over the limit is a 413, before anything is sent when its length is declared', async () => {
    const res = await raw(base, '/forward/big', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(5000),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'NAF_ERR_BODY_TOO_LARGE' });
    expect(up.requests).toHaveLength(0);
  });

  it('a chunked body over the limit is cut off with a 413', async () => {
    const res = await raw(base, '/forward/big', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      body: 'x'.repeat(5000),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'NAF_ERR_BODY_TOO_LARGE' });
  });

  it('an answer over the response limit is a 502 problem', async () => {
    up.script({ hugeBytes: 100 * 1024, chunked: true });
    const res = await fetch(`${base}/forward/huge`);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { code: string }).code).toBe('NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE');
  });
});

describe('secrets', () => {
  it('an upstream echoing our credentials gets them scrubbed from body and headers', async () => {
    up.respond((req) => ({ headers: { 'x-echo': String(req.headers['x-api-key']) }, body: req.headers }));
    const res = await fetch(`${base}/forward/echo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-echo')).toBe('[REDACTED]');
    const body = (await res.json()) as Record<string, string>;
    expect(body['x-api-key']).toBe('[REDACTED]');
  });

  it('the adapter’s own inbound token is never forwarded, even when Authorization is trusted', async () => {
    const denied = await fetch(`${guarded}/g/x`);
    expect(denied.status).toBe(401);
    expect(up.requests).toHaveLength(0);
    const res = await fetch(`${guarded}/g/x`, { headers: { authorization: `Bearer ${INBOUND}`, 'x-trace': 't' } });
    expect(res.status).toBe(200);
    const r = only();
    expect(r.headers['authorization']).toBeUndefined();
    expect(r.headers['x-trace']).toBe('t');
    expect(rt.logs.join('\n')).toContain(
      "trusted header 'authorization' carries this adapter's own inbound credential",
    );
  });
});

describe('observability', () => {
  it('one access line naming the forward binding, with the upstream status; metrics count it', async () => {
    up.script({ status: 207, body: {} });
    const res = await fetch(`${base}/forward/logged`, { headers: { 'x-request-id': 'fwd-line-1' } });
    expect(res.status).toBe(207);
    const lines = rt.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['reqId'] === 'fwd-line-1');
    const access = lines.filter((l) => l['msg'] === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ binding: 'cases.forward /forward/{{path}}', upstreamStatus: 207, status: 207 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('binding="cases.forward /forward/{{path}}"');
  });

  it('a refused path is logged and counted against the forward binding too', async () => {
    await raw(base, '/forward/%2e%2e/x', { headers: { 'x-request-id': 'fwd-line-2' } });
    const access = rt.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['reqId'] === 'fwd-line-2' && l['msg'] === 'request');
    expect(access).toMatchObject([{ binding: 'cases.forward /forward/{{path}}', status: 400 }]);
  });
});
