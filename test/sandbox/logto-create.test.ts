// Checklist §8.2-§8.4: row shape and formats, create defaults and validation, the same-email sweep.
import { describe, expect, it } from 'vitest';

import { startLogtoSandbox } from '../../src/sandbox/logto/index.js';
import { asError, asToken, caller, createToken, useTestSandbox, T0 } from './logto-client.js';

const ctx = useTestSandbox();

const create = (body: unknown) => ctx.call('POST', '/api/one-time-tokens', { body });

describe('row shape (§8.2, §8.3)', () => {
  it('returns the keys in Logto order with tenantId "default"', async () => {
    const token = await createToken(ctx.call);
    expect(Object.keys(token)).toEqual([
      'tenantId',
      'id',
      'email',
      'token',
      'context',
      'status',
      'createdAt',
      'expiresAt',
    ]);
    expect(token.tenantId).toBe('default');
  });

  it('uses a configurable tenantId', async () => {
    const other = await startLogtoSandbox({ tenantId: 'abc123' });
    try {
      const token = await createToken(caller(other));
      expect(token.tenantId).toBe('abc123');
    } finally {
      await other.close();
    }
  });

  it('generates 21-char [0-9a-z] ids and 32-char [0-9A-Za-z] tokens, all distinct', async () => {
    const made = await Promise.all(Array.from({ length: 20 }, () => createToken(ctx.call)));
    for (const t of made) {
      expect(t.id).toMatch(/^[0-9a-z]{21}$/);
      expect(t.token).toMatch(/^[0-9A-Za-z]{32}$/);
    }
    expect(new Set(made.map((t) => t.id)).size).toBe(20);
    expect(new Set(made.map((t) => t.token)).size).toBe(20);
  });

  it('uses epoch-ms numbers for createdAt and expiresAt', async () => {
    const token = await createToken(ctx.call);
    expect(token.createdAt).toBe(T0);
    expect(token.expiresAt).toBe(T0 + 600_000);
  });
});

describe('create (§8.4)', () => {
  it('201, status active, context {} and a 600 s lifetime by default', async () => {
    const res = await create({ email: 'ada@example.com' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'ada@example.com',
      context: {},
      status: 'active',
      expiresAt: T0 + 600_000,
    });
    expect(res.headers['location']).toBeUndefined();
  });

  it('keeps the email exactly as sent, with no format check', async () => {
    const res = await create({ email: '  Not An Email ' });
    expect(res.status).toBe(201);
    expect(asToken(res.body).email).toBe('  Not An Email ');
  });

  it('honours expiresIn and truncates fractions to whole seconds', async () => {
    expect(asToken((await create({ email: 'a@b.co', expiresIn: 60 })).body).expiresAt).toBe(T0 + 60_000);
    expect(asToken((await create({ email: 'a@b.co', expiresIn: 1.9 })).body).expiresAt).toBe(T0 + 1_000);
  });

  it('keeps jitOrganizationIds and interactionEvent and strips unknown keys', async () => {
    const body = {
      email: 'a@b.co',
      context: { interactionEvent: 'ForgotPassword', jitOrganizationIds: ['org_1'], extra: 1 },
      id: 'mine',
      status: 'revoked',
    };
    const token = asToken((await create(body)).body);
    expect(token.context).toEqual({ jitOrganizationIds: ['org_1'], interactionEvent: 'ForgotPassword' });
    expect(Object.keys(token.context)).toEqual(['jitOrganizationIds', 'interactionEvent']);
    expect(token.id).not.toBe('mine');
    expect(token.status).toBe('active');
  });

  it('lets several active tokens coexist for one email', async () => {
    await createToken(ctx.call);
    await createToken(ctx.call);
    expect(ctx.sandbox.tokens().filter((t) => t.status === 'active')).toHaveLength(2);
  });

  it('sweeps same-email active rows past their expiry to stored "expired", leaving others alone', async () => {
    const old = await createToken(ctx.call, { email: 'ada@example.com', expiresIn: 10 });
    const other = await createToken(ctx.call, { email: 'bob@example.com', expiresIn: 10 });
    const fresh = await createToken(ctx.call, { email: 'ada@example.com', expiresIn: 3600 });
    ctx.clock.now = T0 + 10_000; // exactly at expiry: the sweep uses <=
    await createToken(ctx.call, { email: 'ada@example.com' });
    const stored = new Map(ctx.sandbox.tokens().map((t) => [t.id, t.status]));
    expect(stored.get(old.id)).toBe('expired');
    expect(stored.get(other.id)).toBe('active');
    expect(stored.get(fresh.id)).toBe('active');
  });
});

describe('create validation: 400 guard.invalid_input (§1.3, §1.4)', () => {
  it('reproduces the contract example for {} byte for byte', async () => {
    const res = await create({});
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      '{"code":"guard.invalid_input",' +
        '"data":{"issues":[{"code":"invalid_type","expected":"string","received":"undefined","path":["email"],"message":"Required"}],"name":"ZodError"},' +
        '"details":"Error in key path \\"email\\": (invalid_type) Expected string but received undefined.",' +
        '"message":"The request body is invalid."}',
    );
  });

  it('rejects a string expiresIn', async () => {
    const res = await create({ email: 'a@b.co', expiresIn: '60' });
    expect(res.status).toBe(400);
    expect(asError(res.body).details).toBe(
      'Error in key path "expiresIn": (invalid_type) Expected number but received string.',
    );
  });

  it('rejects expiresIn below 1', async () => {
    const res = await create({ email: 'a@b.co', expiresIn: 0.5 });
    expect(res.body).toMatchObject({
      code: 'guard.invalid_input',
      data: {
        issues: [{ code: 'too_small', minimum: 1, type: 'number', inclusive: true, exact: false, path: ['expiresIn'] }],
      },
      details: 'Error in key path "expiresIn": (too_small) Number must be greater than or equal to 1',
    });
  });

  it('enforces email length 1..128', async () => {
    expect(asError((await create({ email: '' })).body).details).toBe(
      'Error in key path "email": (too_small) String must contain at least 1 character(s)',
    );
    expect(asError((await create({ email: 'x'.repeat(129) })).body).details).toBe(
      'Error in key path "email": (too_big) String must contain at most 128 character(s)',
    );
    expect((await create({ email: 'x'.repeat(128) })).status).toBe(201);
  });

  it('rejects an unknown interactionEvent and non-string organization ids, reporting every issue', async () => {
    const res = await create({ email: 'a@b.co', context: { interactionEvent: 'Nope', jitOrganizationIds: [1] } });
    expect(res.status).toBe(400);
    expect(asError(res.body).details).toBe(
      [
        'Error in key path "context.jitOrganizationIds.0": (invalid_type) Expected string but received number.',
        `Error in key path "context.interactionEvent": (invalid_enum_value) Invalid enum value. Expected 'SignIn' | 'Register' | 'ForgotPassword', received 'Nope'`,
      ].join('\n'),
    );
  });

  it('rejects a body that is an array', async () => {
    const res = await create([]);
    expect(asError(res.body).details).toBe('Error in key path "": (invalid_type) Expected object but received array.');
  });

  it('answers malformed JSON with 400 and only the JSON.parse message', async () => {
    const res = await ctx.call('POST', '/api/one-time-tokens', { raw: '{"email":' });
    expect(res.status).toBe(400);
    let expected = '';
    try {
      JSON.parse('{"email":');
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(res.body).toEqual({ message: expected });
  });

  it('answers a JSON scalar with co-body strict mode message', async () => {
    const res = await ctx.call('POST', '/api/one-time-tokens', { raw: '"a@b.co"' });
    expect(res.body).toEqual({ message: 'invalid JSON, only supports object and array' });
  });

  it('parses bodies like koa-body: a form gives strings, text/* a string, an unknown type an empty object', async () => {
    const form = await ctx.call('POST', '/api/one-time-tokens', {
      raw: 'email=a%40b.co&expiresIn=60',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(asError(form.body).details).toBe(
      'Error in key path "expiresIn": (invalid_type) Expected number but received string.',
    );
    const formOk = await ctx.call('POST', '/api/one-time-tokens', {
      raw: 'email=a%40b.co',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(formOk.status).toBe(201);
    const text = await ctx.call('POST', '/api/one-time-tokens', {
      raw: 'hi',
      headers: { 'content-type': 'text/plain' },
    });
    expect(asError(text.body).details).toBe(
      'Error in key path "": (invalid_type) Expected object but received string.',
    );
    const other = await ctx.call('POST', '/api/one-time-tokens', {
      raw: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(asError(other.body).details).toBe(
      'Error in key path "email": (invalid_type) Expected string but received undefined.',
    );
    const empty = await ctx.call('POST', '/api/one-time-tokens', {});
    expect(asError(empty.body).code).toBe('guard.invalid_input');
  });

  it('fails with 500 when expiresAt leaves the date range', async () => {
    const res = await create({ email: 'a@b.co', expiresIn: 1e13 });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: 'Internal server error.' });
  });
});
