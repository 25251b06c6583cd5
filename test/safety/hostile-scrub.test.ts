// The byte scrubber behind every HTTP adapter (src/expose/scrub.ts, src/secrets.ts): a secret split
// across chunks, inside binary data, JSON-escaped or percent-encoded, is still masked; other bytes pass
// unchanged. Issue 13, "scrub everything that leaves".

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, type FastifyInstance } from '../../src/expose/http-app.js';
import { createLogger } from '../../src/log.js';
import { toToolResult } from '../../src/expose/mcp/result.js';
import { Secrets } from '../../src/secrets.js';

const KEY = 'sk-live-0123456789abcdef';

describe('Secrets.redactBytes and streamRedactor', () => {
  const secrets = new Secrets();
  secrets.add(KEY, 'p"ass\\word');

  it('masks a secret inside binary data and leaves every other byte as it was', () => {
    const bin = Buffer.concat([Buffer.from([0, 255, 128, 10]), Buffer.from(KEY), Buffer.from([0xc3, 0xa9, 7])]);
    const out = secrets.redactBytes(bin);
    expect(out.includes(Buffer.from(KEY))).toBe(false);
    expect([...out.subarray(0, 4)]).toEqual([0, 255, 128, 10]);
    expect(out.subarray(4, 14).toString()).toBe('[REDACTED]');
    expect([...out.subarray(14)]).toEqual([0xc3, 0xa9, 7]);
  });

  it('masks a secret split across chunks at every split point', () => {
    const text = `data: {"k":"${KEY}"}\n\n`;
    for (let cut = 1; cut < text.length; cut++) {
      const r = secrets.streamRedactor();
      const out = Buffer.concat([
        r.push(Buffer.from(text.slice(0, cut))),
        r.push(Buffer.from(text.slice(cut))),
        r.end(),
      ]).toString();
      expect(out, `cut at ${cut}`).toBe('data: {"k":"[REDACTED]"}\n\n');
    }
  });

  it('holds nothing back once a chunk cannot begin a secret (an SSE frame goes out whole)', () => {
    const r = secrets.streamRedactor();
    expect(r.push(Buffer.from('event: message\ndata: {}\n\n')).toString()).toBe('event: message\ndata: {}\n\n');
    expect(r.end().length).toBe(0);
  });

  it('masks the JSON-escaped and percent-encoded forms of a secret', () => {
    const value = 'p"ass\\word';
    expect(secrets.redact(JSON.stringify({ v: value }))).toBe('{"v":"[REDACTED]"}');
    expect(secrets.redact(`?x=${encodeURIComponent(value)}`)).toBe('?x=[REDACTED]');
  });
});

describe('the MCP result builder (what stdio sends: no HTTP scrubber behind it)', () => {
  const secrets = new Secrets();
  secrets.add(KEY);
  it('scrubs an echoed Retry-After from the error text and structuredContent', () => {
    const headers = { 'retry-after': `Bearer ${KEY}`, etag: KEY };
    const result = toToolResult({ ok: true, outcome: { status: 503, headers, body: { message: KEY } } }, secrets);
    const text = JSON.stringify(result);
    expect(result.isError).toBe(true);
    expect(text).not.toContain(KEY);
    expect(result.structuredContent).toMatchObject({ retryAfter: 'Bearer [REDACTED]' });
    expect(text).toContain('Retry after Bearer [REDACTED].');
  });
});

describe('the one place: routes that forget to redact', () => {
  const secrets = new Secrets();
  secrets.add(KEY);
  const logs: string[] = [];
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    app = createHttpApp({
      adapter: 'rest',
      log: createLogger({ secrets, sink: (l) => logs.push(l) }),
      secrets,
      bodyLimit: 1024,
      isReady: () => true,
      render: (err) => ({ status: 500, contentType: 'text/plain', body: err.message }),
    });
    app.get('/plain', async (_req, reply) => reply.header('x-new', `v ${KEY}`).header(`x-${KEY}`, '1').send({ KEY }));
    app.get('/binary', async (_req, reply) =>
      reply.type('application/octet-stream').send(Buffer.concat([Buffer.from([0, 255]), Buffer.from(KEY)])),
    );
    app.get('/raw', async (_req, reply) => {
      reply.hijack();
      const body = `{"a":"${KEY}"}`;
      reply.raw.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, etag: KEY });
      reply.raw.write(body.slice(0, 10));
      reply.raw.end(body.slice(10));
    });
    // An onSend hook added after the scrubber's: what it sets still passes the raw header guard.
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('x-late', KEY);
      return payload;
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => app?.close());

  it('a reply: header values, header names and the body', async () => {
    const res = await fetch(`${base}/plain`);
    const body = await res.text();
    expect(body).toBe('{"KEY":"[REDACTED]"}');
    expect(res.headers.get('x-new')).toBe('v [REDACTED]');
    expect(res.headers.get('x-late')).toBe('[REDACTED]');
    expect([...res.headers.keys()].join(' ')).not.toContain(KEY);
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(body));
  });

  it('a binary body: only the secret bytes change', async () => {
    const bytes = Buffer.from(await (await fetch(`${base}/binary`)).arrayBuffer());
    expect([...bytes.subarray(0, 2)]).toEqual([0, 255]);
    expect(bytes.subarray(2).toString()).toBe('[REDACTED]');
  });

  it('a hijacked reply written in pieces with a declared length', async () => {
    const res = await fetch(`${base}/raw`);
    expect(await res.text()).toBe('{"a":"[REDACTED]"}');
    expect(res.headers.get('etag')).toBe('[REDACTED]');
    expect(res.headers.get('content-length')).toBeNull();
  });
});
