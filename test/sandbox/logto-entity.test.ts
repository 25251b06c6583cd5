// Checklist §8.6 and §8.8: get, delete, PUT status, their two different 404 codes, displayed status.
import { describe, expect, it } from 'vitest';

import { TOKEN_STATUSES } from '../../src/sandbox/logto/types.js';
import { asError, asToken, createToken, useTestSandbox, T0 } from './logto-client.js';

const ctx = useTestSandbox();

const get = (id: string, headers: Record<string, string> = {}) =>
  ctx.call('GET', `/api/one-time-tokens/${id}`, { headers });
const del = (id: string) => ctx.call('DELETE', `/api/one-time-tokens/${id}`);
const put = (id: string, body: unknown) => ctx.call('PUT', `/api/one-time-tokens/${id}/status`, { body });

describe('get (§8.6)', () => {
  it('200 with the row', async () => {
    const created = await createToken(ctx.call);
    const res = await get(created.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
  });

  it('404 entity.not_exists_with_id naming one_time_tokens and the id', async () => {
    const res = await get('nope');
    expect(res.status).toBe(404);
    expect(res.text).toBe(
      '{"code":"entity.not_exists_with_id","message":"The one_time_tokens with ID `nope` does not exist."}',
    );
  });

  it('treats GET .../verify as a lookup of id "verify"', async () => {
    expect(asError((await get('verify')).body).code).toBe('entity.not_exists_with_id');
  });

  it('displays an active row past expiresAt as expired (strict <) without changing the stored status', async () => {
    const created = await createToken(ctx.call, { email: 'ada@example.com', expiresIn: 60 });
    ctx.clock.now = created.expiresAt;
    expect(asToken((await get(created.id)).body).status).toBe('active');
    ctx.clock.now = created.expiresAt + 1;
    expect(asToken((await get(created.id)).body).status).toBe('expired');
    expect(ctx.sandbox.tokens()[0]?.status).toBe('active');
  });

  it('keeps revoked and consumed rows as they are after expiry', async () => {
    const created = await createToken(ctx.call, { email: 'ada@example.com', expiresIn: 60 });
    await put(created.id, { status: 'revoked' });
    ctx.clock.now = created.expiresAt + 1;
    expect(asToken((await get(created.id)).body).status).toBe('revoked');
  });

  it('sends an ETag and 304 on If-None-Match', async () => {
    const created = await createToken(ctx.call);
    const first = await get(created.id);
    const res = await get(created.id, { 'if-none-match': String(first.headers['etag']) });
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
  });
});

describe('delete (§8.6)', () => {
  it.each(['active', 'consumed', 'revoked', 'expired'])('204 with an empty body for a %s token', async (status) => {
    const created = await createToken(ctx.call);
    if (status !== 'active') await put(created.id, { status });
    const res = await del(created.id);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(ctx.sandbox.tokens()).toHaveLength(0);
  });

  it('404 entity.not_found (not entity.not_exists_with_id) for an unknown id', async () => {
    const res = await del('nope');
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"code":"entity.not_found","message":"The resource does not exist."}');
  });
});

describe('PUT status (§8.8)', () => {
  it('200 with the row carrying the new stored status', async () => {
    const created = await createToken(ctx.call);
    const res = await put(created.id, { status: 'revoked' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created, status: 'revoked' });
  });

  it('looks the id up first: unknown id with status active is 404 entity.not_exists_with_id', async () => {
    const res = await put('nope', { status: 'active' });
    expect(res.status).toBe(404);
    expect(asError(res.body)).toEqual({
      code: 'entity.not_exists_with_id',
      message: 'The one_time_tokens with ID `nope` does not exist.',
    });
  });

  it('400 one_time_token.cannot_reactivate_token for active, even on an active token', async () => {
    const created = await createToken(ctx.call);
    const res = await put(created.id, { status: 'active' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'one_time_token.cannot_reactivate_token',
      message: 'Cannot reactivate the token.',
    });
  });

  it('moves between consumed, revoked and expired from any state, including the same one', async () => {
    const created = await createToken(ctx.call);
    const targets = TOKEN_STATUSES.filter((s) => s !== 'active');
    for (const from of targets) {
      for (const to of targets) {
        await put(created.id, { status: from });
        const res = await put(created.id, { status: to });
        expect(asToken(res.body).status, `${from} -> ${to}`).toBe(to);
      }
    }
  });

  it('does not check expiry: an active token past expiresAt can be revoked', async () => {
    const created = await createToken(ctx.call, { email: 'ada@example.com', expiresIn: 1 });
    ctx.clock.now = T0 + 5000;
    expect(asToken((await put(created.id, { status: 'revoked' })).body).status).toBe('revoked');
  });

  it('400 guard.invalid_input for a missing or unknown status (before the 404)', async () => {
    const missing = await put('nope', {});
    expect(missing.status).toBe(400);
    expect(asError(missing.body).details).toBe(
      `Error in key path "status": (invalid_type) Expected 'active' | 'consumed' | 'revoked' | 'expired' but received undefined.`,
    );
    const unknown = await put('nope', { status: 'used' });
    expect(asError(unknown.body).code).toBe('guard.invalid_input');
  });
});
