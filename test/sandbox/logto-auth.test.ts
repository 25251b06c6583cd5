// Checklist §8.1 and the §1.2 auth codes: the bearer check runs before anything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { caller, startTestSandbox, TOKEN } from './logto-client.js';

let ctx: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  ctx = await startTestSandbox();
});
afterAll(() => ctx.sandbox.close());

describe('bearer check (§8.1, §1.2)', () => {
  it('401 auth.authorization_header_missing without an Authorization header', async () => {
    const res = await ctx.call('GET', '/api/one-time-tokens', { auth: null });
    expect(res.status).toBe(401);
    expect(res.text).toBe('{"code":"auth.authorization_header_missing","message":"Authorization header is missing."}');
  });

  it('401 auth.authorization_token_type_not_supported with data.supportedTypes for a non-Bearer scheme', async () => {
    const res = await ctx.call('GET', '/api/one-time-tokens', {
      auth: `Basic ${Buffer.from('a:b').toString('base64')}`,
    });
    expect(res.status).toBe(401);
    expect(res.text).toBe(
      '{"code":"auth.authorization_token_type_not_supported","data":{"supportedTypes":["Bearer"]},"message":"Authorization type is not supported."}',
    );
  });

  it('treats the Bearer prefix case-sensitively', async () => {
    const res = await ctx.call('GET', '/api/one-time-tokens', { auth: `bearer ${TOKEN}` });
    expect(res.body).toMatchObject({ code: 'auth.authorization_token_type_not_supported' });
  });

  it('401 auth.unauthorized for a wrong token, with jose-like data', async () => {
    const res = await ctx.call('GET', '/api/one-time-tokens', { auth: 'Bearer nope' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      code: 'auth.unauthorized',
      data: { code: 'ERR_JWS_INVALID', name: 'JWSInvalid' },
      message: 'Unauthorized. Please check credentials and its scope.',
    });
  });

  it('accepts the configured token', async () => {
    const res = await ctx.call('GET', '/api/one-time-tokens');
    expect(res.status).toBe(200);
  });

  it('checks auth before body parsing and guards', async () => {
    const res = await ctx.call('POST', '/api/one-time-tokens', { auth: null, raw: '{not json' });
    expect(res.status).toBe(401);
    const list = await ctx.call('GET', '/api/one-time-tokens?page=0', { auth: 'Bearer wrong' });
    expect(list.body).toMatchObject({ code: 'auth.unauthorized' });
  });

  it('guards every one of the six operations', async () => {
    const ops: Array<[string, string]> = [
      ['GET', '/api/one-time-tokens'],
      ['POST', '/api/one-time-tokens'],
      ['POST', '/api/one-time-tokens/verify'],
      ['GET', '/api/one-time-tokens/x'],
      ['DELETE', '/api/one-time-tokens/x'],
      ['PUT', '/api/one-time-tokens/x/status'],
    ];
    for (const [method, path] of ops) {
      const res = await ctx.call(method, path, { auth: null, body: {} });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('sandbox started without a token', () => {
  let open: LogtoSandbox;
  beforeAll(async () => {
    open = await startLogtoSandbox({ port: 0 });
  });
  afterAll(() => open.close());

  it('accepts any non-empty bearer token', async () => {
    const res = await caller(open)('GET', '/api/one-time-tokens', { auth: 'Bearer anything' });
    expect(res.status).toBe(200);
  });

  it('rejects an empty bearer token with auth.unauthorized', async () => {
    const res = await caller(open)('GET', '/api/one-time-tokens', { auth: 'Bearer ' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'auth.unauthorized' });
  });
});
