// The one outcome → tool result mapping, and the allow-list normalisation, case by case.

import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { hostnameOf, originHostnameOf } from '../../src/expose/mcp/guards.js';
import { toToolResult, type Settled } from '../../src/expose/mcp/result.js';
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
