// The one outcome → tool result mapping, and the allow-list normalisation, case by case.

import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { hostnameOf, originHostnameOf } from '../../src/expose/mcp/guards.js';
import { toolOutput } from '../../src/expose/mcp/output.js';
import { toToolResult, type Settled } from '../../src/expose/mcp/result.js';
import type { Binding, McpExposure } from '../../src/binding/table.js';
import { Secrets } from '../../src/secrets.js';

const secrets = new Secrets();
secrets.add('s3cret-value');
const ok = (status: number, body: unknown): Settled => ({ ok: true, outcome: { status, headers: {}, body } });
const failed = (error: unknown): Settled => ({ ok: false, error });

describe('toToolResult', () => {
  it.each([
    ['an object', ok(200, { a: 1 }), { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } }],
    ['an array', ok(200, [1, 2]), { content: [{ type: 'text', text: '[1,2]' }], structuredContent: [1, 2] }],
    ['a scalar', ok(200, 'x'), { content: [{ type: 'text', text: '"x"' }], structuredContent: 'x' }],
    ['no content', ok(204, undefined), { content: [{ type: 'text', text: 'OK (HTTP 204, no content)' }] }],
    [
      'an upstream error with code and message',
      ok(404, { code: 'entity.not_found', message: 'Nope.' }),
      {
        isError: true,
        content: [
          {
            type: 'text',
            text: 'Upstream returned HTTP 404: entity.not_found — Nope.\n{"code":"entity.not_found","message":"Nope."}',
          },
        ],
        structuredContent: {
          status: 404,
          code: 'entity.not_found',
          message: 'Nope.',
          upstream: { code: 'entity.not_found', message: 'Nope.' },
        },
      },
    ],
    [
      'an upstream error with no body',
      ok(500, undefined),
      {
        isError: true,
        content: [{ type: 'text', text: 'Upstream returned HTTP 500' }],
        structuredContent: { status: 500 },
      },
    ],
    [
      'an upstream error whose code is a number',
      ok(429, { code: 42 }),
      {
        isError: true,
        content: [{ type: 'text', text: 'Upstream returned HTTP 429: 42\n{"code":42}' }],
        structuredContent: { status: 429, code: '42', upstream: { code: 42 } },
      },
    ],
  ])('maps %s', (_name, settled, expected) => {
    expect(toToolResult(settled, secrets)).toEqual(expected);
  });

  it('names the arguments of an input error and keeps its issues', () => {
    const issues = [{ argument: 'id', message: 'is required' }];
    const r = toToolResult(
      failed(new RuntimeError('NAF_ERR_MISSING_ARGUMENT', "Invalid arguments: 'id' is required", { issues })),
      secrets,
    );
    expect(r).toEqual({
      isError: true,
      content: [{ type: 'text', text: "Invalid arguments: 'id' is required" }],
      structuredContent: {
        error: 'NAF_ERR_MISSING_ARGUMENT',
        kind: 'input',
        message: "Invalid arguments: 'id' is required",
        issues,
      },
    });
  });

  it('adds the code to other runtime errors and redacts secrets from messages and bodies', () => {
    const r = toToolResult(
      failed(new RuntimeError('NAF_ERR_UPSTREAM_TIMEOUT', 'timed out calling s3cret-value')),
      secrets,
    );
    expect(r.content).toEqual([{ type: 'text', text: 'timed out calling [REDACTED] (NAF_ERR_UPSTREAM_TIMEOUT)' }]);
    expect(toToolResult(ok(200, { k: 's3cret-value' }), secrets).structuredContent).toEqual({ k: '[REDACTED]' });
  });

  it('hides anything that is not a RuntimeError', () => {
    const r = toToolResult(failed(new Error('stack and s3cret-value')), secrets);
    expect(JSON.stringify(r)).not.toMatch(/stack|s3cret/);
    expect(r.isError).toBe(true);
  });
});

// An unchanged 2xx body the pipeline kept as its bytes (src/consume/response.ts): the value is parsed when read.
const raw = (json: string, headers: Record<string, string> = {}): Settled => {
  const bytes = Buffer.from(json);
  return {
    ok: true,
    outcome: {
      status: 200,
      headers,
      json: bytes,
      get body(): unknown {
        return JSON.parse(bytes.toString('utf8'));
      },
    },
  };
};
const listOutput = () => {
  const shape = toolOutput({
    response: { status: '200', schema: { type: 'array', items: { type: 'object' } } },
    input: { args: [{ name: 'page', schema: { type: 'integer' } }] },
  } as unknown as Binding);
  if (!shape) throw new Error('no output shape');
  return { shape, tool: { name: 'list-things' } as McpExposure };
};

describe('toToolResult of an upstream body kept as its JSON bytes', () => {
  const list = '[{"id":"a1","n":1.5},{"id":"b2","tags":["x"],"ok":true,"none":null}]';

  it('is the result the parsed value gives, its text the bytes themselves', () => {
    expect(toToolResult(raw(list), secrets)).toEqual(toToolResult(ok(200, JSON.parse(list)), secrets));
    expect(toToolResult(raw(list), secrets).content).toEqual([{ type: 'text', text: list }]);
  });

  it('keeps the upstream whitespace in the text, which is still the same JSON', () => {
    const spaced = '{ "id": "a1",\n  "n": [1, 2] }';
    const r = toToolResult(raw(spaced), secrets);
    expect(r.content).toEqual([{ type: 'text', text: spaced }]);
    expect(r.structuredContent).toEqual({ id: 'a1', n: [1, 2] });
  });

  it('masks a secret in the bytes in both the text and structuredContent', () => {
    const r = toToolResult(raw('{"k":"s3cret-value","list":["x s3cret-value y"]}'), secrets);
    const masked = { k: '[REDACTED]', list: ['x [REDACTED] y'] };
    expect(r).toEqual({ content: [{ type: 'text', text: JSON.stringify(masked) }], structuredContent: masked });
  });

  it('types a list as the parsed value does, with the bytes spliced in under result', () => {
    const headers = { 'total-number': '40', link: '<http://u/things?page=2>; rel="next"' };
    const viaBytes = toToolResult(raw(list, headers), secrets, listOutput());
    const viaValue = toToolResult(
      { ok: true, outcome: { status: 200, headers, body: JSON.parse(list) } },
      secrets,
      listOutput(),
    );
    expect(viaBytes).toEqual(viaValue);
    expect(viaBytes.structuredContent).toEqual({
      result: JSON.parse(list),
      pagination: { total: 40, next: { page: 2 } },
    });
    const [first] = viaBytes.content;
    expect(first?.type === 'text' && JSON.parse(first.text)).toEqual(viaBytes.structuredContent);
  });

  it('masks a secret in a typed result too', () => {
    const r = toToolResult(raw('[{"id":"s3cret-value"}]'), secrets, listOutput());
    expect(JSON.stringify(r)).not.toContain('s3cret-value');
    expect(r.structuredContent).toEqual({ result: [{ id: '[REDACTED]' }] });
  });
});

describe('allow-list entries', () => {
  it.each([
    ['MCP.Example.com', 'mcp.example.com'],
    ['mcp.example.com:8443', 'mcp.example.com'],
    ['::1', '[::1]'],
    ['[::1]', '[::1]'],
  ])('host %s → %s', (entry, expected) => expect(hostnameOf(entry)).toBe(expected));

  it.each([
    ['https://App.example.com:8443', 'app.example.com'],
    ['app.example.com', 'app.example.com'],
    ['moz-extension://*', 'moz-extension://*'],
  ])('origin %s → %s', (entry, expected) => expect(originHostnameOf(entry)).toBe(expected));
});
