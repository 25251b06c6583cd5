// Checklist §8.7: verify's check order, its error codes, and the consumed row it returns.
import { describe, expect, it } from 'vitest';

import { asError, asToken, createToken, useTestSandbox } from './logto-client.js';

const ctx = useTestSandbox();

const verify = (token: string, email: string) =>
  ctx.call('POST', '/api/one-time-tokens/verify', { body: { token, email } });
const setStatus = (id: string, status: string) =>
  ctx.call('PUT', `/api/one-time-tokens/${id}/status`, { body: { status } });
const storedStatus = (id: string) => ctx.sandbox.tokens().find((t) => t.id === id)?.status;

describe('verify (§8.7)', () => {
  it('200 with the row marked consumed, otherwise equal to the created one', async () => {
    const created = await createToken(ctx.call);
    const res = await verify(created.token, created.email);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created, status: 'consumed' });
    expect(storedStatus(created.id)).toBe('consumed');
  });

  it('404 one_time_token.token_not_found echoing the token in the message', async () => {
    const res = await verify('doesNotExist', 'ada@example.com');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'one_time_token.token_not_found', message: 'Token doesNotExist not found.' });
  });

  it('400 one_time_token.email_mismatch on a case difference', async () => {
    const created = await createToken(ctx.call);
    const res = await verify(created.token, 'Ada@example.com');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'one_time_token.email_mismatch', message: 'Email mismatch with given token.' });
  });

  it('400 one_time_token.token_expired at expiresAt, and marks the stored row expired', async () => {
    const created = await createToken(ctx.call, { email: 'ada@example.com', expiresIn: 60 });
    ctx.clock.now = created.expiresAt; // verify uses <=
    const res = await verify(created.token, created.email);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'one_time_token.token_expired', message: 'The token is expired.' });
    expect(storedStatus(created.id)).toBe('expired');
  });

  it('reports token_expired for a stored-expired row even before its expiry time', async () => {
    const created = await createToken(ctx.call);
    await setStatus(created.id, 'expired');
    expect(asError((await verify(created.token, created.email)).body).code).toBe('one_time_token.token_expired');
  });

  it('400 one_time_token.token_consumed on a second verify', async () => {
    const created = await createToken(ctx.call);
    await verify(created.token, created.email);
    const res = await verify(created.token, created.email);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'one_time_token.token_consumed', message: 'The token has been consumed.' });
  });

  it('400 one_time_token.token_revoked after PUT status revoked', async () => {
    const created = await createToken(ctx.call);
    await setStatus(created.id, 'revoked');
    const res = await verify(created.token, created.email);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'one_time_token.token_revoked', message: 'The token has been revoked.' });
  });

  it('checks in order: not found, email, expiry, consumed, revoked', async () => {
    const created = await createToken(ctx.call, { email: 'ada@example.com', expiresIn: 60 });
    await setStatus(created.id, 'revoked');
    ctx.clock.now = created.expiresAt + 1;
    // revoked and past expiry: email first, then expiry wins over revoked; the stored status stays revoked
    expect(asError((await verify(created.token, 'bob@example.com')).body).code).toBe('one_time_token.email_mismatch');
    expect(asError((await verify(created.token, created.email)).body).code).toBe('one_time_token.token_expired');
    expect(storedStatus(created.id)).toBe('revoked');
  });

  it('sees a token consumed out of band (Experience API hook)', async () => {
    const created = await createToken(ctx.call);
    expect(ctx.sandbox.consumeToken(created.token)).toBe(true);
    expect(asError((await verify(created.token, created.email)).body).code).toBe('one_time_token.token_consumed');
  });

  it('guards the body: token and email are required strings', async () => {
    const res = await ctx.call('POST', '/api/one-time-tokens/verify', { body: { token: 5 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'guard.invalid_input', message: 'The request body is invalid.' });
    expect(asError(res.body).details).toBe(
      [
        'Error in key path "token": (invalid_type) Expected string but received number.',
        'Error in key path "email": (invalid_type) Expected string but received undefined.',
      ].join('\n'),
    );
  });

  it('does not check the email format', async () => {
    const created = await createToken(ctx.call, { email: 'not-an-email' });
    expect(asToken((await verify(created.token, 'not-an-email')).body).status).toBe('consumed');
  });
});
