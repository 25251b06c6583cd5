// The Logto sandbox as an interactive authorization server (issue 16): discovery advertises the flow, RFC 7591
// registration of a public client, /oidc/auth with PKCE S256 and RFC 8707 `resource`, the sign-in/consent page,
// and the token endpoint's authorization_code and refresh_token grants. Every refusal the flow owes is here:
// plain or missing PKCE, a redirect URI that is not exactly a registered one, an unknown resource, a reused
// or expired code, a wrong verifier, a wrong password, a denied consent.

import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_USER, startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { pkce, signIn } from './interactive.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const REDIRECT = 'http://127.0.0.1:33418/callback';
const READER = { username: 'reader', password: 'reader-password', scopes: ['tokens:read'] };
let clock = Date.now();

let sandbox: LogtoSandbox;
beforeAll(async () => {
  sandbox = await startLogtoSandbox({
    now: () => clock,
    apiResources: [{ indicator: RESOURCE, scopes: ['tokens:read', 'tokens:write'] }],
    users: [{ ...DEFAULT_SANDBOX_USER }, READER],
  });
});
afterAll(() => sandbox?.close());

async function register(metadata: Record<string, unknown> = {}) {
  const res = await fetch(`${sandbox.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      client_name: 'test client',
      ...metadata,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function publicClient(): Promise<string> {
  const { status, body } = await register();
  expect(status).toBe(201);
  return String(body['client_id']);
}

function authorizeUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${sandbox.issuer}/auth`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

async function token(form: Record<string, string>) {
  const res = await fetch(`${sandbox.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** Registration, authorization with PKCE, sign-in: the redirect's code with what it was made from. */
async function authorize(extra: Record<string, string | undefined> = {}, user = DEFAULT_SANDBOX_USER) {
  const clientId = await publicClient();
  const { verifier, challenge } = await pkce();
  const url = authorizeUrl({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st-123',
    resource: RESOURCE,
    scope: 'openid offline_access tokens:read tokens:write',
    ...extra,
  });
  const { location } = await signIn(url, user);
  return { clientId, verifier, location, code: location.searchParams.get('code') ?? '' };
}

const exchange = (clientId: string, code: string, verifier: string, extra: Record<string, string> = {}) =>
  token({
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT,
    ...extra,
  });

describe('discovery', () => {
  it('advertises the authorization endpoint, registration, PKCE S256 and the grants (RFC 8414 and OIDC)', async () => {
    for (const path of ['/.well-known/oauth-authorization-server/oidc', '/oidc/.well-known/openid-configuration']) {
      const meta = (await (await fetch(`${sandbox.url}${path}`)).json()) as Record<string, unknown>;
      expect(meta).toMatchObject({
        issuer: sandbox.issuer,
        authorization_endpoint: `${sandbox.issuer}/auth`,
        token_endpoint: `${sandbox.issuer}/token`,
        registration_endpoint: `${sandbox.issuer}/reg`,
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code'],
        grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
        authorization_response_iss_parameter_supported: true,
      });
    }
  });
});

describe('dynamic client registration (RFC 7591)', () => {
  it('registers a public client: an id, no secret, the metadata echoed', async () => {
    const { status, body } = await register();
    expect(status).toBe(201);
    expect(body).toMatchObject({
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      client_name: 'test client',
    });
    expect(body['client_id']).toMatch(/^[0-9a-f]{21}$/);
    expect(body).not.toHaveProperty('client_secret');
  });

  it('a confidential client gets a secret', async () => {
    const { body } = await register({ token_endpoint_auth_method: 'client_secret_basic' });
    expect(String(body['client_secret']).length).toBeGreaterThan(20);
  });

  it.each([
    [{ redirect_uris: [] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['not a url'] }, 'invalid_redirect_uri'],
    [{ redirect_uris: ['http://127.0.0.1/cb#frag'] }, 'invalid_redirect_uri'],
    [{ token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    [{ grant_types: ['implicit'] }, 'invalid_client_metadata'],
    [{ response_types: ['token'] }, 'invalid_client_metadata'],
  ])('refuses %j with 400 %s', async (metadata, error) => {
    const { status, body } = await register(metadata);
    expect(status).toBe(400);
    expect(body['error']).toBe(error);
  });
});

describe('authorization code with PKCE, resource and the sign-in page', () => {
  it('the redirect carries code, state and iss; the token is a JWT for the resource with the granted scopes', async () => {
    const { clientId, verifier, location, code } = await authorize();
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('iss')).toBe(sandbox.issuer);
    expect(code).toMatch(/^[\w-]{43}$/);

    const res = await exchange(clientId, code, verifier, { resource: RESOURCE });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'tokens:read tokens:write' });
    expect(typeof res.body['refresh_token']).toBe('string');
    const claims = decodeJwt(String(res.body['access_token']));
    expect(claims).toMatchObject({
      iss: sandbox.issuer,
      aud: RESOURCE,
      client_id: clientId,
      scope: 'tokens:read tokens:write',
    });
    expect(claims.sub).toMatch(/^[0-9a-f]{12}$/);
    expect(claims.sub).not.toBe(clientId);
  });

  it('scopes are requested ∩ what the user holds on that resource; unknown ones are dropped', async () => {
    const { clientId, verifier, code } = await authorize({ scope: 'tokens:read tokens:write tokens:admin' }, READER);
    const res = await exchange(clientId, code, verifier);
    expect(res.status).toBe(200);
    expect(res.body['scope']).toBe('tokens:read');
    expect(decodeJwt(String(res.body['access_token']))).toMatchObject({ aud: RESOURCE, scope: 'tokens:read' });
    // No offline_access asked for: no refresh token.
    expect(res.body).not.toHaveProperty('refresh_token');
  });

  it('a code works once; a wrong verifier, redirect URI or client is invalid_grant', async () => {
    const { clientId, verifier, code } = await authorize();
    expect((await exchange(clientId, code, verifier)).status).toBe(200);
    const again = await exchange(clientId, code, verifier);
    expect(again.status).toBe(400);
    expect(again.body['error']).toBe('invalid_grant');

    const second = await authorize();
    const wrongVerifier = await exchange(second.clientId, second.code, (await pkce()).verifier);
    expect(wrongVerifier.body).toEqual({ error: 'invalid_grant', error_description: 'PKCE verification failed' });
    // The failed attempt spent the code too.
    expect((await exchange(second.clientId, second.code, second.verifier)).body['error']).toBe('invalid_grant');

    const third = await authorize();
    const otherRedirect = await exchange(third.clientId, third.code, third.verifier, {
      redirect_uri: 'http://127.0.0.1:33418/other',
    });
    expect(otherRedirect.body['error']).toBe('invalid_grant');

    const fourth = await authorize();
    const otherClient = await exchange(await publicClient(), fourth.code, fourth.verifier);
    expect(otherClient.body['error']).toBe('invalid_grant');
  });

  it('a code expires after 60 s', async () => {
    const { clientId, verifier, code } = await authorize();
    clock += 61_000;
    const res = await exchange(clientId, code, verifier);
    expect(res.body['error']).toBe('invalid_grant');
  });

  it('a token request for another resource than the authorized one is invalid_target', async () => {
    const { clientId, verifier, code } = await authorize();
    const res = await exchange(clientId, code, verifier, { resource: 'https://rest.example.com' });
    expect(res.body['error']).toBe('invalid_target');
  });

  it('refresh_token: new tokens for the same grant, the old refresh token spent (rotation), scope may narrow', async () => {
    const { clientId, verifier, code } = await authorize();
    const first = await exchange(clientId, code, verifier);
    const refresh = String(first.body['refresh_token']);
    const narrowed = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refresh,
      scope: 'tokens:read',
    });
    expect(narrowed.status).toBe(200);
    expect(decodeJwt(String(narrowed.body['access_token']))).toMatchObject({ aud: RESOURCE, scope: 'tokens:read' });
    const reused = await token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refresh });
    expect(reused.body['error']).toBe('invalid_grant');
    const widened = await token({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(narrowed.body['refresh_token']),
      scope: 'tokens:read tokens:write tokens:admin',
    });
    expect(widened.body['error']).toBe('invalid_scope');
  });

  it('without resource the access token is opaque (introspection only), as Logto issues it', async () => {
    const { clientId, verifier, code } = await authorize({ resource: undefined });
    const res = await exchange(clientId, code, verifier);
    expect(res.status).toBe(200);
    expect(String(res.body['access_token'])).not.toContain('.');
  });
});

describe('what /oidc/auth refuses', () => {
  let clientId: string;
  let challenge: string;
  beforeAll(async () => {
    clientId = await publicClient();
    challenge = (await pkce()).challenge;
  });
  const base = () => ({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'xyz',
    resource: RESOURCE,
  });

  it.each([
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no code_challenge_method (plain by default)', { code_challenge_method: undefined }, 'invalid_request'],
    ['no PKCE at all', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['another response_type', { response_type: 'token' }, 'unsupported_response_type'],
    ['an unknown resource', { resource: 'https://elsewhere.example.com' }, 'invalid_target'],
  ])('%s: redirects back with error=%s and the state', async (_label, override, error) => {
    const res = await fetch(authorizeUrl({ ...base(), ...override }), { redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(sandbox.issuer);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it.each([
    ['an unregistered redirect URI', { redirect_uri: 'http://127.0.0.1:33418/callback/evil' }],
    ['a redirect URI differing only in the port', { redirect_uri: 'http://127.0.0.1:33419/callback' }],
    ['no redirect URI', { redirect_uri: undefined }],
    ['an unknown client', { client_id: 'nobody' }],
  ])('%s: an error page, never a redirect', async (_label, override) => {
    const res = await fetch(authorizeUrl({ ...base(), ...override }), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('the page is self-contained (CSP allows no script or external asset) and says who asks for what', async () => {
    const res = await fetch(authorizeUrl({ ...base(), scope: 'tokens:read' }));
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    expect(html).toContain('test client');
    expect(html).toContain(RESOURCE);
    expect(html).toContain('tokens:read');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('a wrong password shows the page again with an error; the interaction stays usable', async () => {
    const page = await (await fetch(authorizeUrl(base()))).text();
    const action = new URL(/action="([^"]+)"/.exec(page)![1]!, sandbox.url).href;
    const post = (password: string) =>
      fetch(action, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: DEFAULT_SANDBOX_USER.username, password, consent: 'allow' }).toString(),
      });
    const wrong = await post('nope');
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Wrong username or password.');
    const right = await post(DEFAULT_SANDBOX_USER.password);
    expect(right.status).toBe(303);
    expect(new URL(right.headers.get('location') ?? '').searchParams.has('code')).toBe(true);
    // Completed: the same interaction cannot be replayed.
    expect((await post(DEFAULT_SANDBOX_USER.password)).status).toBe(400);
  });

  it('denying consent redirects with access_denied', async () => {
    const { location } = await signIn(authorizeUrl(base()), DEFAULT_SANDBOX_USER, 'deny');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('xyz');
  });

  it('the client-credentials flow is unchanged, and a public client cannot use it', async () => {
    const res = await token({ grant_type: 'client_credentials', client_id: clientId, resource: RESOURCE });
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('unauthorized_client');
  });
});
