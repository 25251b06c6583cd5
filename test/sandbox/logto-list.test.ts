// Checklist §8.5: list order, filters (stored status, email regex), optional pagination and its headers.
import { describe, expect, it } from 'vitest';

import { asError, asTokens, createToken, useTestSandbox, T0 } from './logto-client.js';

const ctx = useTestSandbox();

const list = (query = '', headers: Record<string, string> = {}) =>
  ctx.call('GET', `/api/one-time-tokens${query}`, { headers });

async function seed(count: number, email = 'ada@example.com'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ctx.clock.now = T0 + i * 1000;
    ids.push((await createToken(ctx.call, { email })).id);
  }
  return ids;
}

describe('list (§8.5)', () => {
  it('returns all rows newest first, without pagination headers, when page and page_size are absent', async () => {
    const ids = await seed(25);
    const res = await list();
    expect(res.status).toBe(200);
    expect(asTokens(res.body).map((t) => t.id)).toEqual([...ids].reverse());
    expect(res.headers['total-number']).toBeUndefined();
    expect(res.headers['link']).toBeUndefined();
  });

  it('serves the list on a trailing slash too, as koa-router does', async () => {
    await seed(1);
    expect(asTokens((await list('/')).body)).toHaveLength(1);
  });

  it('treats empty page and page_size as absent', async () => {
    await seed(3);
    const res = await list('?page=&page_size=');
    expect(asTokens(res.body)).toHaveLength(3);
    expect(res.headers['total-number']).toBeUndefined();
  });

  it('paginates with page_size 20 by default when only page is given', async () => {
    const ids = await seed(25);
    const res = await list('?page=2');
    expect(asTokens(res.body).map((t) => t.id)).toEqual(ids.slice(0, 5).reverse());
    expect(res.headers['total-number']).toBe('25');
  });

  it('accepts page_size 100 and rejects 101, 0, negatives and non-numbers with guard.invalid_pagination', async () => {
    await seed(1);
    expect((await list('?page_size=100')).status).toBe(200);
    for (const q of ['?page_size=101', '?page_size=0', '?page=0', '?page=-1', '?page=abc', '?page=1&page=2']) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body, q).toEqual({
        code: 'guard.invalid_pagination',
        message: 'The request pagination value is invalid.',
      });
    }
  });

  it('checks pagination before the query guard', async () => {
    const res = await list('?page=0&status=bogus');
    expect(asError(res.body).code).toBe('guard.invalid_pagination');
  });

  it('sends Total-Number as the unfiltered tenant count, and Link first/last/prev/next without /api', async () => {
    await seed(5, 'ada@example.com');
    await seed(2, 'bob@example.com');
    const res = await list('?email=ada%40example.com&page=2&page_size=2');
    expect(asTokens(res.body)).toHaveLength(2);
    expect(res.headers['total-number']).toBe('7');
    const base = `${ctx.sandbox.url}/one-time-tokens?email=ada%40example.com`;
    expect(res.headers['link']).toEqual([
      `<${base}&page=1&page_size=2>; rel="first"`,
      `<${base}&page=4&page_size=2>; rel="last"`,
      `<${base}&page=1&page_size=2>; rel="prev"`,
      `<${base}&page=3&page_size=2>; rel="next"`,
    ]);
  });

  it('appends page to the Link query when only page_size was given, and sends no prev/next at the edges', async () => {
    await seed(1);
    const res = await list('?page_size=5');
    const base = `${ctx.sandbox.url}/one-time-tokens?page_size=5`;
    expect(res.headers['link']).toEqual([`<${base}&page=1>; rel="first"`, `<${base}&page=1>; rel="last"`]);
  });

  it('filters by exact, case-sensitive email', async () => {
    await seed(2, 'ada@example.com');
    await seed(1, 'Ada@example.com');
    const res = await list('?email=ada%40example.com');
    expect(asTokens(res.body).map((t) => t.email)).toEqual(['ada@example.com', 'ada@example.com']);
  });

  it('validates the email filter with ^\\S+@\\S+\\.\\S+$ (a literal + decodes to a space)', async () => {
    for (const q of ['?email=', '?email=nope', '?email=a+b@example.com']) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body, q).toEqual({
        code: 'guard.invalid_input',
        data: {
          issues: [{ validation: 'regex', code: 'invalid_string', message: 'Invalid', path: ['email'] }],
          name: 'ZodError',
        },
        details: 'Error in key path "email": (invalid_string) Invalid',
        message: 'The request query is invalid.',
      });
    }
    expect((await list('?email=a%2Bb@example.com')).status).toBe(200);
  });

  it('rejects an unknown status filter', async () => {
    const res = await list('?status=used');
    expect(res.status).toBe(400);
    expect(asError(res.body).details).toBe(
      `Error in key path "status": (invalid_enum_value) Invalid enum value. Expected 'active' | 'consumed' | 'revoked' | 'expired', received 'used'`,
    );
  });

  it('filters on stored status and displays the computed one (§4.3 quirk)', async () => {
    const [lapsed] = await seed(1);
    const stored = await createToken(ctx.call, { email: 'bob@example.com', expiresIn: 3600 });
    await ctx.call('PUT', `/api/one-time-tokens/${stored.id}/status`, { body: { status: 'expired' } });
    ctx.clock.now = T0 + 601_000; // lapsed is past expiry but never touched

    const active = asTokens((await list('?status=active')).body);
    expect(active.map((t) => [t.id, t.status])).toEqual([[lapsed, 'expired']]);
    const expired = asTokens((await list('?status=expired')).body);
    expect(expired.map((t) => t.id)).toEqual([stored.id]);
  });

  it('sends an ETag on 200 and 304 with an empty body on a matching If-None-Match', async () => {
    await seed(1);
    const first = await list();
    const etag = first.headers['etag'];
    expect(etag).toMatch(/^"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    const again = await list('', { 'if-none-match': String(etag) });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    await createToken(ctx.call);
    expect((await list('', { 'if-none-match': String(etag) })).status).toBe(200);
  });
});
