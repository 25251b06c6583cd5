// The byte scrubber behind every HTTP adapter (src/expose/scrub.ts, src/secrets.ts): a secret split
// across chunks, inside binary data, JSON-escaped or percent-encoded, is still masked; other bytes pass
// unchanged. Issue 13, "scrub everything that leaves".

import { describe, expect, it } from 'vitest';
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
