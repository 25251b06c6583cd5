// The client-credentials token endpoint (contract §5) and how the API treats the tokens it issues.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { caller, startTestSandbox, T0 } from './logto-client.js';

const CLIENT = { id: 'm2m-app', secret: 's3cret' };

let ctx: Awaited<ReturnType<typeof startTestSandbox>>;
beforeAll(async () => {
  ctx = await startTestSandbox({ oauthClients: [CLIENT], accessTokenTtlSeconds: 120 }, null);
});
beforeEach(() => {
  ctx.clock.now = T0;
});
afterAll(() => ctx.sandbox.close());

async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await request(`${ctx.sandbox.url}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, unknown> };
}

const grant = (extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  resource: ctx.sandbox.resource,
  scope: 'all',
  ...extra,
});

async function accessToken(): Promise<string> {
  const res = await tokenRequest(grant({ client_id: CLIENT.id, client_secret: CLIENT.secret }));
  return String(res.body['access_token']);
}

describe('POST /oidc/token', () => {
  it('issues a Bearer token for client_id/client_secret form fields', async () => {
    const res = await tokenRequest(grant({ client_id: CLIENT.id, client_secret: CLIENT.secret }));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['access_token', 'expires_in', 'token_type', 'scope']);
    expect(res.body).toMatchObject({ expires_in: 120, token_type: 'Bearer', scope: 'all' });
    expect(String(res.body['access_token'])).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('accepts HTTP Basic client authentication and carries the claims Logto checks', async () => {
    const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
    const res = await tokenRequest(grant(), { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    const payload = JSON.parse(Buffer.from(String(res.body['access_token']).split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({
      sub: CLIENT.id,
      client_id: CLIENT.id,
      aud: 'https://default.logto.app/api',
      iss: `${ctx.sandbox.url}/oidc`,
      scope: 'all',
      exp: T0 / 1000 + 120,
    });
  });

  it('signs the token with the ES384 key published at /oidc/jwks', async () => {
    const [head, body, signature] = (await accessToken()).split('.') as [string, string, string];
    const jwks = (await (await request(`${ctx.sandbox.url}/oidc/jwks`)).body.json()) as { keys: JsonWebKey[] };
    const key = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
    const data = Buffer.from(`${head}.${body}`);
    const ok = verify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    expect(ok).toBe(true);
    expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toMatchObject({ alg: 'ES384', typ: 'at+jwt' });
  });

  it('401 invalid_client for a wrong secret or an unknown client', async () => {
    for (const client of [
      { client_id: CLIENT.id, client_secret: 'x' },
      { client_id: 'who', client_secret: 'x' },
    ]) {
      const res = await tokenRequest(grant(client));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    }
  });

  it('400 unsupported_grant_type for another grant', async () => {
    const res = await tokenRequest(
      grant({ grant_type: 'password', client_id: CLIENT.id, client_secret: CLIENT.secret }),
    );
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('unsupported_grant_type');
  });

  it('400 invalid_target for a missing or foreign resource', async () => {
    const credentials = { client_id: CLIENT.id, client_secret: CLIENT.secret };
    const foreign = await tokenRequest(grant({ resource: 'https://other.example/api', ...credentials }));
    expect(foreign.status).toBe(400);
    expect(foreign.body['error']).toBe('invalid_target');
    const { resource: _omitted, ...withoutResource } = grant(credentials);
    expect((await tokenRequest(withoutResource)).body['error']).toBe('invalid_target');
  });

  it('400 invalid_request for a body that is not form-urlencoded', async () => {
    const res = await request(`${ctx.sandbox.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as Record<string, unknown>)['error']).toBe('invalid_request');
  });

  it('counts issued tokens', async () => {
    const before = ctx.sandbox.stats().tokensIssued;
    await accessToken();
    await tokenRequest(grant({ client_id: CLIENT.id, client_secret: 'bad' }));
    expect(ctx.sandbox.stats().tokensIssued).toBe(before + 1);
  });
});

describe('the API with OAuth clients configured', () => {
  it('accepts an issued token and rejects any other bearer token', async () => {
    const call = caller(ctx.sandbox);
    expect((await call('GET', '/api/one-time-tokens', { auth: `Bearer ${await accessToken()}` })).status).toBe(200);
    expect((await call('GET', '/api/one-time-tokens', { auth: 'Bearer made-up' })).status).toBe(401);
  });

  it('rejects the token with 401 auth.unauthorized (JWTExpired) once the clock passes exp', async () => {
    const token = await accessToken();
    const call = caller(ctx.sandbox);
    ctx.clock.now = T0 + 119_999;
    expect((await call('GET', '/api/one-time-tokens', { auth: `Bearer ${token}` })).status).toBe(200);
    ctx.clock.now = T0 + 120_000;
    const res = await call('GET', '/api/one-time-tokens', { auth: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      code: 'auth.unauthorized',
      data: { code: 'ERR_JWT_EXPIRED', name: 'JWTExpired', claim: 'exp', reason: 'check_failed' },
    });
  });

  it('expireAccessTokens() makes every issued token fail, and a fresh one works again', async () => {
    const token = await accessToken();
    const call = caller(ctx.sandbox);
    ctx.sandbox.expireAccessTokens();
    expect((await call('GET', '/api/one-time-tokens', { auth: `Bearer ${token}` })).status).toBe(401);
    expect((await call('GET', '/api/one-time-tokens', { auth: `Bearer ${await accessToken()}` })).status).toBe(200);
  });

  it('403 auth.forbidden for a token issued without scope=all', async () => {
    const res = await tokenRequest(grant({ scope: '', client_id: CLIENT.id, client_secret: CLIENT.secret }));
    const api = await caller(ctx.sandbox)('GET', '/api/one-time-tokens', {
      auth: `Bearer ${String(res.body['access_token'])}`,
    });
    expect(api.status).toBe(403);
    expect(api.body).toEqual({
      code: 'auth.forbidden',
      message: 'Forbidden. Please check your user roles and permissions.',
    });
  });
});
