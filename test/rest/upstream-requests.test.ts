// The exact upstream request each REST operation sends, asserted on a recording upstream,
// and what callers get when their input or the upstream goes wrong.

import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { json, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const KEY = canary('logto-api-key');
const base = '/v1/api/one-time-tokens';
let up: RecordingUpstream;
let rt: TestRuntime;

beforeAll(async () => {
  up = await startRecordingUpstream();
  rt = await startTestRuntime({
    env: { LOGTO_API_KEY: KEY },
    baseUris: { 'logto-one-time-tokens': up.url },
    timeouts: { headersTimeoutMs: 300, callTimeoutMs: 2_000 },
  });
});
afterAll(async () => {
  await rt?.close();
  await up?.close();
});
beforeEach(() => up.reset());

async function only() {
  expect(up.requests).toHaveLength(1);
  return up.requests[0]!;
}

describe('upstream requests', () => {
  it('list: only the query parameters given, form-encoded, with the bearer token', async () => {
    up.script({ body: [] });
    const res = await rt.rest(`${base}?email=a%2Bb%40x.io&page_size=5&ignored=1`);
    expect(res.status).toBe(200);
    const r = await only();
    expect(r.method).toBe('GET');
    expect(r.path).toBe('/api/one-time-tokens');
    expect(r.query).toBe('email=a%2Bb%40x.io&page_size=5');
    expect(r.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(r.text).toBe('');
  });

  it('list without parameters sends no query string', async () => {
    await rt.rest(base);
    expect((await only()).url).toBe('/api/one-time-tokens');
  });

  it('create: the request body as the JSON upstream body', async () => {
    up.script({ status: 201, body: { id: 'x' } });
    const res = await rt.rest(base, { method: 'POST', ...json({ email: 'ada@example.com', expiresIn: 60 }) });
    expect(res.status).toBe(201);
    const r = await only();
    expect([r.method, r.path]).toEqual(['POST', '/api/one-time-tokens']);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json).toEqual({ email: 'ada@example.com', expiresIn: 60 });
  });

  it('verify: POST to the literal /verify path', async () => {
    await rt.rest(`${base}/verify`, { method: 'POST', ...json({ token: 't', email: 'e@x.io' }) });
    const r = await only();
    expect([r.method, r.path, r.json]).toEqual([
      'POST',
      '/api/one-time-tokens/verify',
      { token: 't', email: 'e@x.io' },
    ]);
  });

  it('get, delete and status update address the id', async () => {
    up.script({ body: {} }, { status: 204 }, { body: {} });
    expect((await rt.rest(`${base}/abc123`)).status).toBe(200);
    expect((await rt.rest(`${base}/abc123`, { method: 'DELETE' })).status).toBe(204);
    expect((await rt.rest(`${base}/abc123/status`, { method: 'PUT', ...json({ status: 'revoked' }) })).status).toBe(
      200,
    );
    expect(up.requests.map((r) => `${r.method} ${r.path} ${r.text}`)).toEqual([
      'GET /api/one-time-tokens/abc123 ',
      'DELETE /api/one-time-tokens/abc123 ',
      'PUT /api/one-time-tokens/abc123/status {"status":"revoked"}',
    ]);
  });

  it.each([
    ['a%2Fb', '/api/one-time-tokens/a%2Fb'],
    ['a%252Fb', '/api/one-time-tokens/a%252Fb'],
    ['a%20b', '/api/one-time-tokens/a%20b'],
    ['%C3%A9t%C3%A9', '/api/one-time-tokens/%C3%A9t%C3%A9'],
    ['a..b', '/api/one-time-tokens/a..b'],
  ])('an id %s stays one encoded segment', async (id, path) => {
    await rt.rest(`${base}/${id}`);
    expect((await only()).path).toBe(path);
  });

  // Sent byte for byte with node:http: fetch would resolve `..` and `%2E%2E` away before sending.
  it.each(['..', '%2E%2E', '.', '%2e', 'a%0D%0Ab', 'a%00b'])(
    'an id %s is refused before any upstream call',
    async (id) => {
      const res = await raw('DELETE', `${base}/${id}`);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ errors: [expect.objectContaining({ argument: 'id' })] });
      expect(up.requests).toHaveLength(0);
    },
  );

  it('an empty id never calls the collection', async () => {
    const res = await rt.rest(`${base}/`, { method: 'DELETE' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(up.requests).toHaveLength(0);
  });

  it('never forwards the caller’s Authorization header or hop-by-hop headers', async () => {
    await rt.rest(base, { headers: { authorization: 'Bearer caller-token', 'x-forwarded-for': '1.2.3.4' } });
    const r = await only();
    expect(r.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(r.headers['x-forwarded-for']).toBeUndefined();
  });

  it('passes Total-Number, Link, Retry-After and ETag through, and no other upstream headers', async () => {
    up.script({
      body: [],
      headers: {
        'total-number': '42',
        link: '<http://up/one-time-tokens?page=2>; rel="next"',
        etag: 'W/"x"',
        'x-internal': 'secret',
        'set-cookie': 'a=b',
      },
    });
    const res = await rt.rest(`${base}?page=1`);
    expect(res.headers.get('total-number')).toBe('42');
    expect(res.headers.get('link')).toBe(`<${rt.restUrl}${base}?page=2>; rel="next"`);
    expect(res.headers.get('etag')).toBe('W/"x"');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('bad input gets 4xx problem+json naming the argument', () => {
  const problem = async (res: Response) => {
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return (await res.json()) as { status: number; code: string; detail: string; errors?: Array<{ argument: string }> };
  };

  it('page=abc', async () => {
    const res = await rt.rest(`${base}?page=abc`);
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]?.argument).toBe('page');
  });

  it('a parameter given twice', async () => {
    const res = await rt.rest(`${base}?page=1&page=2`);
    expect(res.status).toBe(400);
    expect(await problem(res)).toMatchObject({
      code: 'NAF_ERR_DUPLICATE_PARAMETER',
      errors: [{ argument: 'page', message: 'given 2 times; give it once' }],
    });
  });

  it('missing body', async () => {
    const res = await rt.rest(base, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await problem(res)).toMatchObject({
      code: 'NAF_ERR_MISSING_ARGUMENT',
      errors: [{ argument: 'body', message: 'is required' }],
    });
  });

  it('body not JSON', async () => {
    const res = await rt.rest(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(res.status).toBe(400);
    expect(await problem(res)).toMatchObject({ code: 'NAF_ERR_INVALID_JSON' });
  });

  it('body a JSON array where an object is expected', async () => {
    const res = await rt.rest(base, { method: 'POST', ...json([1]) });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]).toEqual({ argument: 'body', message: 'must be object' });
  });

  it('wrong content type → 415', async () => {
    const res = await rt.rest(base, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=a' });
    expect(res.status).toBe(415);
    expect(await problem(res)).toMatchObject({ code: 'NAF_ERR_UNSUPPORTED_MEDIA_TYPE' });
  });

  it('body over the limit → 413', async () => {
    const res = await rt.rest(base, { method: 'POST', ...json({ email: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
  });

  it('unknown route → 404, wrong method → 405 with Allow', async () => {
    expect((await rt.rest('/v1/nope')).status).toBe(404);
    const res = await rt.rest(`${base}/verify`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const put = await rt.rest(base, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  it('none of these reached the upstream', () => {
    expect(up.requests).toHaveLength(0);
  });
});

describe('upstream failures', () => {
  it('upstream 5xx JSON passes through with its status', async () => {
    up.script({ status: 500, body: { message: 'Internal server error.' } });
    const res = await rt.rest(`${base}/x/status`, { method: 'PUT', ...json({ status: 'revoked' }) });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal server error.' });
  });

  it('invalid JSON from the upstream → 502', async () => {
    up.script({ malformed: true });
    const res = await rt.rest(`${base}/verify`, { method: 'POST', ...json({ token: 't', email: 'e' }) });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'NAF_ERR_UPSTREAM_INVALID_RESPONSE' });
  });

  it('slower than the headers timeout → 504, and the process stays up', async () => {
    up.script({ delayMs: 1_000, status: 201, body: {} });
    const res = await rt.rest(base, { method: 'POST', ...json({ email: 'slow@x.io' }) });
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'NAF_ERR_UPSTREAM_TIMEOUT' });
    expect(up.requests).toHaveLength(1);
    expect((await rt.rest('/health/live')).status).toBe(200);
  });

  it('upstream down → 502', async () => {
    const down = await startRecordingUpstream();
    const url = down.url;
    await down.close();
    const rt2 = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { 'logto-one-time-tokens': url } });
    try {
      const res = await rt2.rest(base, { method: 'POST', ...json({ email: 'a@b.c' }) });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ code: 'NAF_ERR_UPSTREAM_UNREACHABLE' });
    } finally {
      await rt2.close();
    }
  });

  it('the API key appears in no log line', () => {
    expect(rt.logs.length).toBeGreaterThan(10);
    expect(rt.logs.join('\n')).not.toContain(KEY);
  });
});

function raw(method: string, path: string): Promise<{ status: number; json: unknown }> {
  const { hostname, port } = new URL(rt.restUrl);
  return new Promise((done, fail) => {
    const req = request({ host: hostname, port, method, path }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
    });
    req.on('error', fail);
    req.end();
  });
}
