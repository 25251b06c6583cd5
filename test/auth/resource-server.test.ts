// Inbound OAuth 2.1 (issue 16): both adapters as resource servers, over real HTTP with both MCP client
// generations. Tokens come from the embedded Logto sandbox (client credentials for an API resource) and
// from a test issuer's own key (for every bad token). The upstream (a recording server) must only ever
// see the runtime's own credential, never the caller's token.

import { resolve } from 'node:path';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { connectBoth } from '../interpreter/mcp-clients.js';
import { modern } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { startTestIssuer, type TestIssuer } from './test-issuer.js';

const FILE = resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml');
const MCP_RESOURCE = 'https://mcp.example.com/mcp';
const REST_RESOURCE = 'https://rest.example.com';
const LIST = '/v1/api/one-time-tokens';
const CLIENT = { id: 'm2m-app', secret: canary('client-secret') };
const apiKey = canary('logto-api-key');

async function clientCredentials(sandbox: LogtoSandbox, resource: string, scope?: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', resource, ...(scope ? { scope } : {}) });
  const res = await fetch(`${sandbox.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
    },
    body: form.toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function expectOnlyRuntimeCredential(up: RecordingUpstream, callerTokens: readonly string[]): void {
  expect(up.requests.length).toBeGreaterThan(0);
  for (const r of up.requests) {
    expect(r.headers.authorization).toBe(`Bearer ${apiKey}`);
    const everything = `${r.url}\n${r.rawHeaders.join('\n')}\n${r.text}`;
    for (const t of callerTokens) expect(everything).not.toContain(t);
  }
}

describe('tokens minted by the Logto sandbox (client credentials for an API resource)', () => {
  let sandbox: LogtoSandbox;
  let up: RecordingUpstream;
  let rt: TestRuntime;
  beforeAll(async () => {
    sandbox = await startLogtoSandbox({
      oauthClients: [CLIENT],
      apiResources: [
        { indicator: MCP_RESOURCE, scopes: ['tokens:read', 'tokens:write'] },
        { indicator: REST_RESOURCE, scopes: ['tokens:read', 'tokens:write'] },
      ],
    });
    up = await startRecordingUpstream();
    up.respond(() => ({ body: [] }));
    rt = await startTestRuntime({
      file: FILE,
      env: { LOGTO_API_KEY: apiKey },
      baseUris: { 'logto-one-time-tokens': up.url },
      inboundOAuth: {
        issuer: sandbox.issuer,
        jwksCooldownMs: 1,
        scopeRules: [
          { target: 'readonly', scope: 'tokens:read' },
          { target: 'write', scope: 'tokens:write' },
        ],
      },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
    await sandbox?.close();
  });

  it('a valid token: 200 on MCP (both generations) and REST; the upstream sees only the runtime credential', async () => {
    up.reset();
    up.respond(() => ({ body: [] }));
    const mcpToken = await clientCredentials(sandbox, MCP_RESOURCE);
    const restToken = await clientCredentials(sandbox, REST_RESOURCE, 'tokens:read');
    for (const client of await connectBoth(rt.mcpUrl, { authorization: `Bearer ${mcpToken}` })) {
      const tools = await client.list();
      expect(tools.map((t) => t.name)).toContain('create-one-time-token');
      const result = await client.call({ tool: 'get-one-time-tokens', args: {} });
      expect(result.isError, client.label).toBeFalsy();
      await client.close();
    }
    const rest = await rt.rest(LIST, { headers: { authorization: `Bearer ${restToken}` } });
    expect(rest.status).toBe(200);
    expectOnlyRuntimeCredential(up, [mcpToken, restToken]);
    expect(rt.logs.join('\n')).not.toContain(mcpToken);
  });

  it("a token for the other adapter's resource is refused (audience, RFC 8707)", async () => {
    const restToken = await clientCredentials(sandbox, REST_RESOURCE);
    const res = await modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${restToken}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(res.headers.get('www-authenticate')).toContain('another audience');
  });

  it('missing scope: tools/list still lists every tool; a write call is 403 insufficient_scope naming the scope', async () => {
    const readOnly = await clientCredentials(sandbox, MCP_RESOURCE, 'tokens:read');
    const auth = { authorization: `Bearer ${readOnly}` };
    const listed = await modern(rt.mcpUrl, 'tools/list', {}, auth);
    expect(listed.status).toBe(200);
    const names = ((listed.json?.['result'] as { tools: Array<{ name: string }> }).tools ?? []).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['get-one-time-tokens', 'create-one-time-token']));
    const read = await modern(rt.mcpUrl, 'tools/call', { name: 'get-one-time-tokens', arguments: {} }, auth);
    expect(read.status).toBe(200);
    const write = await modern(
      rt.mcpUrl,
      'tools/call',
      { name: 'create-one-time-token', arguments: { body: {} } },
      auth,
    );
    expect(write.status).toBe(403);
    const challenge = write.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="tokens:write"');
    expect(challenge).toContain('resource_metadata="');
    expect(write.json?.['error']).toMatchObject({ message: expect.stringContaining('tokens:write') });

    const restRead = await clientCredentials(sandbox, REST_RESOURCE, 'tokens:read');
    const post = await rt.rest(LIST, {
      method: 'POST',
      headers: { authorization: `Bearer ${restRead}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u', email: 'a@example.com' }),
    });
    expect(post.status).toBe(403);
    expect(post.headers.get('www-authenticate')).toContain(
      'error="insufficient_scope", error_description="requires scope tokens:write"',
    );
    expect(((await post.json()) as { code?: string }).code).toBe('NAF_ERR_INSUFFICIENT_SCOPE');
  });

  it('a batch cannot slip a write call past its scope', async () => {
    const readOnly = await clientCredentials(sandbox, MCP_RESOURCE, 'tokens:read');
    const call = (id: number, name: string) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: {} },
    });
    const res = await fetch(rt.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${readOnly}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-03-26',
      },
      body: JSON.stringify([call(1, 'get-one-time-tokens'), call(2, 'delete-one-time-token-id')]),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="tokens:read tokens:write"');
  });

  it('key rotation: a token signed with the new key is accepted after one JWKS refetch', async () => {
    await clientCredentials(sandbox, MCP_RESOURCE).then((t) =>
      modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${t}` }),
    );
    const before = sandbox.stats().jwksFetches;
    sandbox.rotateSigningKey(true);
    const fresh = await clientCredentials(sandbox, MCP_RESOURCE);
    await new Promise((r) => setTimeout(r, 5)); // past the test's 1 ms cooldown
    expect((await modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${fresh}` })).status).toBe(200);
    expect(sandbox.stats().jwksFetches).toBe(before + 1);
  });

  it('protected-resource metadata lists the authorization server, scopes and bearer methods, without a token', async () => {
    const res = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', rt.mcpUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource: MCP_RESOURCE,
      authorization_servers: [sandbox.issuer],
      scopes_supported: ['tokens:read', 'tokens:write'],
      bearer_methods_supported: ['header'],
    });
    const denied = await modern(rt.mcpUrl, 'tools/list');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe(
      `Bearer realm="runtime", resource_metadata="${new URL('/.well-known/oauth-protected-resource/mcp', rt.mcpUrl).href}", scope="tokens:read tokens:write"`,
    );
  });
});

describe('tokens signed by a test key: every bad token is a 401 with the challenge', () => {
  let issuer: TestIssuer;
  let up: RecordingUpstream;
  let rt: TestRuntime;
  const now = () => Math.floor(Date.now() / 1000);
  const good = () => ({
    iss: issuer.issuer,
    aud: MCP_RESOURCE,
    sub: 'agent',
    exp: now() + 300,
    iat: now(),
    scope: 'tokens:read',
  });
  beforeAll(async () => {
    issuer = await startTestIssuer();
    up = await startRecordingUpstream();
    up.respond(() => ({ body: [] }));
    rt = await startTestRuntime({
      file: FILE,
      env: { LOGTO_API_KEY: apiKey },
      baseUris: { 'logto-one-time-tokens': up.url },
      inboundOAuth: { issuer: issuer.issuer },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
    await issuer?.close();
  });

  async function expect401(token: string, reason: string): Promise<void> {
    const res = await modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${token}` });
    expect(res.status, reason).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain(`error_description="${reason}"`);
    expect(challenge).toContain('resource_metadata="http://127.0.0.1:');
    expect(challenge).not.toContain(token);
    expect(res.text).not.toContain(token);
  }

  it('a valid one: 200 on both MCP generations (RS256, RFC 8414 metadata at the root); within the clock skew too', async () => {
    const token = await issuer.mint(good());
    const justExpired = await issuer.mint({ ...good(), exp: now() - 5 });
    for (const t of [token, justExpired])
      for (const client of await connectBoth(rt.mcpUrl, { authorization: `Bearer ${t}` })) {
        expect((await client.list()).length).toBe(6);
        expect((await client.call({ tool: 'get-one-time-tokens', args: {} })).isError).toBeFalsy();
        await client.close();
      }
    expectOnlyRuntimeCredential(up, [token, justExpired]);
  });

  it('expired, not yet valid, wrong issuer, wrong audience, no exp', async () => {
    await expect401(await issuer.mint({ ...good(), exp: now() - 120 }), 'the token has expired');
    await expect401(await issuer.mint({ ...good(), nbf: now() + 300 }), 'the token is not yet valid');
    await expect401(await issuer.mint({ ...good(), iss: 'https://evil.example.com' }), 'unexpected issuer');
    await expect401(
      await issuer.mint({ ...good(), aud: 'https://other.example.com' }),
      'the token is for another audience',
    );
    const { exp: _exp, ...noExp } = good();
    await expect401(await issuer.mint(noExp), 'claim exp is invalid');
  });

  it('bad signature, alg none, HS256 with the public key as secret', async () => {
    const other = await generateKeyPair('RS256');
    await expect401(await issuer.mint(good(), { key: other.privateKey }), 'the signature does not verify');
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await expect401(`${b64({ alg: 'none', kid: 'test-1' })}.${b64(good())}.`, 'the signing algorithm is not allowed');
    const hs = `${b64({ alg: 'HS256', kid: 'test-1' })}.${b64(good())}`;
    await expect401(
      `${hs}.${Buffer.from('x'.repeat(32)).toString('base64url')}`,
      'the signing algorithm is not allowed',
    );
  });

  it('an unknown kid: 401 after one JWKS refetch, and no more refetches within the cooldown', async () => {
    await modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${await issuer.mint(good())}` });
    const before = issuer.jwksFetches();
    const other = await generateKeyPair('RS256');
    for (let i = 0; i < 3; i++)
      await expect401(
        await issuer.mint(good(), { key: other.privateKey, kid: 'rotated-away' }),
        'no published key matches the token (kid)',
      );
    expect(issuer.jwksFetches() - before).toBeLessThanOrEqual(1);
  });

  it('no token, or not a bearer one: 401 with the challenge and no error code (RFC 6750 §3.1)', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }]) {
      const res = await modern(rt.mcpUrl, 'tools/list', {}, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="runtime", resource_metadata="[^"]+", scope="tokens:read tokens:write"$/,
      );
    }
    const rest = await rt.rest(LIST);
    expect(rest.status).toBe(401);
    expect(rest.headers.get('www-authenticate')).toContain(
      '/.well-known/oauth-protected-resource/v1/api/one-time-tokens',
    );
  });
});

describe('opaque tokens: RFC 7662 introspection against the sandbox', () => {
  let sandbox: LogtoSandbox;
  let up: RecordingUpstream;
  let rt: TestRuntime;
  beforeAll(async () => {
    sandbox = await startLogtoSandbox({
      oauthClients: [CLIENT],
      apiResources: [{ indicator: MCP_RESOURCE, scopes: ['tokens:read'] }],
    });
    up = await startRecordingUpstream();
    up.respond(() => ({ body: [] }));
    rt = await startTestRuntime({
      file: FILE,
      env: { LOGTO_API_KEY: apiKey },
      baseUris: { 'logto-one-time-tokens': up.url },
      inboundOAuth: { issuer: sandbox.issuer, introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret } },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
    await sandbox?.close();
  });

  it('an active opaque token for this resource passes; unknown, or for another audience, is a 401', async () => {
    const opaque = sandbox.issueOpaqueToken(CLIENT.id, ['tokens:read'], MCP_RESOURCE);
    const ok = await modern(
      rt.mcpUrl,
      'tools/call',
      { name: 'get-one-time-tokens', arguments: {} },
      { authorization: `Bearer ${opaque}` },
    );
    expect(ok.status).toBe(200);
    expectOnlyRuntimeCredential(up, [opaque]);
    const unknown = await modern(rt.mcpUrl, 'tools/list', {}, { authorization: 'Bearer not-a-token-at-all' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('error_description="the token is not active"');
    const elsewhere = sandbox.issueOpaqueToken(CLIENT.id, [], 'https://other.example.com');
    expect((await modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${elsewhere}` })).status).toBe(401);
    // The introspection client's secret is registered with the scrubber and never logged.
    expect(rt.logs.join('\n')).not.toContain(CLIENT.secret);
  });
});
