// End to end: the real runtime with --sandbox, all six REST operations, as a client sees them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestRuntime, type TestRuntime } from '../support/runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ sandbox: true });
});
afterAll(async () => {
  await rt?.close();
});

const base = '/v1/api/one-time-tokens';

async function create(email: string, extra: Record<string, unknown> = {}) {
  const res = await rt.rest(base, { method: 'POST', ...json({ email, ...extra }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; email: string; status: string };
}

describe('Logto one-time tokens over REST (sandbox upstream)', () => {
  it('walks create → list → get → verify → verify again → revoke → delete → get', async () => {
    const created = await create('ada@example.com', { expiresIn: 120, context: { jitOrganizationIds: ['org_1'] } });
    expect(created).toMatchObject({ email: 'ada@example.com', status: 'active' });
    expect(created.id).toMatch(/^[0-9a-z]{21}$/);
    expect(created.token).toMatch(/^[0-9A-Za-z]{32}$/);

    const list = await rt.rest(`${base}?email=ada%40example.com&status=active`);
    expect(list.status).toBe(200);
    expect(list.headers.get('total-number')).toBeNull();
    const items = (await list.json()) as Array<{ id: string }>;
    expect(items.map((t) => t.id)).toContain(created.id);

    const got = await rt.rest(`${base}/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBeTruthy();
    expect(await got.json()).toMatchObject({ id: created.id, status: 'active' });

    const verify = () =>
      rt.rest(`${base}/verify`, { method: 'POST', ...json({ token: created.token, email: 'ada@example.com' }) });
    const v1 = await verify();
    expect(v1.status).toBe(200);
    expect(await v1.json()).toMatchObject({ id: created.id, status: 'consumed' });

    const v2 = await verify();
    expect(v2.status).toBe(400);
    expect(await v2.json()).toMatchObject({
      code: 'one_time_token.token_consumed',
      message: 'The token has been consumed.',
    });

    const revoked = await rt.rest(`${base}/${created.id}/status`, { method: 'PUT', ...json({ status: 'revoked' }) });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ status: 'revoked' });

    const reactivate = await rt.rest(`${base}/${created.id}/status`, { method: 'PUT', ...json({ status: 'active' }) });
    expect(reactivate.status).toBe(400);
    expect(await reactivate.json()).toMatchObject({ code: 'one_time_token.cannot_reactivate_token' });

    const del = await rt.rest(`${base}/${created.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');

    const gone = await rt.rest(`${base}/${created.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 'entity.not_exists_with_id' });
  });

  it('passes Logto errors through intact: wrong email on verify', async () => {
    const t = await create('bob@example.com');
    const res = await rt.rest(`${base}/verify`, {
      method: 'POST',
      ...json({ token: t.token, email: 'eve@example.com' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      code: 'one_time_token.email_mismatch',
      message: 'Email mismatch with given token.',
    });
  });

  it('paginates with Total-Number and a Link header rewritten to our route', async () => {
    for (let i = 0; i < 3; i++) await create(`page${i}@example.com`);
    const res = await rt.rest(`${base}?page=1&page_size=2`);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('total-number'))).toBeGreaterThanOrEqual(3);
    expect(((await res.json()) as unknown[]).length).toBe(2);
    const link = res.headers.get('link') ?? '';
    expect(link).toContain(`<${rt.restUrl}${base}?page=2&page_size=2>; rel="next"`);
    for (const entry of link.split(/,\s*(?=<)/)) expect(entry.startsWith(`<${rt.restUrl}${base}?`)).toBe(true);
  });

  it('passes Logto pagination errors through', async () => {
    const res = await rt.rest(`${base}?page_size=1000`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'guard.invalid_pagination' });
  });

  it('answers a non-integer page itself, naming the argument, before any upstream call', async () => {
    const before = rt.sandbox?.stats().requests ?? 0;
    const res = await rt.rest(`${base}?page=abc`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; errors: Array<{ argument: string }> };
    expect(problem.code).toBe('NAF_ERR_INVALID_ARGUMENT');
    expect(problem.errors[0]?.argument).toBe('page');
    expect(rt.sandbox?.stats().requests).toBe(before);
  });

  it('serves health endpoints', async () => {
    expect((await rt.rest('/health/live')).status).toBe(200);
    expect(await (await rt.rest('/health/ready')).json()).toEqual({ status: 'ok' });
  });
});
