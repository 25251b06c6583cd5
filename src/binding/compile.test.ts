import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CapabilityDocument } from '../spec/types.js';
import { compileTable } from './compile.js';
import type { Binding } from './table.js';

const seed = parse(
  readFileSync(new URL('../../capabilities/logto-one-time-tokens.yaml', import.meta.url), 'utf8'),
) as CapabilityDocument;
const table = compileTable(seed);
const byId = (id: string): Binding => {
  const b = table.bindings.find((x) => x.id === id);
  if (!b) throw new Error(`no binding ${id}`);
  return b;
};
const outputOf = (b: Binding) => {
  if (b.plan.kind !== 'call') throw new Error(`${b.id} is not a one-call plan`);
  return b.plan.output;
};
const build = (id: string, raw: Record<string, unknown>) => {
  const b = byId(id);
  const v = b.input.validate(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return (b.request as NonNullable<typeof b.request>).build(v.value, {});
};

describe('compileTable on the Logto seed', () => {
  it('makes one binding per REST operation and per tool, in file order', () => {
    expect(table.bindings.map((b) => b.id)).toEqual([
      'logto-one-time-tokens-rest.listonetimetokens',
      'logto-one-time-tokens-rest.addonetimetokens',
      'logto-one-time-tokens-rest.verifyonetimetoken',
      'logto-one-time-tokens-rest.getonetimetoken',
      'logto-one-time-tokens-rest.deleteonetimetoken',
      'logto-one-time-tokens-rest.replaceonetimetokenstatus',
      'logto-one-time-tokens-mcp.get-one-time-tokens',
      'logto-one-time-tokens-mcp.create-one-time-token',
      'logto-one-time-tokens-mcp.verify-one-time-token',
      'logto-one-time-tokens-mcp.get-one-time-token-id',
      'logto-one-time-tokens-mcp.delete-one-time-token-id',
      'logto-one-time-tokens-mcp.update-one-time-token-status',
    ]);
    expect(table.unsupported).toEqual([]);
  });

  it('infers list inputs from `with` references, typed by the consumed parameters', () => {
    expect(byId('logto-one-time-tokens-rest.listonetimetokens').input.schema).toEqual({
      type: 'object',
      properties: {
        email: { type: 'string', description: 'Filter one-time tokens by email address.' },
        status: { type: 'string', description: 'Filter one-time tokens by status.' },
        page: { type: 'integer', description: 'Page number (starts from 1).' },
        page_size: { type: 'integer', description: 'Entries per page.' },
      },
      additionalProperties: false,
    });
  });

  it('infers the id path argument for REST and MCP alike', () => {
    for (const id of [
      'logto-one-time-tokens-rest.getonetimetoken',
      'logto-one-time-tokens-mcp.get-one-time-token-id',
    ]) {
      expect(byId(id).input.schema).toEqual({
        type: 'object',
        properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
        required: ['id'],
        additionalProperties: false,
      });
    }
  });

  it('makes the body argument required and an object; status update takes id and body', () => {
    const s = byId('logto-one-time-tokens-mcp.update-one-time-token-status').input.schema;
    expect(s['required']).toEqual(['id', 'body']);
    expect((s['properties'] as Record<string, unknown>)['body']).toEqual({
      type: 'object',
      description: 'Request body (JSON).',
    });
  });

  it('sends only the query parameters given, coerced from text', () => {
    expect(build('logto-one-time-tokens-rest.listonetimetokens', { email: 'a+b@x.io', page: '2' })).toEqual({
      path: '/api/one-time-tokens',
      query: [
        ['email', 'a+b@x.io'],
        ['page', '2'],
      ],
      headers: {},
    });
  });

  it('encodes an id as one path segment', () => {
    expect(build('logto-one-time-tokens-rest.getonetimetoken', { id: 'a/../b c%2F\u00e9' }).path).toBe(
      '/api/one-time-tokens/a%2F..%2Fb%20c%252F%C3%A9',
    );
  });

  it('rejects ids that would change the upstream path', () => {
    const v = byId('logto-one-time-tokens-rest.deleteonetimetoken').input;
    for (const id of ['', '.', '..', 'a\r\nb', 'x\u0000']) {
      const r = v.validate({ id });
      expect(r.ok, JSON.stringify(id)).toBe(false);
    }
  });

  it('sends the body argument as the JSON request body', () => {
    expect(build('logto-one-time-tokens-mcp.create-one-time-token', { body: { email: 'a@b.c' } }).body).toEqual({
      contentType: 'application/json',
      text: '{"email":"a@b.c"}',
    });
  });

  it('names the argument at fault', () => {
    const r = byId('logto-one-time-tokens-rest.listonetimetokens').input.validate({ page: 'abc', nope: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toContainEqual({ argument: 'page', message: 'must be integer' });
      expect(r.issues.map((i) => i.argument)).toContain('nope');
    }
  });

  it('derives annotations from hints, then from the method', () => {
    const del = byId('logto-one-time-tokens-mcp.delete-one-time-token-id').expose;
    expect(del.kind === 'mcp' && del.annotations).toEqual({
      title: 'Delete one time token id',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(byId('logto-one-time-tokens-rest.addonetimetokens').idempotent).toBe(false);
    expect(byId('logto-one-time-tokens-rest.replaceonetimetokenstatus').idempotent).toBe(true);
  });

  it('projects with the identity for `$.`', () => {
    const list = [{ id: 'x' }];
    expect(outputOf(byId('logto-one-time-tokens-rest.listonetimetokens'))(list)).toBe(list);
  });

  it('keeps the upstream and its variables as written', () => {
    expect(table.upstreams).toEqual([
      {
        namespace: 'logto-one-time-tokens',
        baseUri: 'https://[tenant_id].logto.app',
        variables: ['tenant_id'],
        auth: { type: 'bearer', token: '{{env.LOGTO_API_KEY}}' },
      },
    ]);
    expect(table.binds).toEqual([{ variable: 'LOGTO_API_KEY', namespace: 'env', providerKey: 'LOGTO_API_KEY' }]);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(table.bindings)).toBe(true);
  });
});
