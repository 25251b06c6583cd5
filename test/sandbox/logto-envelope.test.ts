// Checklist §8.9 and §1.5: the error envelope's key order, content type and the headers on every response.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLogtoSandbox } from '../../src/sandbox/logto/index.js';
import { caller, createToken, startTestSandbox } from './logto-client.js';

let ctx: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  ctx = await startTestSandbox();
});
afterAll(() => ctx.sandbox.close());

describe('error envelope (§8.9)', () => {
  it('orders keys code, data, details, message and omits absent ones', async () => {
    const guardError = await ctx.call('POST', '/api/one-time-tokens', { body: { email: 7 } });
    expect(Object.keys(guardError.body as object)).toEqual(['code', 'data', 'details', 'message']);
    const notFound = await ctx.call('GET', '/api/one-time-tokens/x');
    expect(Object.keys(notFound.body as object)).toEqual(['code', 'message']);
    const typeError = await ctx.call('GET', '/api/one-time-tokens/x', { auth: 'Token x' });
    expect(Object.keys(typeError.body as object)).toEqual(['code', 'data', 'message']);
  });

  it('shapes guard data like a serialized ZodError', async () => {
    const res = await ctx.call('POST', '/api/one-time-tokens', { body: { email: 7 } });
    expect(res.body).toMatchObject({
      data: {
        issues: [
          {
            code: 'invalid_type',
            expected: 'string',
            received: 'number',
            path: ['email'],
            message: 'Expected string, received number',
          },
        ],
        name: 'ZodError',
      },
    });
  });
});

describe('response headers (§1.5)', () => {
  it('sends JSON as application/json; charset=utf-8, errors included', async () => {
    const ok = await ctx.call('GET', '/api/one-time-tokens');
    const error = await ctx.call('GET', '/api/one-time-tokens/x');
    expect(ok.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(error.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('sends a 16-char Logto-Core-Request-Id on every response, different each time', async () => {
    const a = await ctx.call('GET', '/api/one-time-tokens', { auth: null });
    const b = await ctx.call('GET', '/api/one-time-tokens');
    expect(a.headers['logto-core-request-id']).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(b.headers['logto-core-request-id']).not.toBe(a.headers['logto-core-request-id']);
  });

  it('sends ETag only on successful GETs', async () => {
    const created = await createToken(ctx.call);
    expect((await ctx.call('GET', `/api/one-time-tokens/${created.id}`)).headers['etag']).toBeDefined();
    expect((await ctx.call('GET', '/api/one-time-tokens/x')).headers['etag']).toBeUndefined();
    expect(
      (await ctx.call('PUT', `/api/one-time-tokens/${created.id}/status`, { body: { status: 'revoked' } })).headers[
        'etag'
      ],
    ).toBeUndefined();
  });

  it('counts every request in stats()', async () => {
    const before = ctx.sandbox.stats().requests;
    await ctx.call('GET', '/api/one-time-tokens');
    await ctx.call('GET', '/nowhere');
    expect(ctx.sandbox.stats().requests).toBe(before + 2);
  });
});

describe('logging', () => {
  it('logs requests through the given pino logger', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const sandbox = await startLogtoSandbox({ logger });
    try {
      await caller(sandbox)('GET', '/api/one-time-tokens', { auth: 'Bearer x' });
    } finally {
      await sandbox.close();
    }
    expect(lines.some((l) => l.includes('/api/one-time-tokens'))).toBe(true);
  });
});
