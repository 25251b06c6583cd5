// The recording upstream itself: what it records and each scripted behaviour, seen by a real client.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream.js';

let up: RecordingUpstream;
beforeAll(async () => {
  up = await startRecordingUpstream();
});
beforeEach(() => up.reset());
afterAll(() => up.close());

describe('recording', () => {
  it('records method, path, raw query, url, headers and body (buffer, text, JSON)', async () => {
    const res = await request(`${up.url}/api/one-time-tokens?email=a%2Bb%40x.io&page=2`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json', 'x-trace': 'abc' },
      body: '{"email":"a@b.co"}',
    });
    await res.body.dump();
    const [seen] = up.requests;
    expect(seen).toMatchObject({
      method: 'POST',
      path: '/api/one-time-tokens',
      query: 'email=a%2Bb%40x.io&page=2',
      url: '/api/one-time-tokens?email=a%2Bb%40x.io&page=2',
      text: '{"email":"a@b.co"}',
      json: { email: 'a@b.co' },
      aborted: false,
    });
    expect(seen?.headers['authorization']).toBe('Bearer k');
    expect(seen?.headers['x-trace']).toBe('abc');
    expect(seen?.rawHeaders).toContain('x-trace');
    expect(Buffer.isBuffer(seen?.body)).toBe(true);
  });

  it('leaves json undefined for a non-JSON or empty body and query empty without one', async () => {
    await (await request(`${up.url}/x`, { method: 'POST', body: 'plain words' })).body.dump();
    await (await request(`${up.url}/y`)).body.dump();
    expect(up.requests.map((r) => [r.json, r.query, r.text])).toEqual([
      [undefined, '', 'plain words'],
      [undefined, '', ''],
    ]);
  });

  it('answers 200 {} by default', async () => {
    const res = await request(`${up.url}/anything`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await res.body.text()).toBe('{}');
  });
});

describe('scripted answers', () => {
  it('plays the queue in order, then falls back to the responder', async () => {
    up.script({ status: 201, body: { id: 'one' } }, { status: 404, body: 'gone', headers: { 'x-extra': '1' } });
    up.respond((req) => ({ status: 202, body: { path: req.path } }));
    const a = await request(`${up.url}/a`);
    const b = await request(`${up.url}/b`);
    const c = await request(`${up.url}/c`);
    expect([a.statusCode, await a.body.json()]).toEqual([201, { id: 'one' }]);
    expect([b.statusCode, await b.body.text(), b.headers['x-extra'], b.headers['content-type']]).toEqual([
      404,
      'gone',
      '1',
      'text/plain; charset=utf-8',
    ]);
    expect([c.statusCode, await c.body.json()]).toEqual([202, { path: '/c' }]);
  });

  it('sends 204 with no body', async () => {
    up.script({ status: 204, body: { ignored: true } });
    const res = await request(`${up.url}/d`);
    expect(res.statusCode).toBe(204);
    expect(await res.body.text()).toBe('');
  });

  it('delays the head by delayMs', async () => {
    up.script({ delayMs: 150, body: { ok: true } });
    const started = Date.now();
    const res = await request(`${up.url}/slow`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await res.body.json()).toEqual({ ok: true });
  });

  it('sends the head at once and the body only after bodyDelayMs', async () => {
    up.script({ bodyDelayMs: 300, body: { late: true } });
    const started = Date.now();
    const res = await request(`${up.url}/slow-body`);
    const headAt = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ late: true });
    expect(headAt).toBeLessThan(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('lets a client time out on a delayed head', async () => {
    up.script({ delayMs: 5_000 });
    await expect(request(`${up.url}/hung`, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await up.waitForRequests(1);
  });

  it('resets the connection before the headers', async () => {
    up.script({ reset: 'before-headers' });
    await expect(request(`${up.url}/reset`)).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
    });
  });

  it('drops the connection mid-body after sending the head', async () => {
    up.script({ reset: 'mid-body', body: { data: 'x'.repeat(1000) } });
    const res = await request(`${up.url}/cut`);
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
  });

  it('sends malformed JSON with a JSON content type', async () => {
    up.script({ malformed: true });
    const res = await request(`${up.url}/bad`);
    expect(res.headers['content-type']).toContain('application/json');
    await expect(res.body.json()).rejects.toThrow(SyntaxError);
  });

  it('streams a huge valid JSON body of exactly hugeBytes bytes', async () => {
    up.script({ hugeBytes: 3 * 1024 * 1024 + 7 });
    const res = await request(`${up.url}/huge`);
    expect(res.headers['content-length']).toBe(String(3 * 1024 * 1024 + 7));
    const text = await res.body.text();
    expect(text.length).toBe(3 * 1024 * 1024 + 7);
    expect(typeof JSON.parse(text)).toBe('string');
  });

  it('omits Content-Length when chunked', async () => {
    up.script({ chunked: true, body: { a: 1 } });
    const res = await request(`${up.url}/chunked`);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(await res.body.json()).toEqual({ a: 1 });
  });

  it('marks a request aborted when the client gives up before the answer', async () => {
    up.script({ delayMs: 200 });
    const controller = new AbortController();
    const pending = request(`${up.url}/abandoned`, { signal: controller.signal });
    await up.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(up.requests[0]?.aborted).toBe(true);
  });

  it('turns a throwing responder into a 500', async () => {
    up.respond(() => {
      throw new Error('boom');
    });
    const res = await request(`${up.url}/x`);
    expect(res.statusCode).toBe(500);
    expect(await res.body.json()).toEqual({ message: 'responder failed: boom' });
  });
});

describe('close', () => {
  it('closes promptly while a request is hung on a long delay', async () => {
    const own = await startRecordingUpstream();
    own.script({ delayMs: 60_000 });
    const hung = request(`${own.url}/hang`).catch((error: unknown) => error);
    await own.waitForRequests(1);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hung).toBeInstanceOf(Error);
  });
});
