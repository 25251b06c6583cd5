// The interpreter's new paths under hostile upstreams: a step whose upstream resets, stalls or fails; a
// malformed or hostile XML/CSV body. Each ends as a clear error (REST problem+json, MCP tool error) naming
// the step or format; a POST step is never sent twice; the runtime keeps serving afterwards.

import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/capabilities/interpreter-faults.yaml');

let up: RecordingUpstream;
let served: Served;
beforeAll(async () => {
  up = await startRecordingUpstream();
  served = await serveCapability(FIXTURE, {
    baseUris: { up: up.url },
    timeouts: { headersTimeoutMs: 300, callTimeoutMs: 3_000 },
  });
});
afterAll(async () => {
  await served.close();
  await up.close();
});
beforeEach(() => up.reset());

const rest = (path: string, method = 'GET') => fetch(`${served.url('faults-api')}${path}`, { method });
const order = { id: 'o-1', total: 12 };
const sent = (method: string, path: string) => up.requests.filter((r) => r.method === method && r.path === path).length;

describe('a two-step plan (GET then POST) under faults', () => {
  it('the GET step is retried after a reset; the POST step goes exactly once', async () => {
    up.respond((req) => (req.method === 'GET' ? { body: order } : { body: { ok: true } }));
    up.script({ reset: 'before-headers' });
    const res = await rest('/orders/o-1/audit', 'POST');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ audited: true });
    expect(sent('GET', '/orders/o-1')).toBe(2);
    expect(sent('POST', '/audit')).toBe(1);
    expect(up.requests.find((r) => r.method === 'POST')?.json).toEqual({ order: 'o-1' });
  });

  it('a reset on the POST step is reported naming the step and never resent', async () => {
    up.respond((req) => (req.method === 'GET' ? { body: order } : { reset: 'before-headers' }));
    const res = await rest('/orders/o-1/audit', 'POST');
    expect(res.status).toBe(502);
    const p = (await res.json()) as { code: string; detail: string };
    expect(p.code).toBe('NAF_ERR_UPSTREAM_RESET');
    expect(p.detail.startsWith("Step 'write-audit': ")).toBe(true);
    expect(sent('POST', '/audit')).toBe(1);
    for (const r of await served.tool('faults-tools', 'audit-order', { orderId: 'o-1' })) {
      expect(r.isError).toBe(true);
      expect(r.structuredContent).toMatchObject({ error: 'NAF_ERR_UPSTREAM_RESET' });
    }
    // One per caller: REST, MCP v2, MCP 1.x.
    expect(sent('POST', '/audit')).toBe(3);
  });

  it('a stalled first step times out naming the step; no later step runs', async () => {
    up.respond((req) => (req.method === 'GET' ? { delayMs: 2_000, body: order } : { body: { ok: true } }));
    const res = await rest('/orders/o-1/audit', 'POST');
    expect(res.status).toBe(504);
    const p = (await res.json()) as { code: string; detail: string };
    expect(p.code).toBe('NAF_ERR_UPSTREAM_TIMEOUT');
    expect(p.detail.startsWith("Step 'get-order': ")).toBe(true);
    expect(sent('POST', '/audit')).toBe(0);
  });

  it('an upstream 409 on the POST step keeps its status and names the step', async () => {
    up.respond((req) =>
      req.method === 'GET' ? { body: order } : { status: 409, body: { code: 'duplicate', message: 'already audited' } },
    );
    const res = await rest('/orders/o-1/audit', 'POST');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      "Step 'write-audit' (up.write-audit) failed: upstream answered HTTP 409: duplicate — already audited",
    );
  });
});

describe('XML and CSV upstreams', () => {
  const xml = (text: string) => ({ headers: { 'content-type': 'application/xml' }, body: text });

  it('well-formed XML is decoded (root dropped, repeated elements an array) and mapped alike on both adapters', async () => {
    up.respond(() => xml('<vessels><vessel><code>A1</code></vessel><vessel><code>B2</code></vessel></vessels>'));
    const res = await rest('/vessels');
    expect(res.status).toBe(200);
    const expected = [{ code: 'A1' }, { code: 'B2' }];
    expect(await res.json()).toEqual(expected);
    for (const r of await served.tool('faults-tools', 'list-vessels')) expect(dataOf(r)).toEqual(expected);
  });

  it('malformed XML is NAF_ERR_UPSTREAM_INVALID_RESPONSE, not a crash, and not retried', async () => {
    up.respond(() => xml('<vessels><vessel><code>A1</vessel>'));
    const res = await rest('/vessels');
    expect(res.status).toBe(502);
    const p = (await res.json()) as { code: string; detail: string };
    expect(p.code).toBe('NAF_ERR_UPSTREAM_INVALID_RESPONSE');
    expect(p.detail).toMatch(/xml/i);
    expect(up.requests).toHaveLength(1);
  });

  it('an entity-expansion bomb is refused without expanding it', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><vessels><vessel><code>&lol3;</code></vessel></vessels>';
    up.respond(() => xml(bomb));
    const res = await rest('/vessels');
    expect(res.status).toBe(502);
    expect(((await res.json()) as { code: string }).code).toBe('NAF_ERR_UPSTREAM_INVALID_RESPONSE');
  });

  it('CSV rows become objects; a binary body is a clear error; the runtime keeps serving', async () => {
    up.respond(() => ({
      headers: { 'content-type': 'text/csv' },
      body: 'code,name\nNLRTM,Rotterdam\nSGSIN,Singapore\n',
    }));
    const [ok] = await served.tool('faults-tools', 'list-ports');
    expect(dataOf(ok!)).toEqual([
      { code: 'NLRTM', name: 'Rotterdam' },
      { code: 'SGSIN', name: 'Singapore' },
    ]);
    up.reset();
    up.respond(() => ({ body: Buffer.from([0x00, 0xff, 0xfe, 0x22, 0x0a, 0x22, 0x2c, 0x00]) }));
    const [bad] = await served.tool('faults-tools', 'list-ports');
    expect(bad?.isError).toBe(true);
    expect(bad?.structuredContent).toMatchObject({ error: 'NAF_ERR_UPSTREAM_INVALID_RESPONSE' });
    up.reset();
    up.respond(() => xml('<vessels><vessel><code>Z9</code></vessel></vessels>'));
    expect(await (await rest('/vessels')).json()).toEqual([{ code: 'Z9' }]);
  });
});

describe('bad input on the new paths reaches no upstream', () => {
  it('a steps operation refuses control characters and over-long ids with 400 naming the argument', async () => {
    for (const id of ['a%0Db', 'nul%00', 'x'.repeat(300)]) {
      const res = await rest(`/orders/${id}/audit`, 'POST');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toContain("'orderId'");
    }
    expect(up.requests).toEqual([]);
  });

  it('a steps tool refuses a missing or mistyped argument as a tool error naming it', async () => {
    for (const args of [{}, { orderId: 42 }, { orderId: 'o-1', extra: true }]) {
      for (const r of await served.tool('faults-tools', 'audit-order', args)) {
        expect(r.isError).toBe(true);
        expect(r.content[0]?.text).toMatch(/'orderId'|'extra'/);
      }
    }
    expect(up.requests).toEqual([]);
  });
});
